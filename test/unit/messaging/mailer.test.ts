import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type OutgoingEmail, rateLimitedMailer } from '#messaging/mailer.js';

const email: OutgoingEmail = {
  to: 'a@example.com',
  subject: 's',
  html: 'h',
  text: 't',
  headers: {},
  tags: {},
};

describe('a mailer held at shared rates', () => {
  it('waits for one slot of every rate, outer and inner, once per email: before the claim or in the send', async () => {
    const taken: string[] = [];
    const rate = (name: string) => ({ acquire: async () => void taken.push(name) });
    const sent: OutgoingEmail[] = [];
    const provider = { send: async (e: OutgoingEmail) => String(sent.push(e)) };
    const all = rateLimitedMailer(provider, rate('email'));
    const campaigns = rateLimitedMailer(all, rate('campaigns'));

    await campaigns.send(email);
    assert.deepEqual(taken, ['campaigns', 'email']);
    taken.length = 0;
    await campaigns.whenReady?.();
    assert.deepEqual(taken, ['campaigns', 'email'], 'whenReady takes the slots');
    await campaigns.send(email, { ready: true });
    assert.deepEqual(taken, ['campaigns', 'email'], 'a ready send takes none again');
    assert.equal(sent.length, 2);
  });
});
