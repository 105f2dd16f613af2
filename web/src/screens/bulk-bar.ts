/**
 * The contacts list's bulk bar: how many are selected, and actions on them (add a tag, remove a tag,
 * enroll in a workflow, delete after a confirm step, export as CSV); when the list is filtered by a tag, the same actions
 * on every contact with that tag (a selection is limited to the page shown).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Audience, api, type BulkAction, type BulkJob } from '../api.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';
import { BulkEnrollForm } from './bulk-enroll.js';

type Mode = 'none' | 'addTag' | 'removeTag' | 'enroll' | 'delete';

export function BulkBar({
  selected,
  filterTag,
  running,
  onStarted,
  onClear,
}: {
  /** Ids of the contacts selected on the page. */
  selected: string[];
  /** The tag the list is filtered by, if it is. */
  filterTag?: string | undefined;
  /** A bulk action is running: another cannot start until it finishes. */
  running: boolean;
  onStarted: (job: BulkJob) => void;
  onClear: () => void;
}) {
  const [mode, setMode] = useState<Mode>('none');
  const [allTagged, setAllTagged] = useState(false);
  const [tag, setTag] = useState('');
  const start = useAction();
  const confirmRef = useRef<HTMLDivElement>(null);
  const everyTagged = Boolean(filterTag && allTagged);
  const n = selected.length;
  const who = everyTagged ? `all contacts tagged “${filterTag}”` : `${n} ${n === 1 ? 'contact' : 'contacts'}`;
  const audience: Audience = everyTagged
    ? { kind: 'tag', tag: filterTag as string }
    : { kind: 'selection', contactIds: selected };
  const canAct = (everyTagged || n > 0) && !running && !start.busy;

  useEffect(() => {
    if (mode === 'delete') confirmRef.current?.focus();
    if (mode === 'addTag' || mode === 'removeTag') document.getElementById('bulk-tag')?.focus();
  }, [mode]);

  const open = (next: Mode) => {
    start.clear();
    if (next === 'removeTag' && !tag && filterTag) setTag(filterTag);
    setMode(mode === next ? 'none' : next);
  };
  const run = async (action: BulkAction) => {
    let job: BulkJob | undefined;
    const ok = await start.run(async () => {
      job = await api<BulkJob>('POST', '/v1/bulk-actions', { action, audience });
    });
    if (ok && job) {
      setMode('none');
      setTag('');
      onStarted(job);
    }
  };
  const submitTag = (e: Event) => {
    e.preventDefault();
    void run(
      mode === 'addTag' ? { kind: 'addTag', tag: tag.trim() } : { kind: 'removeTag', tag: tag.trim() },
    );
  };

  return html`<section class="bulk-bar" aria-label="Bulk actions">
    <div class="bulk-row">
      <p class="bulk-count" aria-live="polite">
        <strong>${everyTagged ? `All contacts tagged “${filterTag}”` : `${n} selected`}</strong>
      </p>
      ${n > 0 && !everyTagged ? html`<button type="button" class="link" onClick=${onClear}>Clear selection</button>` : null}
      ${
        filterTag
          ? html`<label class="choice bulk-all">
              <input type="checkbox" checked=${allTagged}
                onChange=${(e: Event) => setAllTagged((e.target as HTMLInputElement).checked)} />
              Apply to all contacts tagged “${filterTag}”
            </label>`
          : null
      }
      <div class="bulk-actions" role="group" aria-label=${`Actions on ${who}`}>
        <button type="button" class="secondary" disabled=${!canAct} aria-expanded=${mode === 'addTag'}
          onClick=${() => open('addTag')}>Add tag…</button>
        <button type="button" class="secondary" disabled=${!canAct} aria-expanded=${mode === 'removeTag'}
          onClick=${() => open('removeTag')}>Remove tag…</button>
        <button type="button" class="secondary" disabled=${!canAct} aria-expanded=${mode === 'enroll'}
          onClick=${() => open('enroll')}>Enroll in workflow…</button>
        <button type="button" class="secondary danger" disabled=${!canAct} aria-expanded=${mode === 'delete'}
          onClick=${() => open('delete')}>Delete</button>
        <button type="button" class="secondary" disabled=${!canAct}
          onClick=${() => run({ kind: 'export' })}>Export CSV</button>
      </div>
    </div>
    ${
      mode === 'addTag' || mode === 'removeTag'
        ? html`<form class="inline bulk-form" onSubmit=${submitTag}>
            <${Field} label=${mode === 'addTag' ? 'Tag to add' : 'Tag to remove'} id="bulk-tag" required
              value=${tag} onInput=${(v: string) => {
                setTag(v);
                start.clear();
              }} placeholder="vip" />
            <div class="field">
              <button type="submit" disabled=${!canAct}>
                ${mode === 'addTag' ? `Add tag to ${who}` : `Remove tag from ${who}`}
              </button>
            </div>
            <div class="field">
              <button type="button" class="secondary" onClick=${() => setMode('none')}>Close</button>
            </div>
          </form>`
        : null
    }
    ${
      mode === 'enroll'
        ? html`<${BulkEnrollForm} who=${who} canAct=${canAct} onRun=${run} onClose=${() => setMode('none')} />`
        : null
    }
    ${
      mode === 'delete'
        ? html`<div class="bulk-confirm" role="group" aria-labelledby="bulk-delete-question" tabindex="-1" ref=${confirmRef}>
            <p id="bulk-delete-question"><strong>Delete ${who}? This cannot be undone.</strong></p>
            <div class="actions">
              <button type="button" class="danger" disabled=${!canAct} onClick=${() => run({ kind: 'delete' })}>
                Delete ${who}
              </button>
              <button type="button" class="secondary" onClick=${() => setMode('none')}>Keep them</button>
            </div>
          </div>`
        : null
    }
    <${ErrorBox} error=${start.error} where=${(path: string) => (path.startsWith('action.tag') ? 'Tag:' : undefined)} />
  </section>`;
}
