/**
 * Observability of every function: structured JSON logs (Powertools Logger, with the Lambda context
 * on every line) and business metrics in CloudWatch embedded metric format (Powertools Metrics).
 *
 * Both are loaded when first needed — the logger when a line at or above POWERTOOLS_LOG_LEVEL is
 * written, the metrics writer when an invocation has metrics to publish — so an invocation that
 * logs nothing does not pay their import at cold start. Lines written before the logger is loaded
 * are written in order once it is, and every invocation waits for them before it ends.
 *
 * Metrics are recorded per invocation into a buffer and published in one synchronous step when the
 * invocation ends, so concurrent invocations in one process (local mode) never mix their dimensions.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tendril';
const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
type Level = 'debug' | 'info' | 'warn' | 'error' | 'critical';
const threshold = Math.max(
  0,
  LEVELS.indexOf(
    (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase() as never,
  ),
);

let powertools: Logger | undefined;
let loading: Promise<Logger> | undefined;
let lambdaContext: Context | undefined;
const pending = new Set<Promise<unknown>>();

const loadLogger = () =>
  (loading ??= import('@aws-lambda-powertools/logger').then(({ Logger }) => {
    powertools = new Logger({ serviceName });
    if (lambdaContext) powertools.addContext(lambdaContext);
    return powertools;
  }));

function write(level: Level, message: string, attributes?: Record<string, unknown>) {
  if (LEVELS.indexOf(level.toUpperCase() as never) < threshold) return;
  const line = (l: Logger) => (attributes ? l[level](message, attributes) : l[level](message));
  if (powertools && pending.size === 0) return line(powertools);
  const written = loadLogger().then(line);
  pending.add(written);
  void written.finally(() => pending.delete(written));
}

/** The structured logger (the Powertools Logger's methods Tendril uses). */
export const logger = {
  debug: (message: string, attributes?: Record<string, unknown>) => write('debug', message, attributes),
  info: (message: string, attributes?: Record<string, unknown>) => write('info', message, attributes),
  warn: (message: string, attributes?: Record<string, unknown>) => write('warn', message, attributes),
  error: (message: string, attributes?: Record<string, unknown>) => write('error', message, attributes),
  critical: (message: string, attributes?: Record<string, unknown>) => write('critical', message, attributes),
};

/** The EMF writer, loaded when an invocation first has metrics to publish. */
let sink: Promise<{ metrics: Metrics; count: 'Count' }> | undefined;
const loadSink = () =>
  (sink ??= import('@aws-lambda-powertools/metrics').then(({ Metrics, MetricUnit }) => ({
    // A stage's own namespace (Tendril/<stage>), so its alarms never see another stage's metrics.
    metrics: new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Tendril',
      serviceName,
      logger,
    }),
    count: MetricUnit.Count,
  })));

interface MetricRecord {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

/** The metrics of one invocation, published together when it ends. */
export class MetricsBuffer {
  readonly records: MetricRecord[] = [];

  /** Counts one occurrence of a business event (`LeadCaptured`, `EmailSent`...), optionally by dimensions. */
  count(name: string, value = 1, dimensions: Record<string, string> = {}): void {
    this.records.push({ name, value, dimensions });
  }
}

/** Publishes buffered records: one EMF line per set of dimensions, with no await in between. */
export async function flushMetrics(buffer: MetricsBuffer): Promise<void> {
  if (buffer.records.length === 0) return;
  const { metrics, count } = await loadSink();
  const records = buffer.records.splice(0);
  const byDimensions = new Map<string, MetricRecord[]>();
  for (const r of records) {
    const key = JSON.stringify(Object.entries(r.dimensions).sort());
    byDimensions.set(key, [...(byDimensions.get(key) ?? []), r]);
  }
  for (const group of byDimensions.values()) {
    for (const [name, value] of Object.entries(group[0]?.dimensions ?? {})) metrics.addDimension(name, value);
    for (const r of group) metrics.addMetric(r.name, count, r.value);
    metrics.publishStoredMetrics();
  }
}

export type ObservedContext = Context & { metrics: MetricsBuffer };

/** The middy middleware every handler runs with: Lambda context on every log line, metrics per invocation. */
export function observability<E, R>(): MiddlewareObj<E, R, Error, Context> {
  const end = async (request: { context: Context }) => {
    const buffer = (request.context as Partial<ObservedContext>).metrics;
    if (buffer) await flushMetrics(buffer);
    await Promise.all([...pending]);
  };
  return {
    before: async (request) => {
      lambdaContext = request.context;
      powertools?.addContext(request.context);
      (request.context as ObservedContext).metrics = new MetricsBuffer();
    },
    after: end,
    onError: end,
  };
}
