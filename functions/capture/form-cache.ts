/**
 * Forms never change once created (there is no update or delete route), so the public form endpoint
 * keeps the ones it has read in memory for a while: one GetItem fewer per submission on a warm Lambda.
 */
import type { Form } from './model.js';
import type { CaptureDeps, CaptureStore } from './store.js';

export function withFormCache(deps: CaptureDeps, ttlMs = 5 * 60_000, maxForms = 500): CaptureDeps {
  const cache = new Map<string, { form: Form; until: number }>();
  const getForm = async (id: string): Promise<Form | undefined> => {
    const now = Date.now();
    const hit = cache.get(id);
    if (hit && hit.until > now) return hit.form;
    const form = await deps.store.getForm(id);
    if (form) {
      if (cache.size >= maxForms) cache.delete(cache.keys().next().value as string);
      cache.set(id, { form, until: now + ttlMs });
    }
    return form;
  };
  const store = new Proxy(deps.store, {
    get(target, prop) {
      if (prop === 'getForm') return getForm;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CaptureStore;
  return { ...deps, store };
}
