/** Forms: create one, list them, copy the embed code, and see what was dropped as spam. */
import { useState } from 'preact/hooks';
import { api, type DroppedSubmission, type Form, type Page } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, useAction, useLoad, when, whenLoaded } from '../ui.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The embed code: the hosted form in an iframe (its page carries the single-use token; no JavaScript needed). */
export function embedSnippet(form: Form, origin: string): string {
  const height = 160 + form.fields.length * 70 + (form.consent ? 60 : 0);
  return `<iframe src="${origin}/f/${form.id}" title="${escapeHtml(form.name)}" style="width:100%;max-width:34rem;height:${height}px;border:0" loading="lazy"></iframe>`;
}

/**
 * Your own HTML: a plain <form> posting to /f/{id}, with the honeypot, and a line of script that
 * fetches the page's single-use token (a form that requires tokens drops posts without one) and
 * fills in the visitor's time zone from the browser (a value that is no time zone is dropped).
 */
export function htmlSnippet(form: Form, origin: string): string {
  const inputs = form.fields.map((f) => {
    const id = `tendril-${f.name}`;
    const control =
      f.type === 'textarea'
        ? `<textarea id="${id}" name="${f.name}"${f.required ? ' required' : ''}></textarea>`
        : `<input id="${id}" name="${f.name}" type="${f.type === 'checkbox' ? 'checkbox' : f.type}"${f.required ? ' required' : ''}>`;
    return f.type === 'hidden'
      ? `  ${control}`
      : `  <p><label for="${id}">${escapeHtml(f.label)}</label>\n  ${control}</p>`;
  });
  const consent = form.consent
    ? [
        `  <p><label><input type="checkbox" name="consent"${form.consent.required ? ' required' : ''}> ${escapeHtml(form.consent.text)}</label></p>`,
      ]
    : [];
  const formId = `tendril-form-${form.id}`;
  return [
    `<form id="${formId}" method="post" action="${origin}/f/${form.id}">`,
    ...inputs,
    ...consent,
    '  <p style="position:absolute;left:-9999px" aria-hidden="true"><label>Leave empty <input name="_hp" tabindex="-1" autocomplete="off"></label></p>',
    '  <input type="hidden" name="_ts">',
    '  <input type="hidden" name="timeZone">',
    '  <p><button type="submit">Send</button></p>',
    '</form>',
    `<script>document.querySelector("#${formId} [name=timeZone]").value = Intl.DateTimeFormat().resolvedOptions().timeZone; fetch("${origin}/f/${form.id}/token").then((r) => r.json()).then((t) => { document.querySelector("#${formId} [name=_ts]").value = t.token; });</script>`,
  ].join('\n');
}

export function FormsScreen() {
  const list = useLoad(() => api<Page<Form>>('GET', '/v1/forms?limit=50'), []);
  return html`<section aria-labelledby="forms-title">
    <h1 id="forms-title">Forms</h1>
    ${whenLoaded(list, {
      what: 'Loading forms',
      empty: 'No forms yet: create the first one below.',
      isEmpty: (data) => data.items.length === 0,
      show: (data) => data.items.map((f) => html`<${FormCard} form=${f} />`),
    })}
    <${NewForm} onCreated=${list.reload} />
  </section>`;
}

function CopyBox({ id, label, text }: { id: string; label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return html`<label for=${id}>${label}</label>
    <textarea id=${id} class="code" readonly rows=${Math.min(12, text.split('\n').length + 1)}>${text}</textarea>
    <button type="button" onClick=${async () => {
      await navigator.clipboard?.writeText(text).catch(() => undefined);
      setCopied(true);
    }}>Copy</button>
    <span role="status">${copied ? ' Copied.' : ''}</span>`;
}

function FormCard({ form }: { form: Form }) {
  const [showDropped, setShowDropped] = useState(false);
  return html`<article class="card form-card" aria-labelledby=${`form-${form.id}`}>
    <h2 id=${`form-${form.id}`}>${form.name}</h2>
    <p>Fields: ${form.fields.map((f) => f.name).join(', ')} · tags: ${form.tags.map((t) => html`<span class="tag">${t}</span>`)}</p>
    ${
      form.case
        ? html`<p>Support form: each submission opens a case (priority ${form.case.priority}), its subject from ${form.case.subjectField}, its message from ${form.case.messageField}.</p>`
        : null
    }
    <p><a href=${`/f/${form.id}`} target="_blank" rel="noopener">Open the hosted form</a></p>
    <${CopyBox} id=${`embed-${form.id}`} label="Embed code" text=${embedSnippet(form, window.location.origin)} />
    <details>
      <summary>Your own HTML form</summary>
      <${CopyBox} id=${`html-${form.id}`} label="HTML form with token script" text=${htmlSnippet(form, window.location.origin)} />
    </details>
    <details onToggle=${(e: Event) => setShowDropped((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Dropped as spam</summary>
      ${showDropped ? html`<${DroppedList} formId=${form.id} />` : null}
    </details>
  </article>`;
}

const REASONS: Record<DroppedSubmission['reason'], string> = {
  honeypot: 'filled the hidden bot trap',
  token_missing: 'posted without the form page’s token',
  token_invalid: 'carried a forged or foreign token',
  too_fast: 'was sent faster than a person fills the form',
};

/** Submissions of the last 30 days that were dropped as spam, so no lead is lost unseen. */
function DroppedList({ formId }: { formId: string }) {
  const list = useLoad(
    () => api<Page<DroppedSubmission>>('GET', `/v1/forms/${formId}/dropped-submissions?limit=50`),
    [formId],
  );
  if (list.error)
    return html`<${ErrorBox} error=${list.error} /><button type="button" onClick=${list.reload}>Retry</button>`;
  if (list.loading && !list.data) return html`<${Loading} what="Loading dropped submissions" />`;
  if (!list.data?.items.length) return html`<${Empty}>Nothing dropped in the last 30 days.</${Empty}>`;
  return html`<ul class="dropped" aria-label="Dropped submissions">
    ${list.data.items.map(
      (d) =>
        html`<li><strong>${d.email ?? '(no email)'}</strong> ${REASONS[d.reason]} · ${when(d.droppedAt)}</li>`,
    )}
  </ul>`;
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
type Priority = (typeof PRIORITIES)[number];

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** What a support form needs: a field for the case's subject and one (a textarea) for its message. */
interface Support {
  on: boolean;
  subjectField: string;
  messageField: string;
  priority: Priority;
}

/** The form's fields as the API takes them: the support form's message field is a textarea. */
export function formFields(fields: string, support: Support) {
  return list(fields).map((name) =>
    support.on && name === support.messageField ? { name, type: 'textarea' as const } : name,
  );
}

function NewForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [fields, setFields] = useState('email, firstName');
  const [tags, setTags] = useState('');
  const [consent, setConsent] = useState('');
  const [support, setSupport] = useState<Support>({
    on: false,
    subjectField: '',
    messageField: '',
    priority: 'normal',
  });
  const action = useAction();
  const choices = list(fields).filter((f) => f !== 'email');
  const pick = (chosen: string, fallback: string | undefined) =>
    choices.includes(chosen) ? chosen : (fallback ?? '');
  const subjectField = pick(support.subjectField, choices.find((f) => f === 'subject') ?? choices[0]);
  const messageField = pick(
    support.messageField,
    choices.find((f) => f === 'message') ?? choices.find((f) => f !== subjectField),
  );
  const toggleSupport = (on: boolean) => {
    // A support form needs a subject and a message: add both fields when there are not two to pick from.
    const names = list(fields);
    if (on && choices.length < 2) setFields([...names, 'subject', 'message'].join(', '));
    setSupport({ ...support, on });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const chosen = { ...support, subjectField, messageField };
    const body = {
      name,
      fields: formFields(fields, chosen),
      tags: list(tags),
      ...(consent.trim() ? { consent: { text: consent.trim() } } : {}),
      ...(support.on ? { case: { subjectField, messageField, priority: support.priority } } : {}),
    };
    if (await action.run(() => api('POST', '/v1/forms', body))) {
      setName('');
      onCreated();
    }
  };
  const select = (
    id: string,
    label: string,
    value: string,
    options: readonly string[],
    set: (v: string) => void,
  ) =>
    html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} value=${value} onChange=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option key=${o} value=${o}>${o}</option>`)}
      </select></div>`;
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-form">
    <h2 id="new-form">New form</h2>
    <${Field} label="Name" id="form-name" required value=${name} onInput=${setName} />
    <${Field} label="Fields" id="form-fields" required value=${fields} onInput=${setFields} hint="Comma-separated; email is required." />
    <${Field} label="Tags for every lead" id="form-tags" value=${tags} onInput=${setTags} hint="Comma-separated." />
    <${Field} label="Consent text" id="form-consent" value=${consent} onInput=${setConsent} hint="Optional; shown with a checkbox." />
    <fieldset>
      <legend>Customer service</legend>
      <label class="choice"><input type="checkbox" id="form-support" checked=${support.on}
        onChange=${(e: Event) => toggleSupport((e.target as HTMLInputElement).checked)} /> Support form: each submission opens a case</label>
      ${
        support.on
          ? html`<p class="muted">The form’s thank-you page (or its redirect) is the customer’s acknowledgement; the message field becomes a text area.</p>
            <div class="form-support-pickers">
            ${select('form-subject-field', 'Subject field', subjectField, choices, (v) => setSupport({ ...support, subjectField: v }))}
            ${select(
              'form-message-field',
              'Message field',
              messageField,
              choices.filter((f) => f !== subjectField),
              (v) => setSupport({ ...support, messageField: v }),
            )}
            ${select('form-priority', 'Case priority', support.priority, PRIORITIES, (v) =>
              setSupport({ ...support, priority: v as Priority }),
            )}
            </div>`
          : null
      }
    </fieldset>
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Create form</button>
  </form>`;
}
