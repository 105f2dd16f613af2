/**
 * The builder's workflow document is the server's workflow language: its step and condition types
 * are checked against `functions/automation/language.ts` when the project type-checks (`npm test`
 * does), so a step added to one and not the other fails; and every step type the language accepts
 * is one the builder can add.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Condition, type Step, stepSchema } from '#automation/language.js';
import {
  type Condition as BuilderCondition,
  type Step as BuilderStep,
  newStep,
  STEP_TYPES,
} from '../../../web/src/builder/model.js';

/** True when each type is assignable to the other (the same shape). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stepsAreTheLanguage: Same<BuilderStep, Step> = true;
const conditionsAreTheLanguage: Same<BuilderCondition, Condition> = true;

describe('the builder’s workflow language', () => {
  it('has the server’s step and condition types', () => {
    assert.ok(stepsAreTheLanguage && conditionsAreTheLanguage);
  });

  it('makes new steps whose type the server knows (a new step may still need its fields chosen)', () => {
    for (const type of STEP_TYPES) {
      const step = newStep(type, new Set());
      const parsed = stepSchema.safeParse(step);
      const aboutType = parsed.success
        ? []
        : parsed.error.issues.filter((i) => i.path.length === 0 || i.path[0] === 'type');
      assert.deepEqual(aboutType, [], `${type}: ${JSON.stringify(aboutType)}`);
    }
  });
});
