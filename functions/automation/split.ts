/**
 * Random splits (A/B/n): an enrollment takes one path of a `split` step, by the paths' percentages.
 * The choice is a hash of the enrollment and the step, so a retried Task takes the same path, and it
 * is recorded as a step of its own, `<split>/a`, `<split>/b`…, whose gauges count each path.
 */
import { createHash } from 'node:crypto';

const NAMES = 'abcde';

/** The path (index) `key` falls in: its hash, spread evenly over 0–9999, against the cumulative shares. */
export function pickPath(key: string, percents: number[]): number {
  const point = createHash('sha256').update(key).digest().readUInt32BE(0) % 10_000;
  let bound = 0;
  for (const [index, percent] of percents.entries()) {
    bound += percent * 100;
    if (point < bound) return index;
  }
  return Math.max(0, percents.length - 1);
}

/** The step id a path is recorded as: `welcome-test/a`. */
export const pathStepId = (stepId: string, index: number): string => `${stepId}/${NAMES[index] ?? index}`;

/** The path an enrollment at `currentStep` took at split `stepId`, if it is on one of its paths' records. */
export function takenPath(stepId: string, currentStep: string | undefined): number | undefined {
  if (!currentStep?.startsWith(`${stepId}/`)) return undefined;
  const index = NAMES.indexOf(currentStep.slice(stepId.length + 1));
  return index >= 0 ? index : undefined;
}
