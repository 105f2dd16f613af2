/**
 * How every Lambda bundle is built — one definition read by the CDK construct
 * (infra/constructs/tendril-function.ts) and by the cold-start benchmark (bench/cold-start.ts), so
 * what is measured is what is deployed.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export const lambdaBundling = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  /** Bundles are ESM; a few CommonJS dependencies still call `require` for Node built-ins. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /** Lambda supplies credentials in the environment only; see functions/platform/aws/lambda-credentials.ts. */
  alias: {
    '@aws-sdk/credential-provider-node': `${root}functions/platform/aws/lambda-credentials.ts`,
  },
} as const;

/** The same, as esbuild's own build options (the benchmark and the bundling test build with these). */
export const lambdaEsbuildOptions = {
  ...lambdaBundling,
  mainFields: [...lambdaBundling.mainFields],
  banner: { js: lambdaBundling.banner },
  bundle: true,
} satisfies BuildOptions;
