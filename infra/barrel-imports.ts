/**
 * An esbuild plugin that imports each name of the AWS SDK's barrel modules from the file that defines
 * it (as Next.js's `optimizePackageImports` does). `@smithy/core/protocols`, `@aws-sdk/core/protocols`
 * and the other submodule entry points are barrels: `export { X } from "./x"` for every protocol,
 * serializer and codec. esbuild splits a bundle by file reachability, and a barrel reached from the
 * handler (through the DynamoDB client) makes every file it names reachable from the handler too: the
 * XML, query and REST codecs that only the S3, SES or Scheduler client (imported on demand) uses land
 * in a chunk loaded at every cold start. Importing from the defining files leaves the barrel to the
 * client that needs it. The bindings are the same modules, so behaviour does not change.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin, PluginBuild } from 'esbuild';

/** The barrels rewritten: the submodule entry points of the two SDK core packages. */
const BARREL = /^@(smithy|aws-sdk)\/core\/[a-z-]+$/;
const IMPORT = /(import|export)\s*\{([^}]*)\}\s*from\s*"(@(?:smithy|aws-sdk)\/core\/[a-z-]+)";?/g;

type Origin = { file: string; name: string };

/** A relative specifier of a dist-es file, as Node resolves it (dist-es specifiers have no extension). */
function fileOf(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')])
    if (existsSync(candidate) && candidate.endsWith('.js')) return realpathSync(candidate);
  return undefined;
}

const specifiers = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [imported = '', local = imported] = s.split(/\s+as\s+/);
      return { imported: imported.trim(), local: local.trim() };
    });

export function barrelImports(): Plugin {
  return {
    name: 'sdk-barrel-imports',
    setup(build: PluginBuild) {
      const barrels = new Map<string, Promise<Map<string, Origin> | undefined>>();

      /** Where each name of a barrel is defined; undefined when the barrel is not only re-exports. */
      const exportsOf = (spec: string, importer: string) => {
        let entry = barrels.get(spec);
        if (!entry) {
          entry = (async () => {
            const found = await build.resolve(spec, {
              kind: 'import-statement',
              resolveDir: dirname(importer),
            });
            if (found.errors.length > 0 || !found.path) return undefined;
            const text = readFileSync(found.path, 'utf8');
            const map = new Map<string, Origin>();
            // Anything but re-exports (and comments): leave this barrel alone.
            const rest = text
              .replace(/export\s*\{[^}]*\}\s*from\s*"[^"]+";?/g, '')
              .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
            if (rest.trim() !== '') return undefined;
            for (const m of text.matchAll(/export\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g)) {
              const [, list = '', from = ''] = m;
              for (const { imported, local } of specifiers(list)) {
                if (from.startsWith('.')) {
                  const file = fileOf(found.path, from);
                  if (file) map.set(local, { file, name: imported });
                } else if (BARREL.test(from)) {
                  const origin = (await exportsOf(from, found.path))?.get(imported);
                  if (origin) map.set(local, origin);
                }
              }
            }
            return map;
          })();
          barrels.set(spec, entry);
        }
        return entry;
      };

      build.onLoad(
        { filter: /[\\/]node_modules[\\/]@(smithy|aws-sdk)[\\/].*[\\/]dist-es[\\/].*\.js$/ },
        async (args) => {
          const text = readFileSync(args.path, 'utf8');
          if (!/from\s*"@(smithy|aws-sdk)\/core\//.test(text)) return undefined;
          let changed = false;
          const parts: string[] = [];
          let last = 0;
          for (const m of text.matchAll(IMPORT)) {
            const [whole, keyword = '', list = '', spec = ''] = m;
            const map = await exportsOf(spec, args.path);
            const names = specifiers(list);
            if (!map || names.some((n) => !map.has(n.imported))) continue;
            const statements = names.map(({ imported, local }) => {
              const origin = map.get(imported) as Origin;
              const binding = origin.name === local ? local : `${origin.name} as ${local}`;
              return `${keyword} { ${binding} } from ${JSON.stringify(origin.file)};`;
            });
            parts.push(text.slice(last, m.index), statements.join('\n'));
            last = m.index + whole.length;
            changed = true;
          }
          if (!changed) return undefined;
          parts.push(text.slice(last));
          return { contents: parts.join(''), loader: 'js', resolveDir: dirname(args.path) };
        },
      );
    },
  };
}
