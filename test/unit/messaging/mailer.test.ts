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
  it('takes one slot of every rate, outer and inner, once per email, and is due at the innermost one: before the claim or in the send', async () => {
    const taken: string[] = [];
    const rate = (name: string, at: number) => ({
      acquire: async () => {
        taken.push(name);
        return at;
      },
    });
    const sent: OutgoingEmail[] = [];
    const provider = { send: async (e: OutgoingEmail) => String(sent.push(e)) };
    const all = rateLimitedMailer(provider, rate('email', 2_000));
    const campaigns = rateLimitedMailer(all, rate('campaigns', 1_000));

    await campaigns.send(email);
    assert.deepEqual(taken, ['campaigns', 'email']);
    taken.length = 0;
    assert.equal(await campaigns.whenReady?.(), 2_000, 'the send is due at the provider quota’s slot');
    assert.deepEqual(taken, ['campaigns', 'email'], 'whenReady takes the slots');
    await campaigns.send(email, { ready: true });
    assert.deepEqual(taken, ['campaigns', 'email'], 'a ready send takes none again');
    assert.equal(sent.length, 2);
  });
});
