/**
 * Stands in for `node:stream/web` and `node:stream/promises` where `@middy/core` imports them (an
 * esbuild plugin in infra/bundling.ts). Middy uses them only to stream a response
 * (`streamifyResponse`), which no Tendril function does, yet importing them at the top of its module
 * loads Node's web-streams implementation on every cold start (a few milliseconds; `npm run bench`
 * measures it). These stand-ins load the real modules on first use instead.
 */
type Web = typeof import('node:stream/web');
type Promises = typeof import('node:stream/promises');

const web = () => process.getBuiltinModule('node:stream/web') as Web;
const promises = () => process.getBuiltinModule('node:stream/promises') as Promises;

/** `instanceof ReadableStream` checks against the real class, loaded when first asked. */
export const ReadableStream = {
  [Symbol.hasInstance]: (value: unknown) => value instanceof web().ReadableStream,
};

export const pipeline: Promises['pipeline'] = ((...args: Parameters<Promises['pipeline']>) =>
  promises().pipeline(...args)) as Promises['pipeline'];
