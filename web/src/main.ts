/** The admin single-page app: sign-in, navigation and hash routes to each screen. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  type AuthConfig,
  currentToken,
  listenForPopupSignIn,
  loadConfig,
  SESSION_EXPIRED_EVENT,
  SIGNED_IN_EVENT,
  signOut,
} from './auth.js';
import { useScreenTitleAndFocus } from './screen-focus.js';
import { PipelinesScreen } from './screens/board.js';
import { CampaignScreen, CampaignsScreen } from './screens/campaigns.js';
import { CaseScreen } from './screens/case.js';
import { CasesScreen } from './screens/cases.js';
import { CompaniesScreen } from './screens/companies.js';
import { CompanyScreen } from './screens/company.js';
import { ContactScreen } from './screens/contact.js';
import { ContactsScreen } from './screens/contacts.js';
import { DashboardScreen } from './screens/dashboard.js';
import { DealsScreen } from './screens/deals.js';
import { FormsScreen } from './screens/forms.js';
import { ImportScreen, ImportsScreen } from './screens/imports.js';
import { KnowledgeScreen } from './screens/knowledge.js';
import { HeaderSearch, SearchScreen } from './screens/search.js';
import { SegmentsScreen } from './screens/segments.js';
import { SettingsScreen } from './screens/settings.js';
import { TasksScreen } from './screens/tasks.js';
import { TemplatesScreen } from './screens/templates.js';
import { WebhookScreen } from './screens/webhook.js';
import { WorkflowScreen, WorkflowsScreen } from './screens/workflows.js';
import { SessionDialog, SignIn } from './sign-in.js';
import { html } from './ui.js';

const NAV = [
  ['#/contacts', 'Contacts'],
  ['#/companies', 'Companies'],
  ['#/segments', 'Segments'],
  ['#/imports', 'Import'],
  ['#/forms', 'Forms'],
  ['#/templates', 'Templates'],
  ['#/campaigns', 'Campaigns'],
  ['#/workflows', 'Workflows'],
  ['#/pipelines', 'Pipeline'],
  ['#/deals', 'Deals'],
  ['#/tasks', 'Tasks'],
  ['#/cases', 'Cases'],
  ['#/knowledge', 'Knowledge base'],
  ['#/dashboard', 'Dashboard'],
  ['#/settings', 'Settings'],
] as const;

function useHash() {
  const [hash, setHash] = useState(window.location.hash || '#/contacts');
  useEffect(() => {
    const on = () => setHash(window.location.hash || '#/contacts');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Screen({ hash }: { hash: string }) {
  // A query after the path (`#/dashboard?range=30d`) is the screen's own state.
  const [, section, id, queue] = (hash.replace(/^#/, '').split('?')[0] ?? '').split('/');
  switch (section) {
    case 'search':
      return html`<${SearchScreen} hash=${hash} />`;
    case 'contacts':
      return id ? html`<${ContactScreen} key=${id} id=${id} />` : html`<${ContactsScreen} />`;
    case 'segments':
      return html`<${SegmentsScreen} id=${id} />`;
    case 'companies':
      return id ? html`<${CompanyScreen} key=${id} id=${id} />` : html`<${CompaniesScreen} />`;
    case 'imports':
      return id ? html`<${ImportScreen} key=${id} id=${id} />` : html`<${ImportsScreen} />`;
    case 'forms':
      return html`<${FormsScreen} />`;
    case 'templates':
      return html`<${TemplatesScreen} />`;
    case 'campaigns':
      return id ? html`<${CampaignScreen} key=${id} id=${id} />` : html`<${CampaignsScreen} />`;
    case 'workflows':
      return id ? html`<${WorkflowScreen} key=${id} id=${id} />` : html`<${WorkflowsScreen} />`;
    case 'pipelines':
      return html`<${PipelinesScreen} id=${id} />`;
    case 'deals':
      return html`<${DealsScreen} open=${id} />`;
    case 'tasks':
      return html`<${TasksScreen} />`;
    case 'cases':
      return id === 'queue'
        ? html`<${CasesScreen} queue=${queue} />`
        : id
          ? html`<${CaseScreen} key=${id} id=${id} />`
          : html`<${CasesScreen} />`;
    case 'knowledge':
      return html`<${KnowledgeScreen} />`;
    case 'dashboard':
      return html`<${DashboardScreen} />`;
    case 'settings':
      return html`<${SettingsScreen} />`;
    case 'webhooks':
      return id ? html`<${WebhookScreen} key=${id} id=${id} />` : html`<${SettingsScreen} />`;
    default:
      return html`<section aria-labelledby="not-found-title">
        <h1 id="not-found-title">Not found</h1>
        <p>Nothing is at this address. <a href="#/contacts">Go to contacts</a>.</p>
      </section>`;
  }
}

/** The skip link moves the focus to the screen without touching the route (the hash is the route). */
const skipToContent = (e: Event) => {
  e.preventDefault();
  document.getElementById('main')?.focus();
};

/** A screen's name for its title until its h1 says (the main navigation's words). */
const screenName = (path: string) =>
  NAV.find(([href]) => path === href || path.startsWith(`${href}/`))?.[1] ?? 'Tendril';

function Frame({ hash, config }: { hash: string; config: AuthConfig }) {
  const path = hash.split('?')[0] ?? hash;
  useScreenTitleAndFocus(path, screenName(path));
  // The API refused the session: a sign-in dialog over the screen, which stays as it is.
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    const on = () => setEnded(true);
    const off = () => setEnded(false);
    window.addEventListener(SESSION_EXPIRED_EVENT, on);
    window.addEventListener(SIGNED_IN_EVENT, off);
    const unlisten = listenForPopupSignIn();
    return () => {
      window.removeEventListener(SESSION_EXPIRED_EVENT, on);
      window.removeEventListener(SIGNED_IN_EVENT, off);
      unlisten();
    };
  }, []);
  // On a phone the navigation is behind a Menu button; going to a screen closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [hash]);
  return html`<div class="layout">
    <a class="skip" href="#main" onClick=${skipToContent}>Skip to content</a>
    <header>
      <strong class="brand">Tendril</strong>
      <button type="button" class="menu-toggle secondary" aria-expanded=${menuOpen ? 'true' : 'false'}
        aria-controls="main-nav" onClick=${() => setMenuOpen(!menuOpen)}>Menu</button>
      <nav aria-label="Main" id="main-nav" class=${menuOpen ? 'open' : undefined}>
        ${NAV.map(([href, label]) => html`<a href=${href} aria-current=${hash.startsWith(href) ? 'page' : undefined}>${label}</a>`)}
      </nav>
      <${HeaderSearch} />
      <button type="button" class="link" onClick=${() => signOut()}>Sign out</button>
    </header>
    <main id="main" tabindex="-1"><${Screen} hash=${hash} /></main>
    ${ended ? html`<${SessionDialog} config=${config} />` : null}
  </div>`;
}

function App({ config }: { config: AuthConfig }) {
  const hash = useHash();
  const [signedIn, setSignedIn] = useState(Boolean(currentToken()));
  useEffect(() => {
    const off = () => setSignedIn(false);
    window.addEventListener('tendril:signed-out', off);
    return () => window.removeEventListener('tendril:signed-out', off);
  }, []);
  if (!signedIn) return html`<${SignIn} config=${config} onSignedIn=${() => setSignedIn(true)} />`;
  return html`<${Frame} hash=${hash} config=${config} />`;
}

const config = await loadConfig();
render(html`<${App} config=${config} />`, document.getElementById('app') as HTMLElement);
