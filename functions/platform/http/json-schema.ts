/**
 * zod schemas → JSON Schema for one OpenAPI document. Each route-level schema is converted on its own;
 * the schemas that carry an id (`z.meta({ id })`) are hoisted into `components/schemas` and referenced
 * there. A shared schema whose request (input) form differs from its response (output) form — a
 * default, a transform — gets a second component, `<Id>Input`.
 */
import * as z from 'zod/mini';

type Io = 'input' | 'output';
type Json = Record<string, unknown>;
const DEFS = '#/$defs/';
const COMPONENTS = '#/components/schemas/';

export function schemaCollector() {
  const byId = new Map<string, z.core.$ZodType>();
  const options = (io: Io) => ({
    io,
    target: 'draft-2020-12' as const,
    unrepresentable: 'any' as const,
    override: ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }) => {
      const id = z.globalRegistry.get(zodSchema)?.id;
      if (id) byId.set(id, zodSchema);
      // A non-strict object is open in both directions; zod marks it closed for output only, which
      // would make every shared object differ between input and output.
      const def = (zodSchema as z.core.$ZodTypes)._zod.def;
      if (def.type === 'object' && !def.catchall && jsonSchema.additionalProperties === false)
        delete jsonSchema.additionalProperties;
    },
  });
  const convert = (schema: z.core.$ZodType, io: Io) => z.toJSONSchema(schema, options(io)) as Json;
  const pending: Array<{ io: Io; json: Json }> = [];

  /** One route-level schema as a JSON Schema object (its references are completed by `finish`). */
  function schema(s: z.core.$ZodType, io: Io): Json {
    const { $schema: _, $defs, ...json } = convert(s, io);
    for (const k of Object.keys(($defs ?? {}) as Json))
      if (k.startsWith('__schema'))
        throw new Error(`a recursive schema needs an id: ${JSON.stringify(json).slice(0, 80)}`);
    pending.push({ io, json });
    return json;
  }

  /** Names each shared schema's forms, rewrites every reference and returns `components.schemas`. */
  function finish(): Record<string, Json> {
    const forms = new Map<string, Record<Io, Json>>();
    const todo = [...byId.keys()];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (forms.has(id)) continue;
      const f = {} as Record<Io, Json>;
      for (const io of ['input', 'output'] as const) {
        const defs = convert(byId.get(id) as z.core.$ZodType, io).$defs as Record<string, Json>;
        f[io] = defs[id] as Json;
        for (const k of Object.keys(defs)) if (!forms.has(k)) todo.push(k);
      }
      forms.set(id, f);
    }
    const refsOf = (j: unknown) =>
      [...JSON.stringify(j).matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)].map((m) => m[1] as string);
    const differs = new Set(
      [...forms].filter(([, f]) => JSON.stringify(f.input) !== JSON.stringify(f.output)).map(([id]) => id),
    );
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, f] of forms) {
        if (!differs.has(id) && refsOf(f.input).some((r) => differs.has(r))) {
          differs.add(id);
          changed = true;
        }
      }
    }
    const name = (id: string, io: Io) => (io === 'input' && differs.has(id) ? `${id}Input` : id);
    const rewrite = (node: unknown, io: Io): void => {
      if (Array.isArray(node)) {
        for (const n of node) rewrite(n, io);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const o = node as Json;
      if (typeof o.$ref === 'string' && o.$ref.startsWith(DEFS))
        o.$ref = COMPONENTS + name(o.$ref.slice(DEFS.length), io);
      for (const v of Object.values(o)) rewrite(v, io);
    };
    const components: Record<string, Json> = {};
    const emit = (id: string, io: Io) => {
      const n = name(id, io);
      if (components[n]) return;
      if (n !== id && byId.has(n)) throw new Error(`two schemas are named ${n}`);
      const body = structuredClone((forms.get(id) as Record<Io, Json>)[io]);
      components[n] = body;
      for (const r of refsOf(body)) emit(r, io);
      rewrite(body, io);
    };
    for (const { io, json } of pending) {
      for (const r of refsOf(json)) emit(r, io);
      rewrite(json, io);
    }
    return Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
  }
  return { schema, finish };
}
