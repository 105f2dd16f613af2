/**
 * How every Lambda bundle is built — one definition used by the CDK construct
 * (infra/constructs/tendril-function.ts), the cold-start benchmark (bench/cold-start.ts) and the
 * bundling test, so what is measured is what is deployed.
 *
 * A bundle is ESM, minified and tree-shaken, with the SDK v3 clients inside, and split: the handler
 * file holds what every invocation needs, and what only some do (the SES, Scheduler, Step Functions
 * and Secrets Manager clients, LiquidJS, the Powertools logger and metrics writer — each imported
 * with `import()` where it is used) sits in chunk files that Node compiles only when first imported.
 * Compiling the source is most of a cold start's import time, so bytes not loaded are time saved.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../functions/platform/manifest.js';
import { barrelImports } from './barrel-imports.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The file (in the bundle directory) and export Lambda calls. */
export const HANDLER_FILE = 'index.mjs';
export const HANDLER = 'index.handler';

export const lambdaEsbuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  sourcesContent: false,
  /** Bundles are ESM; a few CommonJS dependencies still call `require` for Node built-ins. */
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  /** Lambda supplies credentials in the environment only; see functions/platform/aws/lambda-credentials.ts. */
  alias: {
    '@aws-sdk/credential-provider-node': `${root}functions/platform/aws/lambda-credentials.ts`,
  },
  plugins: [
    barrelImports(),
    {
      name: 'middy-streams',
      setup(b) {
        b.onResolve({ filter: /^node:stream\/(web|promises)$/ }, (args) =>
          /[\\/]@middy[\\/]core[\\/]/.test(args.importer)
            ? { path: `${root}functions/platform/aws/middy-streams.ts` }
            : undefined,
        );
      },
    },
  ],
  logLevel: 'error',
} satisfies BuildOptions;

/** The handler module of a function (functions/handlers/<name>.ts). */
export const handlerEntry = (name: string) => join(root, 'functions', 'handlers', `${name}.ts`);

/** A handler module: a file, or source text (benchmark reference bundles, tests) resolved from the project. */
export type Entry = string | { contents: string };

const options = (entry: Entry, outdir: string, extra: BuildOptions = {}): BuildOptions => ({
  ...lambdaEsbuildOptions,
  ...(typeof entry === 'string'
    ? { entryPoints: { index: entry } }
    : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' }, entryNames: 'index' }),
  outdir,
  absWorkingDir: root,
  ...extra,
});

let prebuilt: string | undefined;

/**
 * Copies the bundle of handler `name` into `outdir`, synchronously (CDK's local bundling). esbuild's
 * plugins need its asynchronous API, so the first call builds every function's bundle in one child
 * process (infra/bundle-cli.ts) and the others copy theirs from it: one build per synthesis.
 */
export function bundleHandlerSync(name: FunctionName, outdir: string): void {
  if (!prebuilt) {
    const dir = mkdtempSync(join(tmpdir(), 'tendril-bundles-'));
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'infra', 'bundle-cli.ts'), dir, ...FUNCTION_NAMES],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    prebuilt = dir;
  }
  cpSync(join(prebuilt, name), outdir, { recursive: true });
}

/** The same, asynchronously, with esbuild's metafile (the benchmark reads what each bundle holds). */
export async function bundleHandler(entry: Entry, outdir: string, extra: BuildOptions = {}) {
  const result = await build({ ...options(entry, outdir, extra), metafile: true });
  return result.metafile;
}
