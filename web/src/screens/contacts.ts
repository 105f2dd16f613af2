/** Contacts: search by email, filter by tag, paginated; create one. */
import { useState } from 'preact/hooks';
import { api, type Contact, type Page, query } from '../api.js';
import {
  Empty,
  ErrorBox,
  Field,
  html,
  Loading,
  link,
  Pager,
  useAction,
  useLoad,
  usePager,
  when,
} from '../ui.js';

export function ContactsScreen() {
  const [email, setEmail] = useState('');
  const [tag, setTag] = useState('');
  const [filter, setFilter] = useState<{ email?: string; tag?: string }>({});
  const pager = usePager();
  const list = useLoad(
    () => api<Page<Contact>>('GET', `/v1/contacts${query({ limit: 25, cursor: pager.cursor, ...filter })}`),
    [pager.cursor, filter.email, filter.tag],
  );
  const apply = (e: Event) => {
    e.preventDefault();
    pager.reset();
    setFilter({
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(tag.trim() ? { tag: tag.trim() } : {}),
    });
  };
  return html`<section aria-labelledby="contacts-title">
    <h1 id="contacts-title">Contacts</h1>
    <form class="inline" role="search" onSubmit=${apply}>
      <${Field} label="Email" id="search-email" type="search" value=${email} onInput=${setEmail} placeholder="ada@example.com" />
      <${Field} label="Tag" id="search-tag" value=${tag} onInput=${setTag} placeholder="lead" />
      <button type="submit">Search</button>
    </form>
    <${ErrorBox} error=${list.error} />
    ${
      list.loading
        ? html`<${Loading} what="Loading contacts" />`
        : list.data && list.data.items.length === 0
          ? html`<${Empty}>No contacts${filter.email || filter.tag ? ' match' : ' yet'}.</${Empty}>`
          : list.data
            ? html`<table>
                <caption class="sr-only">Contacts</caption>
                <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Tags</th><th scope="col">Created</th></tr></thead>
                <tbody>
                  ${list.data.items.map(
                    (c) => html`<tr>
                      <td><a href=${link(`/contacts/${c.id}`)}>${c.email}</a></td>
                      <td>${[c.firstName, c.lastName].filter(Boolean).join(' ')}</td>
                      <td>${c.tags.map((t) => html`<span class="tag">${t}</span>`)}</td>
                      <td>${when(c.createdAt)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
            : null
    }
    <${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />
    <${NewContact} onCreated=${list.reload} />
  </section>`;
}

function NewContact({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('POST', '/v1/contacts', { email, ...(firstName ? { firstName } : {}) }))) {
      setEmail('');
      setFirstName('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-contact">
    <h2 id="new-contact">New contact</h2>
    <${Field} label="Email" id="new-contact-email" type="email" required value=${email} onInput=${setEmail} />
    <${Field} label="First name" id="new-contact-first" value=${firstName} onInput=${setFirstName} />
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Create contact</button>
  </form>`;
}
