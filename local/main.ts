/**
 * `npm start`: the whole CRM on one machine. Real emulators (DynamoDB Local, aws-ses-v2-local), the
 * same Lambda handlers the CDK stack deploys, and small in-repo stand-ins for what has no emulator
 * (API Gateway adapter, EventBridge bus, stream event-source mapping).
 */
import { chmod, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureLocalUsers } from '#access/local-directory.js';
import { s3Files } from '#platform/aws/files.js';
import { ALL_TENDRIL_EVENTS } from '#platform/event-rules.js';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type HttpFunctionName } from '#platform/manifest.js';
import type { Pattern } from '#platform/pattern-match.js';
import { DEFAULT_MACHINE_PREFIX } from '#platform/stage.js';
import { AsyncInvoker } from './async-invoker.js';
import { ensureTable, localClient, startDynamoLocal } from './dynamodb.js';
import { LocalEventBus } from './event-bus.js';
import { loadAllHandlers } from './handlers.js';
import { type GatewayOptions, handleApiRequest } from './http-adapter.js';
import { localEndpoints } from './local-endpoints.js';
import { manifestQueues } from './queue.js';
import { LOCAL_FILES_BUCKET, S3RVER_CREDENTIALS, startS3Local } from './s3.js';
import { LocalScheduler } from './scheduler.js';
import { listen, loadSecrets } from './secrets.js';
import { startSesLocal } from './ses.js';
import { startInboundSmtp } from './smtp.js';
import { staticSite } from './static-site.js';
import { LocalStepFunctions } from './step-functions.js';
import { StreamPoller } from './stream-poller.js';

export interface LocalOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Keep DynamoDB in memory (tests); the default persists under dataDir. */
  inMemory?: boolean;
  /** The inbound mail (SMTP) port; 0: any free one. */
  smtpPort?: number;
  /** How much faster than real time workflow waits pass (86400 = a day per second). */
  timeScale?: number;
  log?: (line: string) => void;
}

export interface RunningTendril {
  url: string;
  adminToken: string;
  sesUrl: string;
  /** Where email to the support address is received (SMTP, standing for SES receiving). */
  smtpPort: number;
  bus: LocalEventBus;
  poller: StreamPoller;
  stepFunctions: LocalStepFunctions;
  scheduler: LocalScheduler;
  invoker: AsyncInvoker;
  /**
   * Resolves once nothing is in flight and nothing is due within `horizonMs`: the outbox is
   * published, bus deliveries are done, no execution is in a Task or in a Wait ending by then, no
   * schedule fires by then. What tests wait for before asserting that nothing (more) happened.
   */
  idle(horizonMs?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Chunk workers at once on one machine (TENDRIL_LOCAL_QUEUE_CONCURRENCY; the cloud runs the manifest's). */
const LOCAL_QUEUE_CONCURRENCY = Number(process.env.TENDRIL_LOCAL_QUEUE_CONCURRENCY ?? 4);

export async function startTendril(options: LocalOptions): Promise<RunningTendril> {
  const log = options.log ?? ((line: string) => console.log(line));
  // The SDK warns about Node 20 on every client; local mode knows and says so in the README.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = resolve(options.dataDir);
  // Only the user who runs Tendril may read its data (the table, the admin token, the signing key).
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  await chmod(join(dataDir, 'dynamodb'), 0o700);
  const secrets = await loadSecrets(dataDir);
  const usersFile = await ensureLocalUsers(join(dataDir, 'users.json')); // the user pool's stand-in
  if (process.env.TENDRIL_ADMIN_TOKEN && process.env.TENDRIL_ADMIN_TOKEN !== secrets.adminToken) {
    secrets.adminToken = process.env.TENDRIL_ADMIN_TOKEN;
  }

  const dynamo = await startDynamoLocal(
    options.inMemory ? undefined : join(dataDir, 'dynamodb'),
    options.host,
  );
  const { url: sesUrl, server: ses, accepted: sesAccepted } = await startSesLocal(options.host);
  const s3 = await startS3Local(options.host, options.inMemory ? undefined : join(dataDir, 's3'));
  const tableName = 'tendril-local';
  const bus = new LocalEventBus('tendril-local', join(dataDir, 'events.jsonl'), (rule, err) =>
    log(`event rule ${rule} failed: ${String(err)}`),
  );
  const busEndpoint = await bus.listen(options.host);
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const account = '000000000000';
  // Lambda's asynchronous invocations (rules, schedules, timers): stored, retried twice, then parked.
  const invoker = new AsyncInvoker({
    file: options.inMemory ? undefined : join(dataDir, 'async-invocations.json'),
    timeScale: options.timeScale ?? 1,
    onError: (msg) => log(msg),
  });
  const stepFunctions = new LocalStepFunctions({
    region,
    account,
    timeScale: options.timeScale ?? 1,
    file: options.inMemory ? undefined : join(dataDir, 'step-functions.json'),
    onError: (msg) => log(msg),
    // As Step Functions publishes execution status changes to the default bus.
    onStatusChange: async (detail) => {
      const [result] = await bus.put([
        {
          Source: 'aws.states',
          DetailType: 'Step Functions Execution Status Change',
          Detail: JSON.stringify(detail),
          Resources: [String(detail.executionArn)],
        },
      ]);
      if (result?.ErrorCode) throw new Error(`${result.ErrorCode}: ${result.ErrorMessage}`);
    },
  });
  const sfnEndpoint = await stepFunctions.listen(options.host);
  const stepFunctionArn = `arn:aws:lambda:${region}:${account}:function:tendril-local-workflow-step`;
  const scheduler = new LocalScheduler({
    region,
    account,
    timeScale: options.timeScale ?? 1,
    file: options.inMemory ? undefined : join(dataDir, 'schedules.json'),
    deadLetterFile: join(dataDir, 'schedule-dead-letters.jsonl'),
    onError: (msg) => log(msg),
  });
  const schedulerEndpoint = await scheduler.listen(options.host);
  const scheduledActionArn = `arn:aws:lambda:${region}:${account}:function:tendril-local-scheduled-action`;
  // The queues of the manifest's queue triggers (imports' and bulk actions' chunks, campaigns').
  const queues = manifestQueues({
    region,
    account,
    dir: options.inMemory ? undefined : join(dataDir, 'queues'),
    concurrency: LOCAL_QUEUE_CONCURRENCY,
    timeScale: options.timeScale ?? 1,
    onError: (msg) => log(msg),
  });
  const queueEndpoints = await Promise.all(queues.map(({ queue }) => queue.listen(options.host)));
  const queueUrlOf = (consumer: FunctionName) => queues.find((q) => q.name === consumer)?.queue.url ?? '';

  // The HTTP server listens first: its URL is part of the handlers' configuration (unsubscribe links).
  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'starting', message: 'Tendril is starting', details: [] } }));
  };
  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      log(`request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: 'internal error', details: [] } }));
    });
  });
  const port = await listen(server, options.port, options.host);
  const url = `http://${options.host}:${port}`;

  Object.assign(process.env, {
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: bus.name,
    SIGNING_SECRET: secrets.signingSecret,
    AWS_REGION: region,
    // s3rver knows one key; the other emulators take any.
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_SQS: queueEndpoints[0]?.url ?? '',
    FILES_BUCKET: LOCAL_FILES_BUCKET,
    CHUNK_QUEUE_URL: queueUrlOf('job-chunks'),
    CAMPAIGN_QUEUE_URL: queueUrlOf('campaign-chunks'),
    // Locally the admin token stands for Cognito's (the gateway checks it): the authorizer judges keys.
    USER_POOL_ID: 'us-east-1_local',
    USER_POOL_CLIENT_ID: 'local',
    LOCAL_USERS_FILE: usersFile,
    WEBHOOK_QUEUE_URL: queueUrlOf('webhook-deliveries'),
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: busEndpoint.url,
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    AWS_ENDPOINT_URL_SFN: sfnEndpoint.url,
    AWS_ENDPOINT_URL_SCHEDULER: schedulerEndpoint.url,
    SCHEDULE_GROUP_NAME: 'tendril-local',
    SCHEDULE_TARGET_ARN: scheduledActionArn,
    SCHEDULE_ROLE_ARN: `arn:aws:iam::${account}:role/tendril-local-scheduler`,
    SCHEDULE_DLQ_ARN: `arn:aws:sqs:${region}:${account}:tendril-local-schedule-dead-letters`,
    STEP_FUNCTION_ARN: stepFunctionArn,
    STATE_MACHINE_ROLE_ARN: `arn:aws:iam::${account}:role/tendril-local-workflows`,
    STATE_MACHINE_ARN_PREFIX: `arn:aws:states:${region}:${account}:stateMachine:`,
    WORKFLOW_LOG_GROUP_ARN: `arn:aws:logs:${region}:${account}:log-group:tendril-local-workflows`,
    WORKFLOW_MACHINE_PREFIX: DEFAULT_MACHINE_PREFIX,
    SENDER_EMAIL: process.env.TENDRIL_SENDER_EMAIL ?? 'hello@tendril.local',
    SES_CONFIGURATION_SET: 'tendril-local',
    SUPPORT_EMAIL: process.env.TENDRIL_SUPPORT_EMAIL ?? 'support@tendril.local',
    // The shared send rate (the cloud reads SES's quota): all email, and the share campaigns may use.
    EMAIL_MAX_SEND_RATE: process.env.TENDRIL_EMAIL_MAX_SEND_RATE ?? '50',
    ...(process.env.TENDRIL_CAMPAIGN_SEND_RATE
      ? { CAMPAIGN_SEND_RATE: process.env.TENDRIL_CAMPAIGN_SEND_RATE }
      : {}),
    PUBLIC_API_URL: url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_SERVICE_NAME: 'tendril-local',
  });

  const ddb = localClient(dynamo.endpoint);
  const streamArn = await ensureTable(ddb, tableName);
  ddb.destroy();

  // The handlers read their configuration at import, so they are loaded only now; each is wired to
  // its trigger as the manifest says, as the CDK stack does.
  const all = await loadAllHandlers();
  const handlers = {} as Record<HttpFunctionName, (typeof all)[HttpFunctionName]>;
  let poller: StreamPoller | undefined;
  let authorizer: GatewayOptions['authorizer'] = async () => ({ isAuthorized: false });
  const timers: Array<{ name: string; everyMs: number }> = [];
  let mailFunction: FunctionName | undefined;
  for (const name of FUNCTION_NAMES) {
    const handler = all[name];
    const trigger = FUNCTIONS[name].trigger;
    switch (trigger.kind) {
      case 'http':
        handlers[name as HttpFunctionName] = handler;
        break;
      case 'authorizer':
        authorizer = handler;
        break;
      case 'workflow-task':
        stepFunctions.registerLambda(stepFunctionArn, (input) => handler(input));
        break;
      case 'schedule':
        invoker.register(name, handler);
        scheduler.registerTarget(scheduledActionArn, (input) => invoker.invoke(name, 'schedule', input));
        break;
      case 'rule':
        // One local bus stands for Tendril's bus and the default bus (where SES and Step Functions publish).
        invoker.register(name, handler);
        bus.addRule(trigger.rule, trigger.pattern as unknown as Pattern, (event) =>
          invoker.invoke(name, `rule ${trigger.rule}`, event),
        );
        break;
      case 'timer':
        invoker.register(name, handler);
        // The cloud's rate, time-scaled like every local wait (at least every 5 s).
        timers.push({
          name,
          everyMs: Math.max(5_000, (trigger.minutes * 60_000) / (options.timeScale ?? 1)),
        });
        break;
      case 'mail':
        invoker.register(name, handler);
        mailFunction = name;
        break;
      case 'queue':
        // Started below, with the other deliveries.
        break;
      case 'stream':
        poller = new StreamPoller({
          endpoint: dynamo.endpoint,
          streamArn,
          filter: trigger.filter as unknown as Pattern,
          handler,
          checkpointFile: options.inMemory ? undefined : join(dataDir, 'stream-checkpoint.json'),
          onError: (err) => log(`outbox poller: ${String(err)}`),
        });
        break;
    }
  }
  if (!poller) throw new Error('the manifest has no stream consumer');
  await stepFunctions.resume();
  await scheduler.start();
  // After the emulators its functions call: what a crash left queued runs against a ready system.
  await invoker.start();
  for (const { name, queue } of queues) await queue.start(all[name]);
  await poller.start();
  const files = s3Files(LOCAL_FILES_BUCKET);
  const { port: smtpPort, stop: stopSmtp } = await startInboundSmtp({
    host: options.host,
    port: options.smtpPort ?? 0,
    supportAddress: process.env.SUPPORT_EMAIL ?? '',
    store: (key, raw) => files.put(key, raw, 'message/rfc822'),
    deliver: (event) => invoker.invoke(mailFunction ?? 'inbound-email', 'mail', event),
    log,
  });
  // Timers also fire once at start: what a crash left behind is looked at right away.
  const timerHandles = timers.map(({ name, everyMs }) => {
    const fire = () => invoker.invoke(name, 'timer', {}).catch((err) => log(`timer ${name}: ${String(err)}`));
    void fire();
    const handle = setInterval(fire, everyMs);
    handle.unref();
    return handle;
  });
  bus.addRule('archive', ALL_TENDRIL_EVENTS as unknown as Pattern, async () => {});

  const adminToken = secrets.adminToken;
  const idle = async (horizonMs = 0, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    // Quiet twice in a row: a delivery can start the next piece of work (an event → an execution).
    for (let quiet = 0; quiet < 2; ) {
      await poller.caughtUp();
      await bus.drain();
      const busy =
        bus.busy() ||
        invoker.busy(horizonMs) ||
        stepFunctions.busy(horizonMs) ||
        scheduler.busy(horizonMs) ||
        queues.some(({ queue }) => queue.busy());
      quiet = busy ? 0 : quiet + 1;
      if (Date.now() > deadline) throw new Error(`not idle after ${timeoutMs} ms`);
      if (busy) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const site = staticSite(join(import.meta.dirname, '..', 'web', 'dist'), [s3.url]);
  route = async (req: IncomingMessage, res: ServerResponse) => {
    if (await handleApiRequest(req, res, { handlers, adminToken, authorizer })) return;
    if (await site(req, res)) return;
    await localEndpoints(req, res, {
      adminToken,
      sesUrl,
      idle,
      events: () => bus.events(),
      sesAccepted,
      deadLetters: () => ({
        items: invoker.deadLetters(),
        queues: Object.fromEntries(queues.map(({ queue }) => [queue.arn, queue.deadLetters()])),
      }),
    });
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      for (const handle of timerHandles) clearInterval(handle);
      await stopSmtp();
      await stepFunctions.suspend();
      await scheduler.stop();
      await poller.stop();
      await bus.drain();
      await invoker.stop();
      for (const { queue } of queues) await queue.stop();
      for (const { server } of queueEndpoints) await new Promise<void>((done) => server.close(() => done()));
      await s3.stop();
      await new Promise<void>((done) => sfnEndpoint.server.close(() => done()));
      await new Promise<void>((done) => schedulerEndpoint.server.close(() => done()));
      await new Promise<void>((done) => busEndpoint.server.close(() => done()));
      await new Promise<void>((done) => ses.close(() => done()));
      await dynamo.stop();
    })();
    return stopping;
  };
  return { url, adminToken, sesUrl, smtpPort, bus, poller, stepFunctions, scheduler, invoker, idle, stop };
}

function timeScale(): number {
  const raw = process.env.TENDRIL_TIME_SCALE ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1)
    throw new Error(`TENDRIL_TIME_SCALE must be a number >= 1, got ${raw}`);
  return scale;
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const running = await startTendril({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: process.env.TENDRIL_DATA_DIR ?? '.tendril-data',
    timeScale: timeScale(),
    smtpPort: Number(process.env.TENDRIL_SMTP_PORT ?? 2525),
  });
  console.log(`Tendril is running
  Admin UI     ${running.url}/
  API          ${running.url}/v1   (OpenAPI: ${running.url}/v1/openapi.json)
  Public forms ${running.url}/f/{formId}
  Booking      ${running.url}/m/{slug}   (pages made in Settings → Booking pages)
  Help centre  ${running.url}/help   (articles made in Knowledge base)
  Event log    ${running.url}/_local/events   (failed every retry: ${running.url}/_local/dead-letters)
  Mail outbox  ${running.sesUrl}/   (JSON: ${running.sesUrl}/store)
  Support mail smtp://${process.env.HOST ?? '127.0.0.1'}:${running.smtpPort}   (to ${process.env.SUPPORT_EMAIL}: opens cases)
  Time scale   ${timeScale()}x (TENDRIL_TIME_SCALE)
  Admin token  ${running.adminToken}
Try: curl -H "Authorization: Bearer ${running.adminToken}" ${running.url}/v1/contacts`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log('stopping…');
      running.stop().then(() => process.exit(0));
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
