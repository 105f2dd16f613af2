/** Server-rendered HTML pages of the public routes (hosted forms, unsubscribe): every value escaped. */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * The content security policy of Tendril's pages: no scripts, no remote content, and no framing
 * unless the page says who may frame it (a hosted form embedded on its allowed origins).
 */
export const htmlCsp = (frameAncestors = "'none'") =>
  `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https:; frame-ancestors ${frameAncestors}`;

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.4}' +
  'label{display:block;margin:.8rem 0 .2rem}input,textarea{width:100%;padding:.4rem;box-sizing:border-box}' +
  'input[type=checkbox]{width:auto}.hp{position:absolute;left:-10000px}button{margin-top:1rem;padding:.5rem 1.2rem;min-height:2.75rem;font-size:1rem}' +
  '.about{margin:0 0 .6rem 1.6rem;color:#444}fieldset{border:1px solid #767676;padding:.2rem 1rem .6rem}' +
  '.error{color:#a40000;margin:.2rem 0}[aria-invalid=true]{border:2px solid #a40000}' +
  '.summary{border:2px solid #a40000;padding:.5rem 1rem;margin:1rem 0}.summary a{color:#a40000}' +
  '.note{border:2px solid #2b6a4f;padding:.5rem 1rem;margin:1rem 0}' +
  // 16 px text in fields: phones do not zoom in on focus.
  'input,textarea,select,button{font:inherit}';

export const page = (title: string, content: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head><body><main>${content}</main></body></html>`;

const TITLES: Record<number, string> = {
  400: 'Something is not right',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'This changed meanwhile',
  413: 'Too much at once',
  415: 'Not understood',
  429: 'Too many attempts',
  503: 'Busy right now',
};

/** A friendly page for a browser that asked for HTML and got an error (JSON clients get the JSON error). */
export function errorPage(status: number, message: string, retryAfterSeconds?: number): string {
  const title = TITLES[status] ?? 'Something went wrong';
  const retry =
    retryAfterSeconds !== undefined
      ? `<p>Please try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.</p>`
      : status >= 500
        ? '<p>Please try again in a moment.</p>'
        : '';
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${retry}`);
}
