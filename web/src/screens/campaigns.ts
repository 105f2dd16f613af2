/**
 * Campaigns: the list (newest first, with status and how many were sent to), a new draft, and a
 * campaign's page (#/campaigns/{id}): edit the draft, send it now after a confirm step or schedule
 * it (and unschedule it), pause and resume it, follow its progress (polled every second while it sends, and in the
 * five minutes before its scheduled time), cancel it, and read its report (unique opens and
 * clicks, bounces, spam complaints, from its counters).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  type Campaign,
  type CampaignView,
  type EmailSettings,
  type Page,
  query,
  type Template,
} from '../api.js';
import {
  Empty,
  ErrorBox,
  html,
  Loading,
  link,
  money,
  Pager,
  useAction,
  useLoad,
  usePager,
  usePoll,
  when,
} from '../ui.js';
import { AbTestResults } from './campaign-ab.js';
import { AudienceCount, CampaignComposer } from './campaign-composer.js';
import { CampaignSchedule } from './campaign-schedule.js';
import { localTimeText, Waves } from './campaign-waves.js';

const STATUS_LABELS: Record<Campaign['status'], string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  testing: 'Testing',
  sent: 'Sent',
  cancelled: 'Cancelled',
};
const count = (n: number) => n.toLocaleString();
const audienceOf = (c: Campaign) =>
  c.audience.kind === 'tag' ? `contacts tagged “${c.audience.tag}”` : 'a segment';

export function CampaignsScreen() {
  const pager = usePager();
  const [composing, setComposing] = useState(false);
  const list = useLoad(
    () => api<Page<CampaignView>>('GET', `/v1/campaigns${query({ limit: 20, cursor: pager.cursor })}`),
    [pager.cursor],
  );
  const items = list.data?.items;
  return html`<section aria-labelledby="campaigns-title">
    <div class="section-head">
      <h1 id="campaigns-title">Campaigns</h1>
      <button type="button" aria-expanded=${composing} onClick=${() => setComposing(!composing)}>New campaign</button>
    </div>
    ${composing ? html`<${CampaignComposer} onSaved=${(c: Campaign) => (window.location.hash = `#/campaigns/${c.id}`)} />` : null}
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !items
          ? html`<${Loading} what="Loading campaigns" />`
          : items.length === 0
            ? html`<${Empty}>No campaigns yet. A campaign sends one email to a tag or a segment.</${Empty}>`
            : html`<div class="table-scroll" role="region" aria-labelledby="campaigns-caption" tabindex="0">
                <table>
                  <caption class="sr-only" id="campaigns-caption">Campaigns, newest first</caption>
                  <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Audience</th>
                    <th scope="col" class="num">Sent to</th><th scope="col">Created</th></tr></thead>
                  <tbody>
                    ${items.map(
                      ({ campaign: c, progress, report }) => html`<tr>
                        <td><a href=${link(`/campaigns/${c.id}`)}>${c.name}</a></td>
                        <td><span class=${`status status-${c.status}`}>${STATUS_LABELS[c.status]}</span></td>
                        <td>${audienceOf(c)}</td>
                        <td class="num">${progress ? count(Math.max(progress.counts.changed, report?.sent ?? 0)) : '—'}</td>
                        <td>${when(c.createdAt)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
    }
    ${
      items && (pager.page > 1 || list.data?.nextCursor)
        ? html`<${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`
        : null
    }
  </section>`;
}

export function CampaignScreen({ id }: { id: string }) {
  // Polled every second while it is sending; a failed poll stops and offers Retry.
  const {
    value: view,
    error,
    refresh,
  } = usePoll(
    () => api<CampaignView>('GET', `/v1/campaigns/${id}`),
    () => (v) =>
      v.campaign.status === 'sending' ||
      (v.campaign.status === 'scheduled' && Date.parse(v.campaign.scheduledAt ?? '') - Date.now() < 300_000),
    [id],
  );
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm' | 'schedule'>('view');
  // Names of the A/B variants' templates (the results show ids' subjects without them).
  const templates = useLoad(() => api<Page<Template>>('GET', '/v1/templates?limit=100'), []);
  const act = useAction();
  const confirmRef = useRef<HTMLDivElement>(null);
  // The button that opened the confirm step or the schedule form gets the focus back when it closes
  // (the page's heading when it is gone: the campaign was sent or scheduled).
  const opener = useRef<string | undefined>(undefined);
  const open = (next: 'confirm' | 'schedule') => {
    opener.current = next === 'confirm' ? 'campaign-send-now' : 'campaign-schedule';
    setMode(next);
  };
  useEffect(() => {
    if (mode === 'confirm') confirmRef.current?.focus();
    if (mode === 'view' && opener.current) {
      (document.getElementById(opener.current) ?? document.getElementById('campaign-title'))?.focus();
      opener.current = undefined;
    }
  }, [mode]);
  const c = view?.campaign;
  const run = async (what: 'send' | 'cancel' | 'unschedule' | 'pause' | 'resume') => {
    if (await act.run(() => api('POST', `/v1/campaigns/${id}/${what}`))) {
      setMode('view');
      refresh();
      return;
    }
    // Refused because it changed meanwhile (sent, scheduled or cancelled elsewhere): show it as it is now.
    refresh();
  };
  return html`<section aria-labelledby="campaign-title">
    <p class="crumbs"><a href=${link('/campaigns')}>Campaigns</a> ›</p>
    <h1 id="campaign-title">${c ? c.name : 'Campaign'}</h1>
    ${error ? html`<${ErrorBox} error=${error} onRetry=${refresh} />` : null}
    ${
      !c
        ? error
          ? null
          : html`<${Loading} what="Loading the campaign" />`
        : mode === 'edit'
          ? html`<${CampaignComposer} campaign=${c} onSaved=${() => {
              setMode('view');
              refresh();
            }} />
            <button type="button" class="secondary" onClick=${() => setMode('view')}>Close without saving</button>`
          : html`<div class="card">
              <p role="status">Status: <strong class=${`status status-${c.status}`}>${STATUS_LABELS[c.status]}</strong></p>
              ${c.localTime ? html`<p>Local send time: ${localTimeText(c.localTime)}.</p>` : null}
              ${c.status === 'scheduled' ? html`<p>Starts sending ${when(c.scheduledAt)}${c.localTime ? ' (your time), where that time comes first' : ''}.</p>` : null}
              <p>To ${audienceOf(c)}${c.excludeSegmentIds.length > 0 ? `, leaving out ${c.excludeSegmentIds.length} segment${c.excludeSegmentIds.length === 1 ? '' : 's'}` : ''}.</p>
              ${c.subscriptionType ? html`<${TypeLine} id=${c.subscriptionType} />` : null}
              ${view?.progress ? html`<${Progress} progress=${view.progress} sentSoFar=${view.report?.sent} testing=${c.status === 'testing'} />` : null}
              ${view?.waves ? html`<${Waves} waves=${view.waves} />` : null}
              ${view?.campaign.abTest ? html`<${AbTestResults} view=${view} templates=${templates.data?.items} onChosen=${refresh} />` : null}
              ${view?.report && view.report.sent > 0 ? html`<${Report} report=${view.report} />` : null}
              ${
                mode === 'confirm'
                  ? html`<div class="bulk-confirm" role="group" aria-labelledby="send-question" tabindex="-1" ref=${confirmRef}
                      onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && setMode('view')}>
                      <p id="send-question"><strong>Send “${c.name}” to ${audienceOf(c)} now?</strong></p>
                      <${AudienceCount} audience=${c.audience} />
                      <div class="actions">
                        <button type="button" disabled=${act.busy} onClick=${() => run('send')}>Send now</button>
                        <button type="button" class="secondary" onClick=${() => setMode('view')}>Keep as draft</button>
                      </div>
                    </div>`
                  : mode === 'schedule'
                    ? html`<${CampaignSchedule} campaign=${c} onClose=${() => setMode('view')} onDone=${() => {
                        setMode('view');
                        refresh();
                      }} />`
                    : html`<div class="actions">
                      ${
                        c.status === 'draft'
                          ? html`<button type="button" id="campaign-send-now" onClick=${() => open('confirm')}>Send now…</button>
                        <button type="button" id="campaign-schedule" class="secondary" onClick=${() => open('schedule')}>Schedule…</button>
                        <button type="button" class="secondary" onClick=${() => setMode('edit')}>Edit</button>`
                          : c.status === 'scheduled'
                            ? html`<button type="button" class="secondary" disabled=${act.busy} onClick=${() => run('unschedule')}>Unschedule</button>`
                            : c.status === 'sending'
                              ? html`<button type="button" class="secondary" disabled=${act.busy} onClick=${() => run('pause')}>Pause</button>`
                              : c.status === 'paused'
                                ? html`<button type="button" disabled=${act.busy} onClick=${() => run('resume')}>Resume</button>`
                                : null
                      }
                      ${
                        c.status === 'draft' ||
                        c.status === 'sending' ||
                        c.status === 'scheduled' ||
                        c.status === 'paused' ||
                        c.status === 'testing'
                          ? html`<button type="button" class="secondary danger" disabled=${act.busy} onClick=${() => run('cancel')}>
                              ${c.status === 'draft' ? 'Discard draft' : c.status === 'scheduled' ? 'Cancel campaign' : 'Stop sending'}</button>`
                          : null
                      }
                    </div>`
              }
              <${ErrorBox} error=${act.error} />
            </div>`
    }
  </section>`;
}

/**
 * The job's counts move a chunk (100 contacts) at a time; while it sends, the emails already sent
 * (the report's count, a moment behind) say more: the larger is shown.
 */
function Progress({
  progress,
  sentSoFar = 0,
  testing = false,
}: {
  progress: NonNullable<CampaignView['progress']>;
  sentSoFar?: number | undefined;
  /** An A/B test waiting for its winner: its contacts not in the test wait (cancelled: they never will). */
  testing?: boolean;
}) {
  const { counts, total } = progress;
  // An A/B test's contacts waiting for the winner, or sent a variant already, are not left out.
  const { awaiting_winner: waiting = 0, in_test: inTest = 0, ...reasons } = counts.leftOut ?? {};
  return html`<div class="campaign-progress">
    <label for="campaign-bar">Progress</label>
    ${
      total !== undefined
        ? html`<progress id="campaign-bar" max=${Math.max(total, 1)} value=${Math.min(counts.processed, total)}
            aria-valuetext=${`${count(counts.processed)} of ${count(total)} contacts`}></progress>`
        : html`<progress id="campaign-bar" aria-valuetext=${`${count(counts.processed)} contacts so far`}></progress>`
    }
    <dl class="counts">
      <div class="count"><dt>Sent to</dt><dd>${count(Math.max(counts.changed, sentSoFar))}</dd></div>
      <div class="count"><dt>Left out</dt><dd>${count(counts.unchanged - waiting - inTest)}</dd></div>
      <div class="count"><dt>Failed</dt><dd>${count(counts.failed)}</dd></div>
    </dl>
    ${waiting > 0 && testing ? html`<p>${count(waiting)} ${waiting === 1 ? 'contact waits' : 'contacts wait'} for the A/B test’s winner.</p>` : null}
    <${LeftOut} reasons=${reasons} />
    ${progress.finishedAt ? html`<p class="muted">${waiting > 0 ? 'The test share was sent' : 'Finished'} ${when(progress.finishedAt)}.</p>` : null}
  </div>`;
}

/** Why contacts were left out, in words, most frequent first. */
const REASONS: Record<string, [string, string]> = {
  unsubscribed: ['unsubscribed from all marketing email', 'unsubscribed from all marketing email'],
  unsubscribed_from_type: ['left this subscription type', 'left this subscription type'],
  suppressed: ['address suppressed (bounce or complaint)', 'addresses suppressed (bounces or complaints)'],
  no_consent_basis: ['no basis to email', 'no basis to email'],
  frequency_cap: ['over the frequency cap', 'over the frequency cap'],
  excluded: ['in a segment left out', 'in a segment left out'],
  contact_deleted: ['deleted meanwhile', 'deleted meanwhile'],
  render_failed: ['template could not be rendered for them', 'template could not be rendered for them'],
  email_rejected: ['refused by the email service', 'refused by the email service'],
};

function LeftOut({ reasons }: { reasons: Record<string, number> | undefined }) {
  const entries = Object.entries(reasons ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return null;
  return html`<div class="left-out">
    <p id="left-out-title" class="muted">Left out because:</p>
    <ul aria-labelledby="left-out-title">
      ${entries.map(([reason, n]) => {
        const [one, many] = REASONS[reason] ?? [reason.replace(/_/g, ' '), reason.replace(/_/g, ' ')];
        return html`<li>${count(n)} ${n === 1 ? 'contact' : 'contacts'}: ${n === 1 ? one : many}</li>`;
      })}
    </ul>
  </div>`;
}

const percent = (n: number, of: number) => `${of > 0 ? Math.round((n / of) * 1000) / 10 : 0}%`;

/** Unique opens and clicks as shares of the emails sent; unsubscribes, bounces and complaints (they come in for days). */
function Report({ report }: { report: NonNullable<CampaignView['report']> }) {
  const { sent, opened, clicked, bounced, complained, unsubscribed } = report;
  const rows: Array<[string, number]> = [
    ['Opened', opened],
    ['Clicked', clicked],
    ['Unsubscribed', unsubscribed],
    ['Bounced', bounced],
    ['Marked as spam', complained],
  ];
  return html`<section class="campaign-report" aria-labelledby="report-title">
    <h2 id="report-title">Report</h2>
    <p class="muted">Of ${count(sent)} ${sent === 1 ? 'email' : 'emails'} sent; opens and clicks count once per email.</p>
    <dl class="counts">
      ${rows.map(
        ([
          label,
          n,
        ]) => html`<div class=${`count${label === 'Bounced' || label === 'Marked as spam' ? (n > 0 ? ' is-bad' : '') : ''}`}>
          <dt>${label}</dt><dd>${count(n)} <small>(${percent(n, sent)})</small></dd>
        </div>`,
      )}
    </dl>
    ${report.revenue ? html`<${Revenue} revenue=${report.revenue} />` : null}
    ${
      report.links?.length
        ? html`<div class="table-scroll">
            <table class="link-clicks">
              <caption>Clicks by link (contacts who clicked it)</caption>
              <thead><tr><th scope="col">Link</th><th scope="col" class="num">Clicks</th></tr></thead>
              <tbody>${report.links.map(
                (l) => html`<tr><td class="url">${l.url}</td><td class="num">${count(l.clicks)}</td></tr>`,
              )}</tbody>
            </table>
          </div>`
        : null
    }
  </section>`;
}

type AttributedRevenue = NonNullable<NonNullable<CampaignView['report']>['revenue']>;

/** Attributed amounts of one touch, currencies side by side (never added up). */
export const touchAmounts = (revenue: AttributedRevenue, touch: 'firstTouch' | 'lastTouch') =>
  revenue.byCurrency
    .filter((c) => c[touch] !== 0)
    .map((c) => money(c[touch], c.currency))
    .join(' · ') || '0';

/** Deals won by its recipients within 30 days of its email, as first and as last touch. */
function Revenue({ revenue }: { revenue: AttributedRevenue }) {
  const amounts = (touch: 'firstTouch' | 'lastTouch') => touchAmounts(revenue, touch);
  return html`<div class="campaign-revenue">
    <p id="revenue-title" class="muted">Revenue from deals its recipients won within 30 days of its email:</p>
    <dl class="counts" aria-labelledby="revenue-title">
      <div class="count"><dt>Last touch (${count(revenue.dealsWon.lastTouch)} ${revenue.dealsWon.lastTouch === 1 ? 'deal' : 'deals'})</dt><dd>${amounts('lastTouch')}</dd></div>
      <div class="count"><dt>First touch (${count(revenue.dealsWon.firstTouch)} ${revenue.dealsWon.firstTouch === 1 ? 'deal' : 'deals'})</dt><dd>${amounts('firstTouch')}</dd></div>
    </dl>
  </div>`;
}

/** The campaign's subscription type by name (its id while the settings load, or if they cannot). */
function TypeLine({ id }: { id: string }) {
  const settings = useLoad(() => api<EmailSettings>('GET', '/v1/settings/email'), []);
  const name = settings.data?.subscriptionTypes?.find((t) => t.id === id)?.name ?? id;
  return html`<p>Subscription type: <strong>${name}</strong> (contacts who left it are left out).</p>`;
}
