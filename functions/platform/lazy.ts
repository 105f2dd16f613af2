/**
 * A port whose implementation is imported on first use: `lazily(() => import('./x.js').then(…))`
 * returns an object with the same (promise-returning) methods, each of which loads the module once
 * and then calls the real method. A Lambda that needs a client on some invocations only (S3 on an
 * upload, SQS when a job is planned) then does not compile it at every cold start.
 */
type AsyncMethods<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
};

export function lazily<T extends AsyncMethods<T>>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy({} as T, {
    get(_target, name) {
      // Not a promise (so `await port` is the port itself), and no symbol-keyed methods.
      if (name === 'then' || typeof name === 'symbol') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          loading ??= load();
          const impl = (await loading) as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
          const real = impl[name];
          if (typeof real !== 'function') throw new TypeError(`no method ${String(name)}`);
          return real.apply(impl, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
