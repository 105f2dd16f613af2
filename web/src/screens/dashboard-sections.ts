/**
 * The dashboard's tables: each pipeline's value by stage (one column per currency, never added
 * across currencies), email engagement by template and by workflow, form submissions, new contacts
 * by source and the largest tags. Templates, workflows and forms are shown by name.
 */
import type { SystemEmailId } from '../../../functions/messaging/system-emails.js';
import { api, type Dashboard, type Form, type Page, type Template, type Workflow } from '../api.js';
import { Empty, html, link, money, useLoad } from '../ui.js';

const count = new Intl.NumberFormat();
const rate = (part: number, whole: number) =>
  whole > 0
    ? `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format((part / whole) * 100)} %`
    : '—';

/** The emails Tendril writes itself, counted under an id of their own where a template's would be. */
const SYSTEM_EMAIL_NAMES: Record<SystemEmailId, string> = {
  'case-reply': 'Case replies and acknowledgements',
  'case-survey': 'Satisfaction surveys (CSAT)',
  'case-sla-breach': 'Missed SLA notices',
  'task-assigned': 'Task assigned notices',
  'task-due': 'Task due reminders',
  'workflow-notify-owner': 'Owner notifications (workflows)',
};
const systemEmailName = (id: string) =>
  Object.hasOwn(SYSTEM_EMAIL_NAMES, id) ? SYSTEM_EMAIL_NAMES[id as SystemEmailId] : undefined;

/** Names of the records a report names by id (the latest 100 of each; an older one by the end of its id). */
export function useNames() {
  const templates = useLoad(() => api<Page<Template>>('GET', '/v1/templates?limit=100'), []);
  const workflows = useLoad(() => api<Page<Workflow>>('GET', '/v1/workflows?limit=100'), []);
  const forms = useLoad(() => api<Page<Form>>('GET', '/v1/forms?limit=100'), []);
  const find = (items: Array<{ id: string; name: string }> | undefined, id: string, what: string) =>
    items?.find((x) => x.id === id)?.name ?? `${what} …${id.slice(-6)}`;
  return {
    template: (id: string) => systemEmailName(id) ?? find(templates.data?.items, id, 'Template'),
    workflow: (id: string) => find(workflows.data?.items, id, 'Workflow'),
    form: (id: string) => find(forms.data?.items, id, 'Form'),
  };
}
export type Names = ReturnType<typeof useNames>;

function Table({
  id,
  title,
  head,
  rows,
  empty,
  wide = false,
  note,
}: {
  id: string;
  title: string;
  head: string[];
  rows: Array<{ key: string; name: unknown; cells: string[] }>;
  empty: string;
  wide?: boolean;
  note?: string;
}) {
  return html`<div class=${wide ? 'card wide' : 'card'}><h3 id=${id}>${title}</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>${empty}</${Empty}>`
        : html`<div class="table-scroll" role="region" aria-labelledby=${id} tabindex="0">
            <table>
              <thead><tr>${head.map((h, i) => html`<th scope="col" class=${i > 0 ? 'num' : undefined}>${h}</th>`)}</tr></thead>
              <tbody>${rows.map(
                (r) =>
                  html`<tr key=${r.key}><th scope="row">${r.name}</th>${r.cells.map((c) => html`<td class="num">${c}</td>`)}</tr>`,
              )}</tbody>
            </table>
          </div>
          ${note ? html`<p class="muted">${note}</p>` : null}`
    }
  </div>`;
}

/** A pipeline's deals and value by stage: a column per currency its deals are in. */
export function PipelineValue({ pipeline: p }: { pipeline: Dashboard['pipelines'][number] }) {
  const currencies = [...new Set(p.stages.flatMap((s) => s.values.map((v) => v.currency)))].sort();
  const total = (currency: string) =>
    p.stages.reduce((sum, s) => sum + (s.values.find((v) => v.currency === currency)?.amount ?? 0), 0);
  return html`<${Table}
    id=${`pipeline-${p.pipelineId}-title`}
    title=${`${p.name}: value by stage`}
    head=${['Stage', 'Deals', ...currencies]}
    rows=${p.stages.map((s) => ({
      key: s.stage,
      name: s.stage,
      cells: [
        count.format(s.count),
        ...currencies.map((c) => {
          const v = s.values.find((x) => x.currency === c);
          return v ? money(v.amount, c) : '—';
        }),
      ],
    }))}
    empty="This pipeline has no stage."
    note=${currencies.length === 0 ? 'No deal in this pipeline yet.' : `In all: ${currencies.map((c) => money(total(c), c)).join(' · ')} (each currency apart).`}
  />`;
}

type EmailRow = { sent: number; opened: number; clicked: number; bounced: number };
const emailCells = (r: EmailRow) => [
  count.format(r.sent),
  `${count.format(r.opened)} (${rate(r.opened, r.sent)})`,
  `${count.format(r.clicked)} (${rate(r.clicked, r.sent)})`,
  count.format(r.bounced),
];
const EMAIL_HEAD = ['Sent', 'Opened', 'Clicked', 'Bounced'];

export function EmailTables({ email, names }: { email: Dashboard['email']; names: Names }) {
  return html`
    <${Table}
      id="email-templates-title"
      title="Email by template"
      head=${['Template', ...EMAIL_HEAD]}
      rows=${email.byTemplate.slice(0, 20).map((t) => ({ key: t.templateId, name: names.template(t.templateId), cells: emailCells(t) }))}
      empty="No email sent in this range."
      wide
    />
    <${Table}
      id="email-workflows-title"
      title="Email by workflow"
      head=${['Workflow', ...EMAIL_HEAD]}
      rows=${email.byWorkflow.slice(0, 20).map((w) => ({
        key: w.workflowId,
        name: html`<a href=${link(`/workflows/${w.workflowId}`)}>${names.workflow(w.workflowId)}</a>`,
        cells: emailCells(w),
      }))}
      empty="No workflow sent an email in this range."
      wide
    />`;
}

export function FormsTable({ forms, names }: { forms: Dashboard['forms']; names: Names }) {
  return html`<${Table}
    id="forms-title"
    title="Form submissions"
    head=${['Form', 'Accepted', 'Dropped as spam']}
    rows=${forms.slice(0, 20).map((f) => ({
      key: f.formId,
      name: names.form(f.formId),
      cells: [count.format(f.submitted), count.format(f.dropped)],
    }))}
    empty="No form submission in this range."
  />`;
}

export function SourcesTable({ leads }: { leads: Dashboard['leads'] }) {
  return html`<${Table}
    id="lead-sources-title"
    title="New contacts by source"
    head=${['Source', 'Contacts']}
    rows=${Object.entries(leads.bySource)
      .sort(([, a], [, b]) => b - a)
      .map(([source, n]) => ({ key: source, name: source, cells: [count.format(n)] }))}
    empty="No contact created in this range (imports are counted apart)."
  />`;
}

export function TagsTable({ tags }: { tags: Dashboard['tags'] }) {
  return html`<${Table}
    id="tags-title"
    title="Largest tags"
    head=${['Tag', 'Contacts']}
    rows=${tags.slice(0, 12).map((t) => ({ key: t.tag, name: t.tag, cells: [count.format(t.count)] }))}
    empty="No contact is tagged yet."
  />`;
}
