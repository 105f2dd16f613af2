/**
 * Builds handlers into `<outdir>/<name>/` with esbuild's asynchronous API (its plugins need it):
 * `tsx infra/bundle-cli.ts <outdir> <name>...`. CDK's local bundling is synchronous, so
 * `bundleHandlerSync` (infra/bundling.ts) runs this once per synthesis for every function.
 */
import { join } from 'node:path';
import { bundleHandler, handlerEntry } from './bundling.js';

const [outdir, ...names] = process.argv.slice(2);
if (!outdir || names.length === 0) throw new Error('usage: bundle-cli.ts <outdir> <handler>...');
await Promise.all(names.map((name) => bundleHandler(handlerEntry(name), join(outdir, name))));
