/**
 * Server-rendered HTML of the public help centre: the home (search, categories, newest articles),
 * search results, an article with its "Was this helpful?" form, the thank-you page and a friendly
 * 404. No script: plain links and forms, so it works without JavaScript and with the keyboard; every
 * value is escaped (an article's own HTML was sanitized when it was published).
 */
import { escapeHtml } from '#platform/http/html.js';
import type { Article, ArticleHit, IndexMeta } from './model.js';
import { articlePath } from './suggest.js';

/** Tendril's page policy, plus images over https (an article may show screenshots). */
export const HELP_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'; frame-ancestors 'none'";

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1b1b1b;background:#fff}' +
  '.bar{background:#1f4d3a;color:#fff;padding:.75rem 1rem}.bar a{color:#fff;font-weight:600;text-decoration:none}' +
  '.bar a:focus-visible{outline:3px solid #ffd54a;outline-offset:2px}' +
  'main,footer .in{max-width:46rem;margin:0 auto;padding:0 1rem}main{padding-bottom:2rem}' +
  'footer{border-top:1px solid #ddd;color:#555;font-size:.9rem;padding:1rem 0}' +
  'a{color:#1f5f9e}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #1f5f9e;outline-offset:2px}' +
  'form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:1rem 0}' +
  'form.search .f{flex:1 1 14rem}label{display:block;font-weight:600;margin-bottom:.2rem}' +
  'input[type=search]{width:100%;box-sizing:border-box;padding:.55rem;font:inherit;border:1px solid #767676;border-radius:4px}' +
  'button{font:inherit;padding:.55rem 1.2rem;min-height:2.75rem;min-width:2.75rem;border:1px solid #1f4d3a;border-radius:4px;background:#1f4d3a;color:#fff;cursor:pointer}' +
  'button.secondary{background:#fff;color:#1f4d3a}' +
  'ul.list{list-style:none;padding:0}ul.list li{border-bottom:1px solid #e3e3e3;padding:.7rem 0}' +
  'ul.list p{margin:.2rem 0 0;color:#444}.meta{color:#555;font-size:.9rem}' +
  'ul.cats{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}ul.cats a{display:inline-block;padding:.4rem .8rem;border:1px solid #1f5f9e;border-radius:999px;text-decoration:none}' +
  'article img{max-width:100%;height:auto}article pre{overflow-x:auto;background:#f4f4f4;padding:.75rem}' +
  'article table{border-collapse:collapse;display:block;overflow-x:auto}article th,article td{border:1px solid #ccc;padding:.3rem .5rem}' +
  'fieldset{border:1px solid #767676;border-radius:4px;margin:2rem 0 0;padding:.5rem 1rem 1rem}legend{font-weight:600;padding:0 .3rem}' +
  '.answers{display:flex;gap:.75rem;flex-wrap:wrap}.note{border:2px solid #2b6a4f;padding:.5rem 1rem;margin:1rem 0}' +
  'nav.crumbs ol{list-style:none;padding:0;margin:1rem 0 0;display:flex;flex-wrap:wrap;gap:.3rem}nav.crumbs li+li::before{content:"›";margin-right:.3rem;color:#555}';

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title === 'Help centre' ? title : `${title} – Help centre`)}</title>
<style>${STYLE}</style>
</head><body>
<header class="bar"><a href="/help">Help centre</a></header>
<main id="main">${content}</main>
<footer><div class="in">Can’t find an answer? Reply to any email from us and a person will help.</div></footer>
</body></html>`;
}

function searchForm(q = '', category?: string): string {
  return `<form class="search" method="get" action="/help/search" role="search" aria-label="Help articles">
<div class="f"><label for="q">Search the help centre</label><input type="search" id="q" name="q" value="${escapeHtml(q)}" maxlength="200" autocomplete="off"></div>
${category ? `<input type="hidden" name="category" value="${escapeHtml(category)}">` : ''}<button type="submit">Search</button>
</form>`;
}

const crumbs = (items: Array<[string, string | undefined]>) =>
  `<nav class="crumbs" aria-label="Breadcrumb"><ol>${items
    .map(([label, href]) =>
      href
        ? `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`
        : `<li aria-current="page">${escapeHtml(label)}</li>`,
    )
    .join('')}</ol></nav>`;

const categoryLink = (name: string) => `/help/search?${new URLSearchParams({ category: name })}`;

function hitList(hits: ArticleHit[], label: string): string {
  return `<ul class="list" aria-label="${escapeHtml(label)}">${hits
    .map(
      (h) =>
        `<li><a href="${escapeHtml(articlePath(h.slug))}">${escapeHtml(h.title)}</a>${
          h.category ? ` <span class="meta">· ${escapeHtml(h.category)}</span>` : ''
        }<p>${escapeHtml(h.excerpt)}</p></li>`,
    )
    .join('')}</ul>`;
}

export function renderHelpHome(meta: IndexMeta | undefined, recent: ArticleHit[]): string {
  const categories = meta?.categories ?? [];
  return layout(
    'Help centre',
    `<h1>How can we help?</h1>
${searchForm()}
${
  categories.length
    ? `<section aria-labelledby="cats"><h2 id="cats">Categories</h2><ul class="cats">${categories
        .map(
          (c) =>
            `<li><a href="${escapeHtml(categoryLink(c.name))}">${escapeHtml(c.name)} <span class="meta">(${c.count})</span></a></li>`,
        )
        .join('')}</ul></section>`
    : ''
}
<section aria-labelledby="recent"><h2 id="recent">Recent articles</h2>${
      recent.length ? hitList(recent, 'Recent articles') : '<p>No articles are published yet.</p>'
    }</section>`,
  );
}

export function renderSearchPage(q: string, category: string | undefined, hits: ArticleHit[]): string {
  const what = q ? `“${q}”` : category ? `the ${category} category` : 'everything';
  const heading = q ? `Results for ${what}` : category ? category : 'All articles';
  return layout(
    heading,
    `${crumbs([
      ['Help centre', '/help'],
      [q ? 'Search' : (category ?? 'All articles'), undefined],
    ])}
<h1>${escapeHtml(heading)}</h1>
${searchForm(q, category)}
<p role="status">${hits.length === 0 ? `No articles found for ${escapeHtml(what)}. Try other words.` : `${hits.length} article${hits.length === 1 ? '' : 's'} found${category && q ? ` in ${escapeHtml(category)}` : ''}.`}</p>
${hits.length ? hitList(hits, 'Search results') : ''}`,
  );
}

const dateOf = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

export function renderArticlePage(article: Article): string {
  const self = articlePath(article.slug);
  return layout(
    article.title,
    `${crumbs([
      ['Help centre', '/help'],
      ...(article.category ? [[article.category, categoryLink(article.category)] as [string, string]] : []),
      [article.title, undefined],
    ])}
<article aria-labelledby="title">
<h1 id="title">${escapeHtml(article.title)}</h1>
${article.publishedAt ? `<p class="meta">Updated ${escapeHtml(dateOf(article.publishedAt))}</p>` : ''}
${article.html ?? ''}
</article>
<form method="post" action="${escapeHtml(self)}/feedback">
<fieldset><legend>Was this helpful?</legend><div class="answers">
<button type="submit" name="helpful" value="yes">Yes</button>
<button type="submit" name="helpful" value="no" class="secondary">No</button>
</div></fieldset>
</form>`,
  );
}

export function renderThanks(article: Article, helpful: boolean): string {
  return layout(
    'Thank you',
    `${crumbs([
      ['Help centre', '/help'],
      [article.title, articlePath(article.slug)],
      ['Thank you', undefined],
    ])}
<h1>Thank you for your feedback</h1>
<div class="note" role="status"><p>${
      helpful
        ? 'We are glad the article helped.'
        : 'Sorry it did not help. We will use your answer to improve it.'
    }</p></div>
<p><a href="${escapeHtml(articlePath(article.slug))}">Back to “${escapeHtml(article.title)}”</a></p>
${searchForm()}`,
  );
}

export function renderNotFound(): string {
  return layout(
    'Article not found',
    `<h1>We could not find that article</h1>
<p>It may have moved or been taken down. Try searching for it, or go to the <a href="/help">help centre</a>.</p>
${searchForm()}`,
  );
}

export function renderHelpError(message: string): string {
  return layout('Something is not right', `<h1>Something is not right</h1><p>${escapeHtml(message)}</p>`);
}
