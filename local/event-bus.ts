/**
 * Local EventBridge: an HTTP endpoint speaking the PutEvents API (AWS JSON 1.1), so the publisher
 * uses the real SDK client; events are matched against rules with the EventBridge pattern matcher,
 * delivered to in-process targets, and appended to an archive file (the cloud bus has an archive).
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { matchesPattern, type Pattern } from '#platform/pattern-match.js';
import { AwsApiError, serveAwsJson } from './aws-json-api.js';

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

interface Rule {
  name: string;
  pattern: Pattern;
  target: (event: BusEvent) => Promise<void>;
}

interface PutEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

export class LocalEventBus {
  private readonly rules: Rule[] = [];
  private readonly log: BusEvent[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly name: string,
    private readonly archiveFile?: string,
    private readonly onError: (rule: string, err: unknown) => void = () => {},
  ) {}

  addRule(name: string, pattern: Pattern, target: Rule['target']): void {
    this.rules.push({ name, pattern, target });
  }

  events(): readonly BusEvent[] {
    return this.log;
  }

  /** Resolves when every delivery started so far has finished (used by tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async put(
    entries: PutEntry[],
  ): Promise<Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>> {
    const results = [];
    for (const entry of entries) {
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        detail = undefined;
      }
      if (
        !entry.Source ||
        !entry.DetailType ||
        typeof detail !== 'object' ||
        detail === null ||
        Array.isArray(detail)
      ) {
        results.push({
          ErrorCode: 'MalformedDetail',
          ErrorMessage: 'Source, DetailType and a JSON object Detail are required',
        });
        continue;
      }
      if (entry.EventBusName && entry.EventBusName !== this.name) {
        results.push({
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `no event bus ${entry.EventBusName}`,
        });
        continue;
      }
      const time =
        entry.Time === undefined
          ? new Date()
          : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: process.env.AWS_REGION ?? 'us-east-1',
        resources: entry.Resources ?? [],
        detail: detail as Record<string, unknown>,
      };
      this.log.push(event);
      if (this.archiveFile) await appendFile(this.archiveFile, `${JSON.stringify(event)}\n`);
      // Accepted only once every matching target has taken it (an asynchronous invocation is stored
      // first): the publisher marks it published after this, so a crash in between redelivers it.
      await this.deliver(event);
      results.push({ EventId: event.id });
    }
    return results;
  }

  private async deliver(event: BusEvent): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      const delivery = rule.target(event).catch((err) => this.onError(rule.name, err));
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
      deliveries.push(delivery);
    }
    await Promise.all(deliveries);
  }

  /** Whether a delivery is in flight. */
  busy(): boolean {
    return this.pending.size > 0;
  }

  /** Serves the PutEvents API (AWS JSON 1.1) on `host`; returns the endpoint URL. */
  listen(host = '127.0.0.1') {
    return serveAwsJson({
      targetPrefix: 'AWSEvents.',
      contentType: 'application/x-amz-json-1.1',
      host,
      call: async (operation, body) => {
        if (operation !== 'PutEvents')
          throw new AwsApiError('UnknownOperationException', `unsupported ${operation}`);
        const entries = (body.Entries ?? []) as PutEntry[];
        if (entries.length === 0 || entries.length > 10)
          throw new AwsApiError('ValidationException', 'Entries must hold 1 to 10 events');
        const results = await this.put(entries);
        return { FailedEntryCount: results.filter((e) => e.ErrorCode).length, Entries: results };
      },
    });
  }
}
