/**
 * A JSON document on disk that local emulators keep their state in (schedules, state machines and
 * executions, stream checkpoints). Writes are atomic (temp file + rename), so a crash leaves either
 * the previous or the next snapshot, never half of one, and they coalesce: while one is being written
 * only the newest pending value is kept, so a burst of changes costs a couple of writes, not one each.
 * Without a path it keeps nothing (in-memory runs).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

export class JsonFile<T> {
  private pending: { value: T } | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly path: string | undefined) {}

  async read(): Promise<T | undefined> {
    if (!this.path) return undefined;
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as T) : undefined;
  }

  /** Stores `value` (or a newer one written meanwhile); resolves when it is on disk. */
  write(value: T): Promise<void> {
    if (!this.path) return Promise.resolve();
    this.pending = { value };
    this.flushing ??= this.flush(this.path);
    return this.flushing;
  }

  /** Resolves when every write asked for so far is on disk. */
  async flushed(): Promise<void> {
    await this.flushing;
  }

  private async flush(path: string): Promise<void> {
    try {
      while (this.pending) {
        const { value } = this.pending;
        this.pending = undefined;
        await writeFile(`${path}.tmp`, JSON.stringify(value, null, 1));
        await rename(`${path}.tmp`, path);
      }
    } finally {
      // Cleared in the same step that saw nothing pending, so a later write starts a new flush.
      this.flushing = undefined;
    }
  }
}
