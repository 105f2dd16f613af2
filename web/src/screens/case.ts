/**
 * A case: its conversation (the customer's emails, replies, internal notes), its status, priority
 * and assignee (a user, chosen by name; one written before assignees were users shows as it was), and
 * a reply box (emailed to the customer, threaded) or a note. Key: r writes a reply.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  type CannedResponse,
  type Case,
  type CaseMessage,
  type CaseStatus,
  type CaseView,
} from '../api.js';
import { ErrorBox, html, Loading, retryOnConflict, useAction, useLoad, when } from '../ui.js';
import { UserPicker } from '../user-picker.js';
import { STATUS_LABELS } from './cases.js';

const KIND_LABELS: Record<CaseMessage['kind'], string> = {
  inbound: 'Customer',
  reply: 'Reply',
  note: 'Internal note',
  acknowledgement: 'Automatic acknowledgement',
};

export function CaseScreen({ id }: { id: string }) {
  const view = useLoad(() => api<CaseView>('GET', `/v1/cases/${id}`), [id]);
  if (view.error) return html`<${ErrorBox} error=${view.error} onRetry=${view.reload} />`;
  if (!view.data) return html`<${Loading} what="Loading the case" />`;
  const c = view.data.case;
  return html`<article aria-labelledby="case-title" class="case-page">
    <p><a href="#/cases">← Cases</a></p>
    <h1 id="case-title">${c.subject} <span class="muted">#${c.ref}</span></h1>
    <p>
      From <a href=${`#/contacts/${c.contactId}`}>${c.email}</a> · opened ${when(c.createdAt)} by ${c.channel}
      ${c.firstResponseAt ? html` · first response ${when(c.firstResponseAt)}` : null}
      ${c.flagged ? html` <span class="badge">${c.flagged === 'spoofed' ? 'Sender not verified: nothing was sent back' : 'Judged spam'}</span>` : null}
    </p>
    ${
      c.rating
        ? html`<p class="case-rating">Customer rating: <strong>${c.rating.score}/5</strong>${c.rating.comment ? html` — “${c.rating.comment}”` : null} <span class="muted">(${when(c.rating.at)})</span></p>`
        : null
    }
    <${SlaLine} c=${c} />
    <${CaseControls} c=${c} onSaved=${view.reload} />
    <h2>Conversation</h2>
    <ol class="plain thread" aria-label="Conversation">
      ${view.data.messages.map((m) => html`<${Message} key=${m.id} m=${m} caseId=${c.id} />`)}
    </ol>
    <${ReplyBox} c=${c} onSent=${view.reload} />
    <${Suggestions} id=${c.id} />
  </article>`;
}

/** The case's SLA targets: when each is due, met or missed; the resolution clock paused while pending. */
function SlaLine({ c }: { c: Case }) {
  const sla = c.sla;
  if (!sla) return null;
  const target = (label: string, due: string | undefined, met: boolean, missed: boolean) =>
    due
      ? html`<li class=${missed ? 'sla-missed' : ''}>${label} ${met ? 'met' : missed ? html`<strong>missed</strong> (due ${when(due)})` : `due ${when(due)}`}</li>`
      : null;
  return html`<ul class="plain sla-line" aria-label="Service level">
    ${target('First response', sla.firstResponseDue, !!c.firstResponseAt && !sla.breached.includes('first_response'), sla.breached.includes('first_response'))}
    ${target('Resolution', sla.resolutionDue, c.status === 'resolved' || c.status === 'closed', sla.breached.includes('resolution'))}
    ${sla.pausedAt ? html`<li class="muted">Resolution clock paused since ${when(sla.pausedAt)} (waiting on the customer)</li>` : null}
  </ul>`;
}

/** Knowledge base articles that may answer the case: links to send the customer, or to read first. */
function Suggestions({ id }: { id: string }) {
  const list = useLoad(
    () =>
      api<{ items: Array<{ id: string; title: string; url: string }> }>('GET', `/v1/cases/${id}/suggestions`),
    [id],
  );
  return html`<aside class="card" aria-labelledby="suggested-title">
    <h2 id="suggested-title">Suggested articles</h2>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !list.data
          ? html`<${Loading} what="Looking for articles" />`
          : list.data.items.length
            ? html`<ul>${list.data.items.map((a) => html`<li><a href=${a.url} target="_blank" rel="noopener">${a.title}</a></li>`)}</ul>`
            : html`<p class="muted">No published article matches this case.</p>`
    }
  </aside>`;
}

function Message({ m, caseId }: { m: CaseMessage; caseId: string }) {
  const action = useAction();
  const open = (key: string) =>
    action.run(async () => {
      const { url } = await api<{ url: string }>(
        'GET',
        `/v1/cases/${caseId}/attachment-url?key=${encodeURIComponent(key)}`,
      );
      window.open(url, '_blank', 'noopener');
    });
  return html`<li class=${`message message-${m.kind}`}>
    <p class="message-head">
      <strong>${KIND_LABELS[m.kind]}</strong>${[m.from, m.author, m.cc && `cc ${m.cc}`].filter(Boolean).map((who) => ` · ${who}`)}${' · '}<time datetime=${m.at}>${when(m.at)}</time>
      ${m.automatic ? html` <span class="badge">Automatic: not answered</span>` : null}
    </p>
    <div class="message-text">${m.text}</div>
    ${
      m.attachments.length
        ? html`<ul class="plain attachments" aria-label="Attachments">
            ${m.attachments.map((a) =>
              a.key
                ? html`<li><button type="button" class="link" onClick=${() => a.key && open(a.key)}>${a.filename}</button> <span class="muted">${a.size < 1024 ? `${a.size} bytes` : `${Math.ceil(a.size / 1024)} KB`}</span></li>`
                : html`<li>${a.filename} <span class="muted">not kept: ${a.refused?.replace(/_/g, ' ')}</span></li>`,
            )}
          </ul>`
        : null
    }
    <${ErrorBox} error=${action.error} />
  </li>`;
}

function CaseControls({ c, onSaved }: { c: Case; onSaved: () => void }) {
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  // The case as saved (by this page, or an SLA escalation seen on a reload) is the starting point.
  useEffect(() => setAssignee(c.assignee ?? ''), [c.version]);
  const action = useAction();
  const save = (patch: Record<string, unknown>) =>
    action
      .run(() => api('PATCH', `/v1/cases/${c.id}`, { ...patch, expectedVersion: c.version }))
      .then((ok) => ok && onSaved());
  return html`<form class="case-controls" onSubmit=${(e: Event) => {
    e.preventDefault();
    // Unchanged: nothing to save (a value from before users is kept as it is).
    if (assignee !== (c.assignee ?? '')) void save({ assignee: assignee === '' ? null : assignee });
  }}>
    <div class="field">
      <label for="case-status">Status</label>
      <select id="case-status" value=${c.status} disabled=${action.busy}
        onChange=${(e: Event) => save({ status: (e.target as HTMLSelectElement).value as CaseStatus })}>
        ${Object.entries(STATUS_LABELS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="case-priority-edit">Priority</label>
      <select id="case-priority-edit" value=${c.priority} disabled=${action.busy}
        onChange=${(e: Event) => save({ priority: (e.target as HTMLSelectElement).value })}>
        ${['low', 'normal', 'high', 'urgent'].map((p) => html`<option value=${p}>${p}</option>`)}
      </select>
    </div>
    <${UserPicker} id="case-assignee" label="Assignee" value=${assignee} onChange=${setAssignee}
      noneLabel="Unassigned" disabled=${action.busy} />
    <button type="submit" class="secondary" disabled=${action.busy || assignee === (c.assignee ?? '')}>Assign</button>
    <${ErrorBox} error=${action.error} onRetry=${retryOnConflict(action.error, onSaved)} />
  </form>`;
}

/** Writes a canned response out for the case and hands its text to the reply box. */
function CannedPicker({ caseId, onPick }: { caseId: string; onPick: (text: string) => void }) {
  const list = useLoad(() => api<{ items: CannedResponse[] }>('GET', '/v1/canned-responses'), []);
  const action = useAction();
  const [choice, setChoice] = useState('');
  if (list.error) return html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`;
  if (!list.data?.items.length) return null;
  const insert = (id: string) =>
    action.run(async () => {
      const { text } = await api<{ text: string }>('GET', `/v1/cases/${caseId}/canned-responses/${id}`);
      onPick(text);
      setChoice('');
    });
  return html`<div class="field">
    <label for="canned-pick">Insert a canned response</label>
    <select id="canned-pick" value=${choice} disabled=${action.busy}
      onChange=${(e: Event) => {
        const id = (e.target as HTMLSelectElement).value;
        setChoice(id);
        if (id) void insert(id);
      }}>
      <option value="">Choose…</option>
      ${list.data.items.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
    </select>
    <${ErrorBox} error=${action.error} />
  </div>`;
}

function ReplyBox({ c, onSent }: { c: Case; onSent: () => void }) {
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [status, setStatus] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const action = useAction();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'r' || (e.target as HTMLElement).closest('input, textarea, select')) return;
      e.preventDefault();
      box.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { text, internal, ...(status && !internal ? { status } : {}) };
    if (await action.run(() => api('POST', `/v1/cases/${c.id}/messages`, body))) {
      setText('');
      onSent();
    }
  };
  return html`<form class="card reply-box" onSubmit=${submit} aria-labelledby="reply-title">
    <h2 id="reply-title">${internal ? 'Internal note' : `Reply to ${c.email}`}</h2>
    <${CannedPicker} caseId=${c.id} onPick=${(picked: string) => {
      setText(text.trim() ? `${text.trimEnd()}\n\n${picked}` : picked);
      box.current?.focus();
    }} />
    <div class="field">
      <label for="reply-text">${internal ? 'Note (only agents see it)' : 'Message (emailed to the customer)'}</label>
      <textarea id="reply-text" ref=${box} rows="5" required value=${text}
        aria-describedby="reply-hint"
        onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
      <small id="reply-hint" class="muted">Press r anywhere on this page to write here.</small>
    </div>
    <div class="field"><label><input type="checkbox" checked=${internal} onChange=${() => setInternal(!internal)} /> Internal note</label></div>
    ${
      internal
        ? null
        : html`<div class="field">
            <label for="reply-status">Then set the case to</label>
            <select id="reply-status" value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
              <option value="">Leave as is</option>
              <option value="pending">Waiting on customer</option>
              <option value="resolved">Resolved</option>
            </select>
          </div>`
    }
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>${internal ? 'Add note' : 'Send reply'}</button>
  </form>`;
}
