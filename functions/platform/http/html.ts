/** Server-rendered HTML pages of the public routes (hosted forms, unsubscribe): every value escaped. */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export const page = (title: string, content: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input,textarea{width:100%;padding:.4rem;box-sizing:border-box}input[type=checkbox]{width:auto}.hp{position:absolute;left:-10000px}button{margin-top:1rem;padding:.5rem 1.2rem}</style>
</head><body>${content}</body></html>`;
