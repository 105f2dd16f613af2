/**
 * Conversion predictions on the local CRM, through HTTP: the daily trainer's timer fires at start
 * and, with no won deals yet, records why it did not train; the model summary and a contact's
 * prediction say "no model yet" with that reason; a customer active in the product this month gets
 * a low churn risk explained by its rising product events; a list page's stored likelihoods and a
 * band's contacts are empty before a model; unknown and malformed ids and bands are refused.
 * (Training itself needs contacts older than 90 days, which the API cannot make: the data tests
 * train over stored contacts with a moved clock.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-predictions-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('conversion predictions', () => {
  it('say why there is no model yet, from the run the timer made at start', async () => {
    const view = await eventually(async () => {
      const res = await api('GET', '/v1/predictions/model');
      assert.equal(res.status, 200);
      return res.json.lastRun ? res.json : undefined;
    }, 30_000);
    assert.equal(view.model, undefined);
    assert.equal(view.trainedEveryHours, 24);
    assert.equal(view.minimumPositives, 20);
    assert.equal(view.lastRun.outcome, 'skipped');
    assert.equal(view.lastRun.reason, 'too_few_positives');
    assert.equal(view.lastRun.message, '0 contacts have a won deal; training needs at least 20.');

    const made = await api('POST', '/v1/contacts', { email: 'lead@predictions.example', tags: ['trial'] });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const prediction = await api('GET', `/v1/contacts/${made.json.id}/prediction`);
    assert.equal(prediction.status, 200);
    assert.deepEqual(prediction.json, {
      contactId: made.json.id,
      status: 'no_model',
      factors: [],
      message: 'No model yet: 0 contacts have a won deal; training needs at least 20.',
    });
  });

  it('give a customer active in the product this month a low churn risk, and explain it', async () => {
    const made = await api('POST', '/v1/contacts', { email: 'customer@predictions.example' });
    const id = made.json.id as string;
    const staged = await api('PUT', `/v1/contacts/${id}/lifecycle-stage`, { stage: 'customer' });
    assert.equal(staged.status, 200, JSON.stringify(staged.json));
    for (const name of ['report_exported', 'invoice_sent', 'report_exported']) {
      const res = await api('POST', '/v1/events', { email: 'customer@predictions.example', name });
      assert.equal(res.status, 202, JSON.stringify(res.json));
    }
    const p = await api('GET', `/v1/contacts/${id}/prediction`);
    assert.equal(p.status, 200);
    assert.equal(p.json.stage, 'customer');
    assert.equal(p.json.churn.recentEngagement, 3);
    assert.equal(p.json.churn.previousEngagement, 0);
    assert.equal(p.json.churn.risk, 0);
    assert.equal(p.json.churn.level, 'low');
    assert.equal(p.json.churn.openCases, 0, 'its cases were read: none');
    assert.deepEqual(
      p.json.churn.factors.map((f: { feature: string; contribution: number }) => [f.feature, f.contribution]),
      [['productEvents', -0.35]],
      'rising engagement lowers the risk; active today, so no silence',
    );
  });

  it('answer the stored likelihoods of a page and a band’s contacts: none before a model', async () => {
    const made = await api('POST', '/v1/contacts', { email: 'listed@predictions.example' });
    const ids = `${made.json.id},01JZZZZZZZZZZZZZZZZZZZZZZZ`;
    const read = await api('GET', `/v1/predictions?ids=${ids}`);
    assert.equal(read.status, 200, JSON.stringify(read.json));
    assert.deepEqual(read.json, { items: [] });
    const band = await api('GET', '/v1/predictions/bands/high/contacts?limit=10');
    assert.equal(band.status, 200, JSON.stringify(band.json));
    assert.deepEqual(band.json, { items: [] });
    assert.equal((await api('GET', '/v1/predictions/bands/certain/contacts')).status, 400);
    assert.equal((await api('GET', '/v1/predictions?ids=nope')).status, 400);
    assert.equal((await api('GET', '/v1/predictions')).status, 400);
  });

  it('refuse an unknown contact (404) and a malformed id (400)', async () => {
    assert.equal((await api('GET', '/v1/contacts/01JZZZZZZZZZZZZZZZZZZZZZZZ/prediction')).status, 404);
    assert.equal((await api('GET', '/v1/contacts/nope/prediction')).status, 400);
  });
});
