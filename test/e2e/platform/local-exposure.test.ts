/**
 * What `npm start` exposes: every socket its process group listens on is bound to HOST (127.0.0.1),
 * DynamoDB Local's included (it has no host option of its own), and its data folder is private.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LocalServer, startLocalServer } from '#test/support/local-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-exposure-'));
let server: LocalServer;
before(async () => {
  server = await startLocalServer(dataDir);
});
after(() => server?.stop());

/** Pids of the process group, from /proc. */
function groupPids(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // stat: pid (comm) state ppid pgrp …; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The local addresses of listening TCP sockets owned by these pids (hex, as /proc/net shows them). */
function listeningAddresses(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1]) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && inodes.has(String(cols[9]))) out.push(String(cols[1]));
    }
  }
  return out;
}

describe('what npm start exposes', () => {
  it('listens only on the loopback interface, the DynamoDB JVM included', () => {
    const pids = groupPids(server.pid);
    assert.ok(pids.length >= 2, `the server and its DynamoDB JVM (found ${pids.length} processes)`);
    const addresses = listeningAddresses(pids);
    assert.ok(
      addresses.length >= 6,
      `API, bus, Step Functions, Scheduler, SES and DynamoDB (found ${addresses.length})`,
    );
    const loopback = (a: string) =>
      a.startsWith('0100007F:') ||
      a.startsWith('00000000000000000000000001000000:') ||
      a.startsWith('0000000000000000FFFF00000100007F:');
    assert.deepEqual(
      addresses.filter((a) => !loopback(a)),
      [],
      'a socket listens beyond 127.0.0.1',
    );
  });

  it('keeps its data readable by its user only', () => {
    for (const dir of [dataDir, join(dataDir, 'dynamodb')]) {
      assert.equal(statSync(dir).mode & 0o777, 0o700, dir);
    }
    assert.equal(statSync(join(dataDir, 'local-secrets.json')).mode & 0o777, 0o600);
  });
});
