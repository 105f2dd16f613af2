/**
 * `npm run bench`: every benchmark of issue #5 in one run, written to bench/README.md.
 * Each figure is a ratio of two things measured in this same run (machines are noisy).
 * Pick some with arguments: cold-start, workflow-cost, lead-capture, tracking, scale, import, broadcast,
 * predictions.
 * Env: BENCH_ROUNDS (cold start, default 15), BENCH_LEADS (per round, default 150),
 * BENCH_HITS (tracking hits per round and kind, default 150),
 * BENCH_SCALE (largest table, default 100000), BENCH_IMPORT_ROWS (ratio, default 10000),
 * BENCH_IMPORT_LARGE (the RSS run, default 100000), BENCH_BROADCAST (recipients, default 10000),
 * BENCH_BROADCAST_RATE (campaign emails per second, default 200),
 * BENCH_PREDICTIONS (largest synthetic set, default 50000), BENCH_PREDICTIONS_STORED (contacts the
 * trainer reads from DynamoDB Local, default 5000).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTendril } from '../local/main.js';
import { broadcastBench } from './broadcast.js';
import { coldStart } from './cold-start.js';
import { importBench } from './import.js';
import { leadCapture } from './lead-capture.js';
import { predictionsBench } from './predictions.js';
import { scale } from './scale.js';
import { trackingBench } from './tracking.js';
import { workflowCost } from './workflow-cost.js';

const ALL = [
  'cold-start',
  'workflow-cost',
  'lead-capture',
  'tracking',
  'scale',
  'import',
  'broadcast',
  'predictions',
] as const;
const wanted = process.argv.length > 2 ? process.argv.slice(2) : [...ALL];
for (const w of wanted)
  if (!(ALL as readonly string[]).includes(w)) throw new Error(`unknown benchmark ${w}`);

const sections: string[] = [];
if (wanted.includes('cold-start')) sections.push(await coldStart(Number(process.env.BENCH_ROUNDS ?? 15)));
if (wanted.includes('workflow-cost') || wanted.includes('lead-capture') || wanted.includes('tracking')) {
  const tendril = await startTendril({
    port: 0,
    host: '127.0.0.1',
    dataDir: mkdtempSync(join(tmpdir(), 'tendril-bench-')),
    inMemory: true,
    timeScale: 10_000_000,
    log: () => {},
  });
  try {
    // Workflow cost first: lead capture and tracking pause the outbox poller that enrollment needs.
    if (wanted.includes('workflow-cost')) sections.push(await workflowCost(tendril));
    if (wanted.includes('lead-capture'))
      sections.push(await leadCapture(tendril, Number(process.env.BENCH_LEADS ?? 150), 5));
    if (wanted.includes('tracking'))
      sections.push(await trackingBench(tendril, Number(process.env.BENCH_HITS ?? 150), 5));
  } finally {
    await tendril.stop();
  }
}
if (wanted.includes('import')) {
  sections.push(
    await importBench(
      Number(process.env.BENCH_IMPORT_ROWS ?? 10_000),
      Number(process.env.BENCH_IMPORT_LARGE ?? 100_000),
    ),
  );
}
if (wanted.includes('broadcast')) {
  sections.push(
    await broadcastBench(
      Number(process.env.BENCH_BROADCAST ?? 10_000),
      Number(process.env.BENCH_BROADCAST_RATE ?? 200),
    ),
  );
}
if (wanted.includes('predictions')) {
  const largest = Number(process.env.BENCH_PREDICTIONS ?? 50_000);
  sections.push(
    await predictionsBench(
      [largest / 25, largest / 5, largest],
      Number(process.env.BENCH_PREDICTIONS_STORED ?? 5_000),
    ),
  );
}
if (wanted.includes('scale')) {
  const largest = Number(process.env.BENCH_SCALE ?? 100_000);
  sections.push(await scale([largest / 4, largest]));
}

const report = `# Benchmarks

Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}).
Each figure is a ratio of two measurements taken in the same run; absolute times vary with the
machine. Timing is never asserted in tests.

${sections.join('\n')}`;
if (wanted.length === ALL.length) writeFileSync('bench/README.md', report);
console.log(report);
