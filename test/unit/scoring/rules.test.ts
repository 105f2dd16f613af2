/** Lead scoring rules without storage: signals, points within limits, decay, threshold, forward-only stages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEvent } from '#platform/events.js';
import {
  DEFAULT_LIFECYCLE,
  DEFAULT_SCORING,
  LifecycleSettingsSchema,
  type ScoringSettings,
  ScoringSettingsInputSchema,
} from '#scoring/model.js';
import {
  applySignal,
  applySignals,
  decayed,
  emptyStanding,
  forwardStage,
  signalsOf,
  touchOf,
  withTouch,
} from '#scoring/rules.js';

const at = '2026-12-01T10:00:00.000Z';
const meta = { eventId: 'e1', occurredAt: at };
const settings: ScoringSettings = {
  rules: [
    { id: 'open', name: 'Opened', on: 'email_opened', points: 2, limit: 2 },
    { id: 'click', name: 'Clicked', on: 'email_clicked', points: 5 },
    { id: 'demo-form', name: 'Demo form', on: 'form_submitted', filter: 'F1', points: 40 },
    { id: 'any-form', name: 'Any form', on: 'form_submitted', points: 10 },
    { id: 'student', name: 'Student', on: 'tag_added', filter: 'student', points: -30 },
  ],
  threshold: 50,
  halfLifeDays: 10,
  lifecycle: DEFAULT_LIFECYCLE,
  version: 1,
};
const now = new Date(at);

describe('scoring signals', () => {
  it('read what a contact did from the events that say so, and nothing from others', () => {
    assert.deepEqual(
      signalsOf(
        makeEvent(
          'EmailEngaged',
          { contactId: 'c1', messageId: 'm', type: 'clicked', templateId: 'T' },
          meta,
        ),
      ),
      { contactId: 'c1', signals: [{ on: 'email_clicked', filterValue: 'T' }] },
    );
    assert.deepEqual(
      signalsOf(
        makeEvent('FormSubmitted', { contactId: 'c1', formId: 'F1', activityId: 'a', created: true }, meta),
      ),
      { contactId: 'c1', signals: [{ on: 'form_submitted', filterValue: 'F1' }] },
    );
    assert.equal(
      signalsOf(makeEvent('ContactTagged', { contactId: 'c1', tag: 'vip', silent: true }, meta)),
      undefined,
      'a silent import scores nothing',
    );
    assert.equal(signalsOf(makeEvent('ContactUntagged', { contactId: 'c1', tag: 'vip' }, meta)), undefined);
  });
});

describe('site signals', () => {
  it('score pages by path pattern, events by name, and a visitor’s earlier pages once identified', () => {
    const rules: ScoringSettings = {
      ...settings,
      rules: [
        { id: 'pricing', name: 'Pricing', on: 'page_visited', filter: '/pricing*', points: 10 },
        { id: 'docs', name: 'Exact docs', on: 'page_visited', filter: '/docs', points: 3 },
        { id: 'trial', name: 'Trial', on: 'event_tracked', filter: 'trial_started', points: 25 },
      ],
    };
    const identified = signalsOf(
      makeEvent(
        'VisitorIdentified',
        {
          contactId: 'c1',
          visitorId: 'v'.repeat(20),
          paths: ['/Pricing/teams', '/docs/', '/docs/api', '/about'],
          events: ['trial_started'],
        },
        meta,
      ),
    );
    assert.ok(identified);
    const scored = applySignals(emptyStanding('c1', now), rules, identified.signals, now);
    assert.deepEqual(
      scored.changes.map((c) => c.ruleId),
      ['pricing', 'docs', 'trial'],
      '/Pricing/teams matches /pricing*, /docs/ is /docs, /docs/api and /about match nothing',
    );
    assert.equal(scored.score, 38);
    assert.equal(scored.previousScore, 0);
  });
});

describe('points', () => {
  it('are given by every matching rule, filters compared, each rule within its limit', () => {
    const s0 = emptyStanding('c1', now);
    const form = applySignal(s0, settings, { on: 'form_submitted', filterValue: 'F1' }, now);
    assert.deepEqual(
      form.changes.map((c) => [c.ruleId, c.delta]),
      [
        ['demo-form', 40],
        ['any-form', 10],
      ],
    );
    assert.equal(form.score, 50);
    assert.equal(form.thresholdReached, true, 'reached 50 of 50');
    const other = applySignal(s0, settings, { on: 'form_submitted', filterValue: 'F2' }, now);
    assert.deepEqual(
      other.changes.map((c) => c.ruleId),
      ['any-form'],
    );
    let s = s0;
    const scores: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = applySignal(s, settings, { on: 'email_opened' }, now);
      s = r.standing;
      scores.push(r.score);
    }
    assert.deepEqual(scores, [2, 4, 4], 'the third open is past the limit of 2');
  });

  it('decay by half every half-life, and a negative rule takes points away', () => {
    assert.equal(decayed(40, at, new Date('2026-12-11T10:00:00.000Z'), 10), 20);
    assert.equal(decayed(40, at, new Date('2026-12-21T10:00:00.000Z'), 10), 10);
    assert.equal(decayed(40, at, new Date('2027-12-21T10:00:00.000Z'), 0), 40, 'half-life 0: no decay');
    const s1 = applySignal(
      emptyStanding('c1', now),
      settings,
      { on: 'form_submitted', filterValue: 'F1' },
      now,
    );
    const later = new Date('2026-12-11T10:00:00.000Z');
    const tagged = applySignal(s1.standing, settings, { on: 'tag_added', filterValue: 'student' }, later);
    assert.equal(tagged.previousScore, 25, '50 after one half-life');
    assert.equal(tagged.score, -5);
    assert.equal(tagged.standing.qualified, false, 'under the threshold again');
    const again = applySignal(tagged.standing, settings, { on: 'form_submitted', filterValue: 'F1' }, later);
    assert.equal(again.score, 45);
    assert.equal(again.thresholdReached, false);
  });

  it('reach the threshold once until the score falls under it again', () => {
    const s1 = applySignal(
      emptyStanding('c1', now),
      settings,
      { on: 'form_submitted', filterValue: 'F1' },
      now,
    );
    assert.equal(s1.thresholdReached, true);
    const s2 = applySignal(s1.standing, settings, { on: 'email_clicked' }, now);
    assert.equal(s2.score, 55);
    assert.equal(s2.thresholdReached, false, 'already qualified');
  });
});

describe('lifecycle stages', () => {
  it('move forward by rules, never backwards', () => {
    assert.equal(forwardStage(undefined, 'lead'), 'lead');
    assert.equal(forwardStage('lead', 'marketing_qualified_lead'), 'marketing_qualified_lead');
    assert.equal(forwardStage('customer', 'opportunity'), undefined);
    assert.equal(forwardStage('lead', 'lead'), undefined);
  });
});

describe('scoring settings', () => {
  it('refuse a filter on a signal without one, duplicate ids and zero points, at their paths', () => {
    const parsed = ScoringSettingsInputSchema.safeParse({
      threshold: 50,
      halfLifeDays: 30,
      rules: [
        { id: 'a', name: 'A', on: 'deal_created', filter: 'x', points: 5 },
        { id: 'a', name: 'B', on: 'email_clicked', points: 0 },
      ],
    });
    assert.equal(parsed.success, false);
    const paths = parsed.error?.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['rules.0.filter', 'rules.1.id', 'rules.1.points']);
    assert.equal(
      ScoringSettingsInputSchema.safeParse({ ...DEFAULT_SCORING, version: undefined, updatedAt: undefined })
        .success,
      false,
      'only what a workspace writes',
    );
    assert.ok(
      ScoringSettingsInputSchema.safeParse({ rules: DEFAULT_SCORING.rules, threshold: 50, halfLifeDays: 30 })
        .success,
    );
  });

  it('rename stages with names of their own, and turn each automatic move off or point it elsewhere', () => {
    const ok = LifecycleSettingsSchema.safeParse({
      labels: { marketing_qualified_lead: 'Hot lead', customer: 'Client' },
      moves: { ...DEFAULT_LIFECYCLE.moves, formSubmitted: null, scoreReached: 'sales_qualified_lead' },
    });
    assert.equal(ok.success, true, JSON.stringify(ok.error?.issues));
    const clash = LifecycleSettingsSchema.safeParse({
      labels: { lead: ' customer ', evangelist: '', king: 'King' },
      moves: { ...DEFAULT_LIFECYCLE.moves, dealWon: 'royalty' },
    });
    assert.equal(clash.success, false);
    assert.deepEqual(clash.error?.issues.map((i) => i.path.join('.')).sort(), [
      'labels',
      'labels.evangelist',
      'moves.dealWon',
    ]);
    const saved = ScoringSettingsInputSchema.safeParse({
      rules: DEFAULT_SCORING.rules,
      threshold: 50,
      halfLifeDays: 30,
      lifecycle: { labels: { lead: 'Customer' }, moves: DEFAULT_LIFECYCLE.moves },
    });
    assert.deepEqual(
      saved.error?.issues.map((i) => [i.path.join('.'), i.message]),
      [['lifecycle.labels.customer', 'is already the name of lead']],
    );
  });
});

describe('marketing touches', () => {
  it('come from UTM parameters of forms and pages, or a referring site, first kept and latest replaced', () => {
    const form = touchOf(
      makeEvent(
        'FormSubmitted',
        {
          contactId: 'c1',
          formId: 'F',
          activityId: 'a',
          created: true,
          utm: { utm_source: 'LinkedIn', utm_medium: 'paid', utm_campaign: 'Spring' },
        },
        meta,
      ),
    );
    assert.deepEqual(form, { source: 'linkedin', medium: 'paid', campaign: 'spring', at, via: 'form' });
    const page = (url: string, referrer?: string) =>
      touchOf(
        makeEvent(
          'PageVisited',
          { contactId: 'c1', visitId: 'v', path: '/', url, ...(referrer ? { referrer } : {}) },
          { eventId: 'e2', occurredAt: '2026-12-02T10:00:00.000Z' },
        ),
      );
    assert.equal(page('https://www.example.com/'), undefined, 'a direct visit is no touch');
    const referral = page('https://www.example.com/blog', 'news.ycombinator.com');
    assert.deepEqual(referral, {
      source: 'news.ycombinator.com',
      medium: 'referral',
      at: '2026-12-02T10:00:00.000Z',
      via: 'page',
    });
    const s1 = withTouch(emptyStanding('c1', now), form);
    const s2 = withTouch(s1, referral);
    assert.equal(s2.firstTouch?.source, 'linkedin');
    assert.equal(s2.lastTouch?.source, 'news.ycombinator.com');
    assert.equal(withTouch(s2, form), s2, 'an older touch changes nothing');
  });
});
