/**
 * Deals through HTTP against `npm start`: a deal deleted at its version (a stale one a 409, the
 * dashboard's pipeline counters follow DealDeleted), the deal list's filters, a lost reason, and a
 * stage removed with its deals moved (refused without a target: a 400 naming the stage), then
 * renamed; the dashboard counts the deals under the new names.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-deals-')));
});
after(async () => {
  await server?.stop();
});

interface StageCount {
  stage: string;
  count: number;
}
/** The dashboard's deal counts of a pipeline, once they are `expected` (the projector runs after the request). */
const dashboardCounts = (pipelineId: string, expected: Record<string, number>) =>
  eventually(async () => {
    const res = await api('GET', '/v1/reports/dashboard');
    const p = res.json.pipelines.find((x: { pipelineId: string }) => x.pipelineId === pipelineId);
    const counts = Object.fromEntries((p?.stages ?? []).map((s: StageCount) => [s.stage, s.count]));
    return Object.entries(expected).every(([stage, n]) => counts[stage] === n) ? counts : undefined;
  }, 30_000);

describe('deals over HTTP', () => {
  it('deletes a deal at its version and removes a stage with its deals moved', {
    timeout: 120_000,
  }, async () => {
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Demo', probability: 0.4 },
        { name: 'Proposal', probability: 0.6 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(pipeline.status, 201);
    const pipelineId = String(pipeline.json.id);
    assert.equal(pipeline.json.version, 1);
    // Owners are users (given by id or email).
    const sam = await api('POST', '/v1/users', { name: 'Sam Seller', email: 'sam@deals.example' });
    const kim = await api('POST', '/v1/users', { name: 'Kim Closer', email: 'kim@deals.example' });
    assert.equal(sam.status, 201, JSON.stringify(sam.json));
    assert.equal(kim.status, 201);
    const deal = (title: string, stage: string, owner?: string) =>
      api('POST', '/v1/deals', {
        title,
        amount: 1000,
        currency: 'EUR',
        pipelineId,
        stage,
        ...(owner ? { owner } : {}),
      });
    const a = await deal('Acme', 'Demo', 'sam@deals.example');
    const b = await deal('Globex', 'Demo', kim.json.id);
    const c = await deal('Initech', 'Qualified', sam.json.id);
    assert.equal(a.json.owner, sam.json.id);
    for (const d of [a, b, c]) assert.equal(d.status, 201, JSON.stringify(d.json));
    await dashboardCounts(pipelineId, { Qualified: 1, Demo: 2 });

    // Delete: a stale version is a 409, the right one a 204; then it is gone.
    const id = String(c.json.id);
    const stale = await api('DELETE', `/v1/deals/${id}?version=2`);
    assert.equal(stale.status, 409);
    assert.equal(stale.json.error.code, 'version_conflict');
    assert.equal((await api('DELETE', `/v1/deals/${id}`)).status, 400);
    assert.equal((await api('DELETE', `/v1/deals/${id}?version=1`)).status, 204);
    assert.equal((await api('GET', `/v1/deals/${id}`)).status, 404);
    await dashboardCounts(pipelineId, { Qualified: 0, Demo: 2 });

    // A lost reason: only with a lost stage.
    const refused = await api('PATCH', `/v1/deals/${b.json.id}`, { version: 1, lostReason: 'Too dear' });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'not_lost');
    const lost = await api('PATCH', `/v1/deals/${b.json.id}`, {
      version: 1,
      stage: 'Lost',
      lostReason: 'Too dear',
    });
    assert.equal(lost.status, 200);
    assert.equal(lost.json.lostReason, 'Too dear');

    // The deal list: by owner (open), by status within the pipeline.
    const sams = await api('GET', `/v1/deals?owner=${sam.json.id}`);
    assert.deepEqual(
      sams.json.items.map((d: { title: string }) => d.title),
      ['Acme'],
    );
    const lostOnes = await api('GET', `/v1/deals?pipelineId=${pipelineId}&status=lost`);
    assert.deepEqual(
      lostOnes.json.items.map((d: { title: string; lostReason: string }) => [d.title, d.lostReason]),
      [['Globex', 'Too dear']],
    );
    assert.equal((await api('GET', '/v1/deals?stage=Demo')).status, 400);

    // Removing Demo (it holds Acme) needs a stage for its deals, of its kind.
    const stages = [
      { name: 'Qualified', probability: 0.2 },
      { name: 'Proposal', probability: 0.6 },
      { name: 'Won', probability: 1 },
      { name: 'Lost', probability: 0 },
    ];
    const noTarget = await api('PUT', `/v1/pipelines/${pipelineId}/stages`, { version: 1, stages });
    assert.equal(noTarget.status, 400);
    assert.match(
      JSON.stringify(noTarget.json.error.details),
      /Demo holds 1 deals: choose the stage they move to/,
    );
    const edited = await api('PUT', `/v1/pipelines/${pipelineId}/stages`, {
      version: 1,
      stages,
      moves: [{ from: 'Demo', to: 'Proposal' }],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.json));
    assert.deepEqual(
      edited.json.stages.map((s: { name: string }) => s.name),
      ['Qualified', 'Proposal', 'Won', 'Lost'],
    );
    const board = await api('GET', `/v1/pipelines/${pipelineId}/board`);
    const inStage = (name: string) =>
      board.json.stages
        .find((s: { name: string }) => s.name === name)
        ?.deals.map((d: { title: string }) => d.title);
    assert.deepEqual(inStage('Proposal'), ['Acme']);
    assert.deepEqual(inStage('Lost'), ['Globex']);
    await dashboardCounts(pipelineId, { Proposal: 1, Lost: 1 });

    // Renamed at the version it is at now (the old one is a 409): its deal follows, counted under the new name.
    const version = edited.json.version;
    const renamedStages = stages.map((s) =>
      s.name === 'Proposal' ? { ...s, name: 'Offer', previousName: 'Proposal' } : s,
    );
    const old = await api('PUT', `/v1/pipelines/${pipelineId}/stages`, { version: 1, stages: renamedStages });
    assert.equal(old.status, 409);
    const renamed = await api('PUT', `/v1/pipelines/${pipelineId}/stages`, {
      version,
      stages: renamedStages,
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    assert.equal((await api('GET', `/v1/deals/${a.json.id}`)).json.stage, 'Offer');
    await dashboardCounts(pipelineId, { Offer: 1, Lost: 1 });
  });
});
