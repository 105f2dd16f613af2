/** Starts `npm start`'s entry point as a child process, exactly as a user would, and talks HTTP to it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Processes of a process group that are not zombies, read from /proc (Linux). */
function liveMembers(pgid: number): number {
  let live = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp …; comm may contain spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') live++;
    } catch {
      // exited while we looked
    }
  }
  return live;
}

export interface LocalServer {
  url: string;
  token: string;
  /** The aws-ses-v2-local outbox. */
  sesUrl: string;
  /** The inbound mail (SMTP) port: email to the support address opens cases. */
  smtpPort: number;
  /** The server's pid (also its process group id). */
  pid: number;
  output(): string;
  stop(): Promise<void>;
  /** kill -9 of the whole process group (the server and its DynamoDB Local JVM): a crash, not a stop; resolves when all of it is gone. */
  kill9(): Promise<void>;
}

export async function startLocalServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<LocalServer> {
  // Its own process group, so a crash test can kill -9 it with everything it started.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, PORT: '0', TENDRIL_SMTP_PORT: '0', TENDRIL_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Never outlive the test run, even when it dies.
  const reap = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  let out = '';
  const sesUrl = () => /Mail outbox\s+(http:\/\/\S+?)\/\s/.exec(out)?.[1];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  // A loaded machine (other suites on both cores) may need longer: TENDRIL_TEST_START_TIMEOUT_MS.
  const deadline = Date.now() + Number(process.env.TENDRIL_TEST_START_TIMEOUT_MS ?? 60_000);
  for (;;) {
    const url = /API\s+(http:\/\/\S+)\/v1/.exec(out)?.[1];
    const token = /Admin token\s+(\S+)/.exec(out)?.[1];
    if (url && token) {
      return {
        url,
        token,
        sesUrl: String(sesUrl()),
        smtpPort: Number(/Support mail\s+smtp:\/\/\S+:(\d+)/.exec(out)?.[1]),
        pid: child.pid as number,
        output: () => out,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
        kill9: async () => {
          const pgid = child.pid as number;
          try {
            process.kill(-pgid, 'SIGKILL');
          } catch {
            return; // the group is gone already
          }
          // Gone when no live process of the group is left (zombies a non-reaping init keeps do not count).
          for (let i = 0; i < 200; i++) {
            if (liveMembers(pgid) === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          throw new Error(`process group ${pgid} survived kill -9`);
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`local server did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until the running server is idle: nothing in flight, nothing due within `withinMs` (see
 * local/main.ts). Tests call it before asserting that nothing (more) happened, instead of sleeping.
 */
export async function idle(server: LocalServer, withinMs = 0): Promise<void> {
  const res = await fetch(`${server.url}/_local/idle?within=${withinMs}`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (res.status !== 200) throw new Error(`not idle: ${res.status} ${await res.text()}`);
}

/** A JSON client for the admin API of a running local server. */
export function adminClient(server: LocalServer) {
  return async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
}

export interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  headers: Array<{ name: string; value: string }>;
  body?: { html?: string; text?: string };
  at: number;
}

/** Emails to `to` in the aws-ses-v2-local outbox. */
export async function outbox(server: LocalServer, to: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${server.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.includes(to));
}
