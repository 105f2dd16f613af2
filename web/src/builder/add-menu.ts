/**
 * The menu a "+" opens: the step types, each with what it does (the ARIA menu pattern: ↓/↑, Home and
 * End move, Enter or Space chooses, Escape closes and gives the focus back to the "+").
 */
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../ui.js';
import { STEP_LABELS } from './labels.js';
import { STEP_TYPES, type StepType } from './model.js';

export function AddMenu({
  label,
  onChoose,
  onClose,
}: {
  label: string;
  onChoose: (type: StepType) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const items = () => [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  useEffect(() => {
    items()[0]?.focus();
  }, [label]);
  const onKeyDown = (e: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => {
      e.preventDefault();
      all[(i + all.length) % all.length]?.focus();
    };
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };
  return html`<div class="wfb-add-menu">
    <p class="muted" id="wfb-add-where">${label}</p>
    <ul role="menu" aria-label="Step types" aria-describedby="wfb-add-where" ref=${ref} onKeyDown=${onKeyDown}>
      ${STEP_TYPES.map(
        (type, i) => html`<li role="none">
          <button type="button" role="menuitem" tabindex=${i === 0 ? 0 : -1} id=${`wfb-add-${type}`}
            aria-label=${STEP_LABELS[type].name} aria-describedby=${`wfb-add-${type}-hint`}
            onClick=${() => onChoose(type)}>
            <span class="wfb-menu-name">${STEP_LABELS[type].name}</span>
            <span class="wfb-menu-hint" id=${`wfb-add-${type}-hint`}>${STEP_LABELS[type].hint}</span>
          </button>
        </li>`,
      )}
    </ul>
  </div>`;
}
