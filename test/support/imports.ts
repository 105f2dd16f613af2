/**
 * Test support for imports: the files bucket and the chunk queue in memory, and a runner that takes
 * a CSV through the same use cases the handlers call (create, upload, start, plan, chunk workers).
 */
import { processChunk } from '#imports/chunk.js';
import { createImport, startImport } from '#imports/imports.js';
import type { ChunkMessage, ColumnTarget, Import, ImportOptions } from '#imports/model.js';
import { planImport } from '#imports/planner.js';
import type { ChunkQueue } from '#imports/ports.js';
import type { ImportsDeps } from '#imports/store.js';
import { type FileStore, uploadPlan } from '#platform/files.js';

export function memoryFiles(): FileStore & {
  objects: Map<string, Uint8Array>;
  /** What a browser's PUT of one part does: stores it, answers its ETag. */
  putPart(uploadId: string, number: number, bytes: Uint8Array): string;
} {
  const objects = new Map<string, Uint8Array>();
  const uploads = new Map<string, { key: string; parts: Map<number, { bytes: Uint8Array; etag: string }> }>();
  return {
    objects,
    async uploadTarget(key, size) {
      const plan = uploadPlan(size);
      if (!('partSize' in plan))
        return {
          method: 'PUT',
          url: `memory://${key}?size=${size}`,
          headers: { 'content-type': 'text/csv' },
        };
      const uploadId = `upload-${uploads.size + 1}`;
      uploads.set(uploadId, { key, parts: new Map() });
      const parts = Array.from({ length: plan.parts }, (_, i) => ({
        number: i + 1,
        url: `memory://${key}?uploadId=${uploadId}&partNumber=${i + 1}`,
      }));
      return { method: 'multipart', uploadId, partSize: plan.partSize, parts };
    },
    putPart(uploadId, number, bytes) {
      const etag = `"${uploadId}-${number}-${bytes.length}"`;
      uploads.get(uploadId)?.parts.set(number, { bytes, etag });
      return etag;
    },
    async completeUpload(key, uploadId, parts) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return false;
      const chosen = parts.map((p) => upload.parts.get(p.number));
      if (chosen.some((c, i) => !c || c.etag !== parts[i]?.etag)) return false;
      objects.set(key, Buffer.concat(chosen.map((c) => c?.bytes ?? new Uint8Array())));
      uploads.delete(uploadId);
      return true;
    },
    size: async (key) => objects.get(key)?.length,
    head: async (key, bytes) => (objects.get(key) ?? new Uint8Array()).slice(0, bytes),
    async stream(key) {
      const body = objects.get(key) ?? new Uint8Array();
      // Small pieces, so chunk boundaries fall anywhere (inside quoted cells too).
      return (async function* () {
        for (let i = 0; i < body.length; i += 4096) yield body.slice(i, i + 4096);
      })();
    },
    async put(key, body) {
      objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    },
    async write(key, parts) {
      let text = '';
      for await (const part of parts) text += part;
      objects.set(key, new TextEncoder().encode(text));
    },
    downloadUrl: async (key, fileName) => `memory://${key}?download=${fileName}`,
  };
}

export function memoryQueue(): ChunkQueue & { messages: ChunkMessage[] } {
  const messages: ChunkMessage[] = [];
  return {
    messages,
    async send(batch) {
      // As SQS does: the body is JSON text, so what the worker gets is a copy.
      messages.push(...batch.map((m) => JSON.parse(JSON.stringify(m)) as ChunkMessage));
    },
  };
}

export const DEFAULT_OPTIONS: ImportOptions = {
  mode: 'fill_blanks',
  tags: [],
  triggerAutomations: true,
  consentBasis: 'consent',
};

/** Creates, uploads and starts an import, then plans it and runs its chunks `workers` at a time. */
export async function runImport(
  deps: ImportsDeps,
  csv: string,
  options: Partial<ImportOptions> = {},
  run: { mapping?: ColumnTarget[]; workers?: number; files?: ReturnType<typeof memoryFiles> } = {},
): Promise<Import> {
  const files = run.files ?? memoryFiles();
  const queue = memoryQueue();
  const bytes = new TextEncoder().encode(csv);
  const { import: created } = await createImport(deps, files, { fileName: 'test.csv', size: bytes.length });
  await files.put(`imports/${created.id}.csv`, bytes, 'text/csv');
  await startImport(deps, files, created.id, {
    mapping: run.mapping,
    options: { ...DEFAULT_OPTIONS, ...options },
  });
  await planImport(deps, files, queue, created.id);
  await drain(deps, queue, run.workers ?? 2);
  return (await deps.store.getImport(created.id)) as Import;
}

/** Runs every queued chunk, `workers` at a time. */
export async function drain(deps: ImportsDeps, queue: { messages: ChunkMessage[] }, workers = 2) {
  const work = async () => {
    for (let m = queue.messages.shift(); m; m = queue.messages.shift()) await processChunk(deps, m);
  };
  await Promise.all(Array.from({ length: workers }, work));
}
