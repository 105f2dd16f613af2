/**
 * What local mode serves besides the API and the admin UI: the event log, the dead letters (what
 * failed every retry), when the local SES accepted each email, an idle wait for tests and scripts, a health check, and a JSON index at `/`
 * when the UI is not built. All but the health check need the admin token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './http-adapter.js';

export interface LocalEndpointsContext {
  adminToken: string;
  sesUrl: string;
  idle(horizonMs?: number): Promise<void>;
  events(): readonly unknown[];
  deadLetters(): unknown;
  /** When the local SES accepted each SendEmail (ms). */
  sesAccepted(): readonly number[];
}

export async function localEndpoints(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: LocalEndpointsContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const local = url.pathname.startsWith('/_local/') && url.pathname !== '/_local/health';
  if (local && !tokenMatches(req.headers.authorization, ctx.adminToken)) {
    return json(401, {
      error: { code: 'unauthorized', message: 'a valid bearer token is required', details: [] },
    });
  }
  if (url.pathname === '/_local/events' && req.method === 'GET') return json(200, { items: ctx.events() });
  if (url.pathname === '/_local/ses-sends' && req.method === 'GET')
    return json(200, { acceptedAt: ctx.sesAccepted() });
  // The on-failure destinations: asynchronous invocations and queue messages that failed every retry.
  if (url.pathname === '/_local/dead-letters' && req.method === 'GET') return json(200, ctx.deadLetters());
  if (url.pathname === '/_local/idle' && req.method === 'GET') {
    const within = Number(url.searchParams.get('within') ?? 0);
    if (!Number.isFinite(within) || within < 0 || within > 600_000)
      return json(400, {
        error: { code: 'validation_error', message: 'within must be 0..600000 ms', details: [] },
      });
    await ctx.idle(within);
    return json(200, { idle: true });
  }
  if (url.pathname === '/_local/health') return json(200, { ok: true });
  if (url.pathname === '/' && req.method === 'GET') {
    return json(200, {
      name: 'Tendril CRM (local)',
      ui: 'not built: run `npm run build:web`, then reload',
      api: '/v1',
      openapi: '/v1/openapi.json',
      outbox: ctx.sesUrl,
    });
  }
  json(404, {
    error: { code: 'route_not_found', message: `no route ${req.method} ${url.pathname}`, details: [] },
  });
}
