/**
 * Observability of every function: one structured JSON logger, and business metrics written as
 * CloudWatch embedded-metric-format lines (Powertools Metrics). Metrics are recorded per invocation
 * into a buffer and flushed in one synchronous step when the invocation ends, so concurrent
 * invocations in one process (local mode) never mix their dimensions or values.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tendril';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'Tendril', serviceName, logger });

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
export function flushMetrics(buffer: MetricsBuffer): void {
  const records = buffer.records.splice(0);
  const byDimensions = new Map<string, MetricRecord[]>();
  for (const r of records) {
    const key = JSON.stringify(Object.entries(r.dimensions).sort());
    byDimensions.set(key, [...(byDimensions.get(key) ?? []), r]);
  }
  for (const group of byDimensions.values()) {
    for (const [name, value] of Object.entries(group[0]?.dimensions ?? {})) metrics.addDimension(name, value);
    for (const r of group) metrics.addMetric(r.name, MetricUnit.Count, r.value);
    metrics.publishStoredMetrics();
  }
}

export type ObservedContext = Context & { metrics: MetricsBuffer };

/** The middy middlewares every handler runs with: Lambda context on every log line, metrics per invocation. */
export function observability<E, R>(): Array<MiddlewareObj<E, R, Error, Context>> {
  const flush = async (request: { context: Context }) => {
    const buffer = (request.context as Partial<ObservedContext>).metrics;
    if (buffer) flushMetrics(buffer);
  };
  return [
    injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj<E, R, Error, Context>,
    {
      before: async (request) => {
        (request.context as ObservedContext).metrics = new MetricsBuffer();
      },
      after: flush,
      onError: flush,
    },
  ];
}
