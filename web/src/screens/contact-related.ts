/**
 * What the contact is part of, by name: its deals (stage, amount; a link to their pipeline's board),
 * its open tasks, its cases (subject and status; a link to the case) and its workflow enrollments
 * (the workflow's name, not its id). Each card loads on its own, with its own error and Retry.
 */
import type { ComponentChildren } from 'preact';
import { api, type Case, type Deal, type Enrollment, type Page, type Task, type Workflow } from '../api.js';
import { Empty, ErrorBox, html, Loading, money, useLoad, when } from '../ui.js';

type Loaded<T> = { data?: T; error?: unknown; loading: boolean; reload: () => void };

/** A card's list, or its loading, error (with Retry) or empty state. */
function Listing<T>({
  got,
  items,
  what,
  empty,
  render,
}: {
  got: Loaded<unknown>;
  items: T[] | undefined;
  what: string;
  empty: ComponentChildren;
  render: (items: T[]) => ComponentChildren;
}) {
  if (got.error) return html`<${ErrorBox} error=${got.error} onRetry=${got.reload} />`;
  if (!items) return html`<${Loading} what=${`Loading ${what}`} />`;
  if (items.length === 0) return html`<${Empty}>${empty}</${Empty}>`;
  return render(items);
}

export function ContactRelated({ contactId }: { contactId: string }) {
  return html`<${Deals} contactId=${contactId} />
    <${Tasks} contactId=${contactId} />
    <${Cases} contactId=${contactId} />
    <${Enrollments} contactId=${contactId} />`;
}

function Deals({ contactId }: { contactId: string }) {
  const got = useLoad(() => api<{ items: Deal[] }>('GET', `/v1/contacts/${contactId}/deals`), [contactId]);
  return html`<section class="card" aria-labelledby="related-deals">
    <h2 id="related-deals">Deals</h2>
    <${Listing} got=${got} items=${got.data?.items} what="the deals"
      empty=${html`No deals. Create one on the <a href="#/pipelines">pipeline board</a>.`}
      render=${(deals: Deal[]) => html`<ul class="plain related" aria-labelledby="related-deals">
        ${deals.map(
          (d) => html`<li>
            <a href=${`#/pipelines/${d.pipelineId}`} class="wrap-anywhere">${d.title}</a>
            <span class="related-meta"><span class="tag">${d.stage}</span> ${money(d.amount, d.currency)}</span>
          </li>`,
        )}
      </ul>`} />
  </section>`;
}

function Tasks({ contactId }: { contactId: string }) {
  const got = useLoad(
    () => api<{ items: Task[] }>('GET', `/v1/contacts/${contactId}/tasks?status=open`),
    [contactId],
  );
  const now = Date.now();
  return html`<section class="card" aria-labelledby="related-tasks">
    <h2 id="related-tasks">Open tasks</h2>
    <${Listing} got=${got} items=${got.data?.items} what="the tasks"
      empty=${html`No open tasks. Add one in <a href="#/tasks">Tasks</a>.`}
      render=${(tasks: Task[]) => html`<ul class="plain related" aria-labelledby="related-tasks">
        ${tasks.map((t) => {
          const overdue = Date.parse(t.dueAt) < now;
          return html`<li>
            <span class="wrap-anywhere">${t.title}</span>
            <span class=${overdue ? 'related-meta overdue' : 'related-meta muted'}>
              ${overdue ? 'Overdue · ' : 'Due '}<time datetime=${t.dueAt}>${when(t.dueAt)}</time>${t.owner ? ` · ${t.owner}` : ''}
            </span>
          </li>`;
        })}
      </ul>`} />
  </section>`;
}

const CASE_STATUS: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

function Cases({ contactId }: { contactId: string }) {
  const got = useLoad(() => api<Page<Case>>('GET', `/v1/contacts/${contactId}/cases?limit=20`), [contactId]);
  return html`<section class="card" aria-labelledby="related-cases">
    <h2 id="related-cases">Cases</h2>
    <${Listing} got=${got} items=${got.data?.items} what="the cases" empty="No support cases."
      render=${(cases: Case[]) => html`<ul class="plain related" aria-labelledby="related-cases">
        ${cases.map(
          (c) => html`<li>
            <a href=${`#/cases/${c.id}`} class="wrap-anywhere">${c.subject}</a>
            <span class="related-meta"><span class="status">${CASE_STATUS[c.status] ?? c.status}</span></span>
          </li>`,
        )}
      </ul>`} />
  </section>`;
}

/** The workflows' names: the first page of workflows, then any other one named, one by one. */
async function workflowNames(ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const list = await api<Page<Workflow>>('GET', '/v1/workflows?limit=100');
  for (const w of list.items) names.set(w.id, w.name);
  const missing = ids.filter((id) => !names.has(id));
  await Promise.all(
    missing.map((id) =>
      api<{ workflow: Workflow }>('GET', `/v1/workflows/${id}`).then(
        (v) => names.set(id, v.workflow.name),
        () => undefined,
      ),
    ),
  );
  return names;
}

function Enrollments({ contactId }: { contactId: string }) {
  const got = useLoad(async () => {
    const page = await api<Page<Enrollment>>('GET', `/v1/contacts/${contactId}/enrollments?limit=50`);
    const names = await workflowNames([...new Set(page.items.map((e) => e.workflowId))]).catch(
      () => new Map<string, string>(),
    );
    return { items: page.items, names };
  }, [contactId]);
  const names = got.data?.names;
  return html`<section class="card" aria-labelledby="related-enrollments">
    <h2 id="related-enrollments">Workflows</h2>
    <${Listing} got=${got} items=${got.data?.items} what="the enrollments" empty="Not enrolled in any workflow."
      render=${(items: Enrollment[]) => html`<ul class="plain related" aria-label="Enrollments">
        ${items.map(
          (e) => html`<li>
            <a href=${`#/workflows/${e.workflowId}`} class="wrap-anywhere">${names?.get(e.workflowId) ?? 'A deleted workflow'}</a>
            <span class="related-meta muted">v${e.version} · <span class="status">${e.status}</span>${e.stopReason ? ` (${e.stopReason})` : ''}${
              e.currentStep ? html` · at step <code>${e.currentStep}</code>` : null
            }</span>
          </li>`,
        )}
      </ul>`} />
    <button type="button" class="secondary" onClick=${got.reload}>Refresh</button>
  </section>`;
}
