/**
 * The side panel's settings of a waitForEvent step: what it waits for (a click in an earlier email of
 * the workflow, chosen from the sendEmail steps before it; a reply by email; a tag, with the tags in
 * use as suggestions) and the most it waits, in words. Nothing is typed as an id.
 */
import type { Template } from '../api.js';
import { html } from '../ui.js';
import { DurationField, type Option, SelectField, TagField } from './controls.js';
import { newWaitEvent, type Step, type WaitEvent } from './model.js';

type WaitStep = Extract<Step, { type: 'waitForEvent' }>;

const EVENT_LABELS: Record<WaitEvent['type'], string> = {
  emailClicked: 'Clicks a link in an earlier email',
  emailReplied: 'Replies by email',
  tagAdded: 'Is tagged',
};

/** The email step as the marketer knows it: its template's name, and its id to tell two apart. */
export const emailOption = (s: Extract<Step, { type: 'sendEmail' }>, templates: Template[]): Option => ({
  value: s.id,
  label: `${templates.find((t) => t.id === s.templateId)?.name ?? 'No template yet'} (${s.id})`,
});

export function WaitEventForm({
  step,
  onChange,
  emails,
  templates,
  tags,
  problems,
}: {
  step: WaitStep;
  onChange: (step: Step) => void;
  /** The sendEmail steps before this one (those a click may be waited for in). */
  emails: Array<Extract<Step, { type: 'sendEmail' }>>;
  templates: Template[];
  tags: string[];
  problems: Map<string, string>;
}) {
  const p = (key: string) => problems.get(key);
  const event = step.event ?? { type: 'tagAdded', tag: '' };
  const setEvent = (next: WaitEvent) => onChange({ ...step, event: next });
  const options = emails.map((s) => emailOption(s, templates));
  return html`<${SelectField} id="wfb-event" label="Wait until the contact" value=${event.type}
      options=${(Object.keys(EVENT_LABELS) as Array<WaitEvent['type']>).map((k) => ({ value: k, label: EVENT_LABELS[k] }))}
      problem=${p('event.type') ?? p('event')}
      onChange=${(k: string) =>
        setEvent(
          newWaitEvent(
            k as WaitEvent['type'],
            emails.map((s) => s.id),
          ),
        )} />
    ${
      event.type === 'emailClicked'
        ? html`<${SelectField} id="wfb-event-email" label="Email" value=${event.step ?? ''} options=${options}
            placeholder=${options.length ? 'Choose an email' : 'No email step before this one'}
            problem=${p('event.step')}
            onChange=${(v: string) => setEvent({ type: 'emailClicked', step: v })} />`
        : event.type === 'tagAdded'
          ? html`<${TagField} id="wfb-event-tag" label="Tag" value=${event.tag ?? ''} tags=${tags}
              problem=${p('event.tag')} onChange=${(tag: string) => setEvent({ type: 'tagAdded', tag })} />`
          : html`<p class="muted">An email from the contact since the enrollment began counts.</p>`
    }
    <${DurationField} id="wfb-timeout" label="Wait at most" value=${step.timeout ?? ''} problem=${p('timeout')}
      onChange=${(v: string) => onChange({ ...step, timeout: v })} />
    <p class="muted">The contact goes on to the next step as soon as this happens (at once if it already
      has), or when the time is up if it does not. Add an If/then branch after it to treat the two apart.</p>`;
}
