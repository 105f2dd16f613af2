/**
 * A JSON document on disk that local emulators keep their state in (schedules, state machines and
 * executions). Writes are serialized and atomic (temp file + rename), so a crash leaves either the
 * previous or the next snapshot, never half of one. Without a path it keeps nothing (in-memory runs).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

export class JsonFile<T> {
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly path: string | undefined) {}

  async read(): Promise<T | undefined> {
    if (!this.path) return undefined;
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as T) : undefined;
  }

  /** Queues a snapshot (taken now) behind any write in flight; resolves when it is on disk. */
  write(value: T): Promise<void> {
    const path = this.path;
    if (!path) return Promise.resolve();
    const snapshot = JSON.stringify(value, null, 1);
    this.saving = this.saving.then(async () => {
      await writeFile(`${path}.tmp`, snapshot);
      await rename(`${path}.tmp`, path);
    });
    return this.saving;
  }

  /** Resolves when every queued write is on disk. */
  flushed(): Promise<void> {
    return this.saving;
  }
}
