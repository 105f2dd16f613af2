/**
 * Knowledge base: articles for the public help centre (`/help`, server-rendered, no script: see
 * functions/knowledge/help-page.ts). Listed with their status and readers' feedback; written in
 * Markdown with a live preview the server renders and sanitizes as publishing would; published,
 * unpublished, and deleted after a confirm. An edit saves at the version it started from (a 409 says
 * the article changed meanwhile and offers to reload it).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Article, type ArticleSummary, api, type Page, query } from '../api.js';
import {
  Empty,
  ErrorBox,
  html,
  Loading,
  Pager,
  retryOnConflict,
  useAction,
  useLoad,
  usePager,
  when,
} from '../ui.js';

const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());
export const helpArticleUrl = (slug: string) => `/help/articles/${encodeURIComponent(slug)}`;

/** The address the server would make of a title (the field follows the title until edited). */
const slugOf = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');

export function KnowledgeScreen() {
  const pager = usePager();
  const list = useLoad(
    () => api<Page<ArticleSummary>>('GET', `/v1/articles${query({ limit: 50, cursor: pager.cursor })}`),
    [pager.cursor],
  );
  const [open, setOpen] = useState<string | 'new' | undefined>();
  // A new, empty form each time New article is chosen.
  const [newForms, setNewForms] = useState(0);
  const [said, setSaid] = useState('');
  const changed = (message: string, id?: string) => {
    setSaid(message);
    list.reload();
    if (id === undefined) {
      setOpen(undefined);
      focusLater('kb-list-title');
    }
  };
  return html`<section class="knowledge" aria-labelledby="kb-title">
    <h1 id="kb-title">Knowledge base</h1>
    <p class="hint">Articles published here are on the public <a href="/help" target="_blank" rel="noopener">help centre</a>,
      searchable, and suggested on cases. The help centre works without JavaScript.</p>
    <p role="status" class="muted">${said}</p>
    <div class="kb-layout">
      <div class="card">
        <h2 id="kb-list-title" tabIndex=${-1}>Articles</h2>
        ${
          list.error
            ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
            : !list.data
              ? html`<${Loading} what="Loading the articles" />`
              : list.data.items.length === 0
                ? html`<${Empty}>No articles yet.</${Empty}>`
                : html`<ul class="plain kb-list" aria-labelledby="kb-list-title">${list.data.items.map(
                    (a) => html`<li key=${a.id} class=${open === a.id ? 'kb-item is-open' : 'kb-item'}>
                      <button type="button" class="link wrap-anywhere" id=${`kb-open-${a.id}`}
                        aria-current=${open === a.id ? 'true' : undefined}
                        onClick=${() => {
                          setSaid('');
                          setOpen(a.id);
                          focusLater('kb-edit-title');
                        }}>${a.title}</button>
                      <span class=${`kb-status kb-${a.status}`}>${a.status === 'published' ? 'Published' : 'Draft'}</span>
                      <small class="muted">${a.category ? `${a.category} · ` : ''}${a.helpful} helpful · ${a.notHelpful} not helpful · ${when(a.updatedAt)}</small>
                    </li>`,
                  )}</ul>
                  ${
                    pager.page > 1 || list.data.nextCursor
                      ? html`<${Pager} page=${pager.page} nextCursor=${list.data.nextCursor}
                          onNext=${pager.next} onPrev=${pager.prev} />`
                      : null
                  }`
        }
        <button type="button" onClick=${() => {
          setSaid('');
          setOpen('new');
          setNewForms((n) => n + 1);
          focusLater('kb-edit-title');
        }}>New article</button>
      </div>
      ${open ? html`<${ArticleEditor} key=${open === 'new' ? `new-${newForms}` : open} id=${open === 'new' ? undefined : open} onChanged=${changed} />` : null}
    </div>
  </section>`;
}

function ArticleEditor({
  id,
  onChanged,
}: {
  id?: string | undefined;
  onChanged: (message: string, id?: string) => void;
}) {
  const loaded = useLoad(
    () => (id ? api<Article>('GET', `/v1/articles/${id}`) : Promise.resolve(undefined)),
    [id],
  );
  if (loaded.error)
    return html`<div class="card"><${ErrorBox} error=${loaded.error} onRetry=${loaded.reload} /></div>`;
  if (id && !loaded.data) return html`<div class="card"><${Loading} what="Loading the article" /></div>`;
  return html`<${Form} key=${loaded.data ? `${loaded.data.id}-${loaded.data.version}` : 'new'} article=${loaded.data}
    onChanged=${onChanged} onReload=${loaded.reload} />`;
}

function Form({
  article,
  onChanged,
  onReload,
}: {
  article?: Article | undefined;
  onChanged: (message: string, id?: string) => void;
  onReload: () => void;
}) {
  const [current, setCurrent] = useState(article);
  const [title, setTitle] = useState(article?.title ?? '');
  const [slug, setSlug] = useState(article?.slug ?? '');
  const [slugEdited, setSlugEdited] = useState(Boolean(article));
  const [category, setCategory] = useState(article?.category ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [confirming, setConfirming] = useState(false);
  const save = useAction();
  const act = useAction();
  const preview = usePreview(body);
  // Opened (or drawn anew as saved elsewhere): its first field takes the focus.
  useEffect(() => document.getElementById('kb-edit-title')?.focus(), []);
  const published = current?.status === 'published';
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = { title, slug, body, category };
    await save.run(async () => {
      const saved = current
        ? await api<Article>('PUT', `/v1/articles/${current.id}`, { ...input, version: current.version })
        : await api<Article>('POST', '/v1/articles', input);
      setCurrent(saved);
      setSlug(saved.slug);
      onChanged(`Article “${saved.title}” ${current ? 'saved' : 'created as a draft'}.`, saved.id);
    });
  };
  const publish = (how: 'publish' | 'unpublish') =>
    act.run(async () => {
      if (!current) return;
      const done = await api<Article>('POST', `/v1/articles/${current.id}/${how}`);
      setCurrent(done);
      onChanged(
        how === 'publish' ? `“${done.title}” is published.` : `“${done.title}” is a draft again.`,
        done.id,
      );
      focusLater(how === 'publish' ? 'kb-unpublish' : 'kb-publish');
    });
  const remove = () =>
    act.run(async () => {
      if (!current) return;
      try {
        await api('DELETE', `/v1/articles/${current.id}`);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      onChanged(`Article “${current.title}” deleted.`);
    });
  return html`<div class="card kb-editor">
    <h2 id="kb-editor-title">${current ? 'Edit article' : 'New article'}</h2>
    ${
      current
        ? html`<p class="muted">
        <span class=${`kb-status kb-${current.status}`}>${published ? 'Published' : 'Draft'}</span>
        ${published ? html` · <a href=${helpArticleUrl(current.slug)} target="_blank" rel="noopener">View in the help centre</a>` : null}${' · '}${current.helpful} found it helpful, ${current.notHelpful} did not</p>`
        : null
    }
    <form onSubmit=${submit} aria-labelledby="kb-editor-title">
      <div class="field"><label for="kb-edit-title">Title <span aria-hidden="true">*</span></label>
        <input id="kb-edit-title" required maxLength=${200} value=${title} onInput=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          setTitle(v);
          if (!slugEdited) setSlug(slugOf(v));
        }} /></div>
      <div class="kb-row">
        <div class="field"><label for="kb-edit-slug">Address</label>
          <input id="kb-edit-slug" maxLength=${80} value=${slug} aria-describedby="kb-edit-slug-hint" onInput=${(
            e: Event,
          ) => {
            setSlugEdited(true);
            setSlug((e.target as HTMLInputElement).value);
          }} />
          <small id="kb-edit-slug-hint" class="muted wrap-anywhere">/help/articles/${slug || '…'}</small></div>
        <div class="field"><label for="kb-edit-category">Category</label>
          <input id="kb-edit-category" maxLength=${60} value=${category} aria-describedby="kb-edit-category-hint"
            onInput=${(e: Event) => setCategory((e.target as HTMLInputElement).value)} />
          <small id="kb-edit-category-hint" class="muted">Such as Billing (optional)</small></div>
      </div>
      <div class="field"><label for="kb-edit-body">Body (Markdown)</label>
        <textarea id="kb-edit-body" class="code" rows="14" maxLength=${40000} value=${body}
          aria-describedby="kb-edit-body-hint"
          onInput=${(e: Event) => setBody((e.target as HTMLTextAreaElement).value)}></textarea>
        <small id="kb-edit-body-hint" class="muted">**bold**, _italic_, # headings, - lists, [links](https://…). Scripts and styles are removed.</small></div>
      <${ErrorBox} error=${save.error} onRetry=${retryOnConflict(save.error, onReload)} />
      <div class="actions">
        <button type="submit" disabled=${save.busy}>${current ? (published ? 'Save and update the help centre' : 'Save draft') : 'Create draft'}</button>
      </div>
    </form>
    ${
      current
        ? html`<div class="actions kb-actions">
            ${
              published
                ? html`<button type="button" id="kb-publish" class="secondary" disabled=${act.busy} onClick=${() => publish('publish')}>Publish again</button>
                  <button type="button" id="kb-unpublish" class="secondary" disabled=${act.busy} onClick=${() => publish('unpublish')}>Unpublish</button>`
                : html`<button type="button" id="kb-publish" disabled=${act.busy} onClick=${() => publish('publish')}>Publish</button>`
            }
            ${
              confirming
                ? html`<span class="kb-confirm">Delete “${current.title}”? It leaves the help centre at once.</span>
                  <button type="button" class="danger" disabled=${act.busy} onClick=${remove}>Delete now</button>
                  <button type="button" id="kb-keep" onClick=${() => {
                    setConfirming(false);
                    focusLater('kb-delete');
                  }}>Keep</button>`
                : html`<button type="button" id="kb-delete" class="secondary danger" onClick=${() => {
                    act.clear();
                    setConfirming(true);
                    focusLater('kb-keep');
                  }}>Delete</button>`
            }
          </div>
          <${ErrorBox} error=${act.error} />`
        : null
    }
    <section class="kb-preview-box" aria-labelledby="kb-preview-title">
      <h3 id="kb-preview-title">Preview</h3>
      ${
        preview.error
          ? html`<${ErrorBox} error=${preview.error} />`
          : preview.html
            ? html`<div class="kb-preview" dangerouslySetInnerHTML=${{ __html: preview.html }}></div>`
            : html`<p class="muted">Write the body to see it as readers will.</p>`
      }
    </section>
  </div>`;
}

/** The body rendered by the server as publishing would (sanitized), a moment after typing stops. */
function usePreview(body: string) {
  const [state, setState] = useState<{ html?: string; error?: unknown }>({});
  useEffect(() => {
    if (body.trim() === '') {
      setState({});
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      api<{ html: string }>('POST', '/v1/articles/preview', { body }).then(
        (r) => alive && setState({ html: r.html }),
        (error: unknown) => alive && setState({ error }),
      );
    }, 300);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [body]);
  return state;
}
