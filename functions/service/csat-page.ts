/**
 * Server-rendered HTML of the CSAT pages a survey's links lead to: the thank-you page (the score
 * recorded, the other scores to change it, an optional comment form), the page after a comment, and
 * friendly pages for a link that is forged, cut or expired. No script: plain links and a form, so
 * they work without JavaScript and with the keyboard; every value is escaped.
 */
import { escapeHtml } from '#platform/http/html.js';
import { MAX_COMMENT, SCORE_LABELS } from './csat.js';
import { SCORES } from './csat-token.js';
import type { Case } from './model.js';

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1b1b1b;background:#fff}' +
  '.bar{background:#1f4d3a;color:#fff;padding:.75rem 1rem;font-weight:600}' +
  'main{max-width:36rem;margin:0 auto;padding:0 1rem 2rem}' +
  'a{color:#1f5f9e}a:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #1f5f9e;outline-offset:2px}' +
  '.note{border:2px solid #2b6a4f;padding:.5rem 1rem;margin:1rem 0}.error{border:2px solid #a40000;padding:.5rem 1rem;margin:1rem 0}' +
  'ul.scores{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0 1rem}' +
  'ul.scores a{display:inline-block;min-height:2.75rem;box-sizing:border-box;padding:.55rem .8rem;border:1px solid #1f5f9e;border-radius:4px;text-decoration:none}' +
  'ul.scores a[aria-current]{background:#1f4d3a;border-color:#1f4d3a;color:#fff}' +
  'label{display:block;font-weight:600;margin:1rem 0 .3rem}' +
  'textarea{width:100%;box-sizing:border-box;min-height:7rem;padding:.55rem;font:inherit;border:1px solid #767676;border-radius:4px}' +
  '.hint{color:#555;margin:.2rem 0 0}' +
  'button{font:inherit;margin-top:.8rem;padding:.55rem 1.2rem;min-height:2.75rem;border:1px solid #1f4d3a;border-radius:4px;background:#1f4d3a;color:#fff;cursor:pointer}';

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head><body>
<header class="bar">Customer feedback</header>
<main id="main">${content}</main>
</body></html>`;
}

const scoreText = (score: number) => `${score} out of 5 (${SCORE_LABELS[score] ?? ''})`;

/** The five scores as links, the given one marked current. */
const otherScores = (score: number, links: { scoreLink: (score: number) => string }, label: string) =>
  `<nav aria-labelledby="change"><p id="change">${escapeHtml(label)}</p>
<ul class="scores">${SCORES.map(
    (s) =>
      `<li><a href="${escapeHtml(links.scoreLink(s))}"${s === score ? ' aria-current="true"' : ''}>${s} – ${escapeHtml(SCORE_LABELS[s] ?? '')}</a></li>`,
  ).join('')}</ul></nav>`;

/** The page a rating link opens: the score recorded, the other scores, the comment form. */
export function renderRated(
  c: Case,
  score: number,
  links: { self: string; scoreLink: (score: number) => string },
  state: { commented?: boolean; error?: string; comment?: string } = {},
): string {
  const comment = state.comment ?? c.rating?.comment ?? '';
  return layout(
    state.commented ? 'Thank you for your comment' : 'Thank you for your feedback',
    `<h1>${state.commented ? 'Thank you for your comment' : 'Thank you for your feedback'}</h1>
<div class="note" role="status"><p>You rated our help with “${escapeHtml(c.subject)}” (case #${escapeHtml(c.ref)}) ${escapeHtml(scoreText(score))}.${
      state.commented ? ' We have your comment too.' : ''
    }</p></div>
${otherScores(score, links, 'Changed your mind? Choose another rating:')}
<form method="post" action="${escapeHtml(links.self)}">
${state.error ? `<div class="error" role="alert" id="comment-error"><p>${escapeHtml(state.error)}</p></div>` : ''}
<label for="comment">${state.commented ? 'Your comment' : 'Anything you would like to add? (optional)'}</label>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT}" aria-describedby="comment-hint${state.error ? ' comment-error' : ''}"${
      state.error ? ' aria-invalid="true"' : ''
    }>${escapeHtml(comment)}</textarea>
<p class="hint" id="comment-hint">Up to ${MAX_COMMENT} characters. The team that helped you reads it.</p>
<button type="submit">${state.commented ? 'Update comment' : 'Send comment'}</button>
</form>`,
  );
}

/**
 * The page a rating link opens for a machine (a mail scanner that opens every link): nothing is
 * recorded until the button is pressed, so a scan does not rate the case; the other scores to choose.
 */
export function renderConfirm(
  c: Case,
  score: number,
  links: { self: string; scoreLink: (score: number) => string },
): string {
  return layout(
    'Confirm your rating',
    `<h1>Confirm your rating</h1>
<p>You are rating our help with “${escapeHtml(c.subject)}” (case #${escapeHtml(c.ref)}) ${escapeHtml(scoreText(score))}.</p>
<form method="post" action="${escapeHtml(links.self)}">
<input type="hidden" name="confirm" value="1">
<button type="submit">Send my rating</button>
</form>
${otherScores(score, links, 'Or choose another rating:')}`,
  );
}

/** What is wrong with a link: forged or cut, expired (both 403), or its case no longer exists (404). */
export function renderLinkProblem(reason: 'invalid' | 'expired' | 'gone'): string {
  const [title, text] =
    reason === 'expired'
      ? [
          'This link has expired',
          'Rating links work for 30 days after we send them. If you would still like to tell us how we did, just reply to our email.',
        ]
      : reason === 'gone'
        ? [
            'We could not find this case',
            'It may have been removed. Reply to our email if you need more help.',
          ]
        : [
            'This link is not valid',
            'It may have been cut short by your email program. Please use a rating link from our email as it is, or reply to the email instead.',
          ];
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
