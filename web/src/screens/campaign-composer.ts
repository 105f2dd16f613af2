/**
 * A campaign's draft: its name, its audience (a tag or a segment), segments to leave out and the
 * template to send — every reference picked from a list, never typed. Saves a new draft or edits one.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  type AudienceSize,
  api,
  type BulkJob,
  type Campaign,
  type EmailSettings,
  type Page,
  type Segment,
  type Template,
} from '../api.js';
import { ErrorBox, Field, html, Loading, link, useAction, useLoad } from '../ui.js';
import { type AbSetup, AbTestFields, abBody, abSetupOf } from './campaign-ab.js';
import { Warnings } from './templates.js';

type Audience = Campaign['audience'];

export function CampaignComposer({
  campaign,
  onSaved,
}: {
  campaign?: Campaign;
  onSaved: (c: Campaign) => void;
}) {
  const refs = useLoad(
    () =>
      Promise.all([
        api<Page<Template>>('GET', '/v1/templates?limit=100'),
        api<Page<Segment>>('GET', '/v1/segments?limit=100'),
        api<EmailSettings>('GET', '/v1/settings/email'),
      ]),
    [],
  );
  const [name, setName] = useState(campaign?.name ?? '');
  const [kind, setKind] = useState<Audience['kind']>(campaign?.audience.kind ?? 'tag');
  const [tag, setTag] = useState(campaign?.audience.kind === 'tag' ? campaign.audience.tag : '');
  const [segmentId, setSegmentId] = useState(
    campaign?.audience.kind === 'segment' ? campaign.audience.segmentId : '',
  );
  const [exclude, setExclude] = useState<string[]>(campaign?.excludeSegmentIds ?? []);
  const [templateId, setTemplateId] = useState(campaign?.templateId ?? '');
  const [subscriptionType, setSubscriptionType] = useState(campaign?.subscriptionType ?? '');
  // The A/B setup, kept while the box is unticked (ticking it again brings it back).
  const [testing, setTesting] = useState(campaign?.abTest !== undefined);
  const [ab, setAb] = useState<AbSetup | undefined>(undefined);
  const save = useAction();

  if (refs.error) return html`<${ErrorBox} error=${refs.error} onRetry=${refs.reload} />`;
  if (!refs.data) return html`<${Loading} what="Loading templates and segments" />`;
  const [templates, segments, settings] = refs.data;
  const types = settings.subscriptionTypes ?? [];
  if (templates.items.length === 0)
    return html`<p class="empty">A campaign sends a template: <a href=${link('/templates')}>create a template</a> first.</p>`;
  const chosenTemplate = templateId || templates.items[0]?.id || '';
  const setup = ab ?? abSetupOf(campaign?.abTest, templates.items, templateId || campaign?.templateId);
  const chosenSegment = segmentId || segments.items[0]?.id || '';
  const audience: Audience | undefined =
    kind === 'tag'
      ? tag.trim()
        ? { kind, tag: tag.trim() }
        : undefined
      : chosenSegment
        ? { kind, segmentId: chosenSegment }
        : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      name: name.trim(),
      audience: kind === 'tag' ? { kind, tag: tag.trim() } : { kind, segmentId: chosenSegment },
      excludeSegmentIds: exclude,
      ...(testing ? { abTest: abBody(setup) } : { templateId: chosenTemplate }),
      ...(subscriptionType ? { subscriptionType } : {}),
    };
    let saved: Campaign | undefined;
    const ok = await save.run(async () => {
      saved = campaign
        ? await api<Campaign>('PUT', `/v1/campaigns/${campaign.id}`, body)
        : await api<Campaign>('POST', '/v1/campaigns', body);
    });
    if (ok && saved) onSaved(saved);
  };
  const toggle = (id: string, on: boolean) =>
    setExclude(on ? [...exclude, id] : exclude.filter((x) => x !== id));
  const where = (path: string) => {
    const variant = /^abTest\.variants\.(\d)/.exec(path)?.[1];
    if (variant) return `Variant ${'ABCD'[Number(variant)]}:`;
    return path.startsWith('audience.tag') ? 'Tag:' : path.startsWith('name') ? 'Name:' : undefined;
  };

  return html`<form class="card composer" onSubmit=${submit} aria-labelledby="composer-title">
    <h2 id="composer-title">${campaign ? 'Edit the draft' : 'New campaign'}</h2>
    <${Field} label="Name" id="campaign-name" required value=${name} onInput=${setName} placeholder="Spring sale" />
    <fieldset>
      <legend>Send to</legend>
      <label class="choice"><input type="radio" name="audience" checked=${kind === 'tag'} onChange=${() => setKind('tag')} /> Contacts with a tag</label>
      <label class="choice"><input type="radio" name="audience" checked=${kind === 'segment'} disabled=${segments.items.length === 0}
        onChange=${() => setKind('segment')} /> A segment${segments.items.length === 0 ? ' (none saved yet)' : ''}</label>
      ${
        kind === 'tag'
          ? html`<${Field} label="Tag" id="campaign-tag" required value=${tag} onInput=${setTag} placeholder="newsletter" />`
          : html`<div class="field">
              <label for="campaign-segment">Segment</label>
              <select id="campaign-segment" value=${chosenSegment} onChange=${(e: Event) => setSegmentId((e.target as HTMLSelectElement).value)}>
                ${segments.items.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
              </select>
            </div>`
      }
    </fieldset>
    ${
      segments.items.length > 0
        ? html`<fieldset>
            <legend>Leave out contacts in</legend>
            ${segments.items.map(
              (s) => html`<label class="choice">
                <input type="checkbox" checked=${exclude.includes(s.id)}
                  onChange=${(e: Event) => toggle(s.id, (e.target as HTMLInputElement).checked)} /> ${s.name}
              </label>`,
            )}
          </fieldset>`
        : null
    }
    <label class="choice"><input type="checkbox" checked=${testing} onChange=${(e: Event) => setTesting((e.target as HTMLInputElement).checked)} />
      A/B test: send variants to part of the audience, then the best to the rest</label>
    ${
      testing
        ? html`<${AbTestFields} value=${setup} onChange=${setAb} templates=${templates.items} />`
        : html`<div class="field">
            <label for="campaign-template">Template</label>
            <select id="campaign-template" value=${chosenTemplate} onChange=${(e: Event) => setTemplateId((e.target as HTMLSelectElement).value)}>
              ${templates.items.map((t) => html`<option value=${t.id}>${t.name} — “${t.subject}”</option>`)}
            </select>
          </div>
          <${Warnings} warnings=${templates.items.find((t) => t.id === chosenTemplate)?.warnings} />`
    }
    ${
      types.length > 0
        ? html`<div class="field">
            <label for="campaign-type">Subscription type</label>
            <select id="campaign-type" aria-describedby="campaign-type-hint" value=${subscriptionType}
              onChange=${(e: Event) => setSubscriptionType((e.target as HTMLSelectElement).value)}>
              <option value="">None: marketing email in general</option>
              ${types.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
            </select>
            <p class="hint" id="campaign-type-hint">Contacts who left this type are left out; its unsubscribe link leaves just this type.</p>
          </div>`
        : null
    }
    <${AudienceCount} audience=${audience} />
    <p class="hint">Contacts who unsubscribed, are suppressed or have no basis to be emailed are left out when it is sent.</p>
    <${ErrorBox} error=${save.error} where=${where} />
    <div class="actions"><button type="submit" disabled=${save.busy}>${campaign ? 'Save changes' : 'Save draft'}</button></div>
  </form>`;
}

/**
 * A large segment counted exactly on demand: a count job (the bulk engine pages the segment from its
 * index), polled every second until it has counted.
 */
function ExactCount({ segmentId }: { segmentId: string }) {
  const [job, setJob] = useState<BulkJob | undefined>();
  const start = useAction();
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') return;
    const timer = setTimeout(async () => {
      try {
        setJob((await api<{ job: BulkJob }>('GET', `/v1/bulk-actions/${job.id}`)).job);
      } catch {
        setJob({ ...job, status: 'failed' });
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [job]);
  const count = () =>
    start.run(async () =>
      setJob(
        await api<BulkJob>('POST', '/v1/bulk-actions', {
          action: { kind: 'count' },
          audience: { kind: 'segment', segmentId },
        }),
      ),
    );
  return html`<div class="exact-count">
    ${
      job?.status === 'completed'
        ? html`<p role="status"><strong>Exactly ${(job.total ?? 0).toLocaleString()}</strong> ${job.total === 1 ? 'contact is' : 'contacts are'} in this segment now, before exclusions.</p>`
        : job?.status === 'failed'
          ? html`<p role="alert">The count could not finish. <button type="button" class="secondary" onClick=${count}>Count again</button></p>`
          : job
            ? html`<p role="status">Counting… ${job.queued.toLocaleString()} so far.</p>`
            : html`<button type="button" class="secondary" disabled=${start.busy} onClick=${count}>Count exactly</button>`
    }
    <${ErrorBox} error=${start.error} />
  </div>`;
}

/** The audience's size as it is picked (counters, a moment behind; a refused tag shows nothing). */
export function AudienceCount({ audience }: { audience: Audience | undefined }) {
  const key = JSON.stringify(audience ?? null);
  const [size, setSize] = useState<{ key: string; value: AudienceSize } | undefined>();
  useEffect(() => {
    if (!audience) return;
    let alive = true;
    const timer = setTimeout(() => {
      api<AudienceSize>('POST', '/v1/campaigns/audience-size', audience)
        .then((value) => alive && setSize({ key, value }))
        .catch(() => alive && setSize(undefined));
    }, 300);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [key]);
  const value = audience && size?.key === key ? size.value : undefined;
  const n = value?.contacts.toLocaleString();
  return html`${
    value?.kind === 'at_most' && audience?.kind === 'segment'
      ? html`<${ExactCount} key=${audience.segmentId} segmentId=${audience.segmentId} />`
      : null
  }<p class="hint" role="status" aria-live="polite">${
    value
      ? value.kind === 'count'
        ? audience?.kind === 'segment'
          ? `${n} ${value.contacts === 1 ? 'contact is' : 'contacts are'} in this segment, before exclusions.`
          : `${n} ${value.contacts === 1 ? 'contact has' : 'contacts have'} this tag, before exclusions.`
        : `At most ${n} ${value.contacts === 1 ? 'contact' : 'contacts'} in this segment, before exclusions.`
      : ''
  }</p>`;
}
