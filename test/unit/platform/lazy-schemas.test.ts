/**
 * No zod schema is built when a module is imported: every schema at a module's top level is a
 * `z.lazy` (or a function), so a Lambda builds only the schemas the request it serves uses. Building
 * a schema is most of zod's cost at a cold start (`npm run bench`, bench/README.md). Nor is an `Intl`
 * object made at import: the first one of a process loads the ICU locale data (about 20 ms).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/** Calls that build a schema: zod's own (except `z.lazy`) and the shared builders in platform/values.ts. */
const BUILDS = /^(z\.(?!lazy$)|(shortText|optionalText|nullableText)$)/;

/** Calls (or `new`) a module makes at import, outside any function, whose callee matches `callee`. */
function atImport(callee: RegExp, file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      callee.test(node.expression.getText(source))
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file}:${line + 1} ${node.expression.getText(source)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
const eagerSchemas = (file: string, text: string) => atImport(BUILDS, file, text);
const INTL = /^Intl\./;

const sources = (readdirSync('functions', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('functions', f));

describe('schemas and Intl objects are made when first used', () => {
  it('no module of functions/ builds a zod schema at import', () => {
    const eager = sources.flatMap((f) => eagerSchemas(f, readFileSync(f, 'utf8')));
    assert.deepEqual(eager, []);
  });

  it('no module of functions/ makes an Intl object at import', () => {
    const eager = sources.flatMap((f) => atImport(INTL, f, readFileSync(f, 'utf8')));
    assert.deepEqual(eager, []);
  });

  it('finds an Intl object made at import (the check itself works)', () => {
    const text = `const a = new Intl.NumberFormat('en');
      let b: Intl.NumberFormat | undefined;
      export const c = () => (b ??= new Intl.NumberFormat('en'));
      export const d = Intl.supportedValuesOf('currency');`;
    assert.deepEqual(atImport(INTL, 'x.ts', text), [
      'x.ts:1 Intl.NumberFormat',
      'x.ts:4 Intl.supportedValuesOf',
    ]);
  });

  it('finds a schema built at import (the check itself works)', () => {
    const text = `import * as z from 'zod/mini';
      export const a = z.lazy(() => z.string());
      export const b = () => z.number();
      export const c = { d: z.object({ e: shortText(3) }) };`;
    assert.deepEqual(eagerSchemas('x.ts', text), ['x.ts:4 z.object']);
  });
});
