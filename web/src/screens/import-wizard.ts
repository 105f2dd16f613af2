/**
 * A new import, steps 1 to 4: choose a CSV file (file input or drag and drop), upload it to its
 * presigned URL with a progress bar, then map its columns and choose the options (import-mapping.ts).
 * Once started, the import's own page (#/imports/{id}) shows its progress.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type CreatedImport, type Import, type ImportPreview } from '../api.js';
import { ErrorBox, html, Loading, useLoad } from '../ui.js';
import { uploadFile } from '../upload.js';
import { MappingForm } from './import-mapping.js';

/** The server takes files up to this size. */
const MAX_BYTES = 512 * 1024 * 1024;

const STEPS = ['Choose a file', 'Upload', 'Map columns and options', 'Import'] as const;

export function Steps({ current }: { current: number }) {
  return html`<ol class="steps" aria-label="Import steps">
    ${STEPS.map(
      (label, i) =>
        html`<li class=${i < current ? 'done' : i === current ? 'current' : undefined}
          aria-current=${i === current ? 'step' : undefined}><span class="step-number" aria-hidden="true">${i + 1}</span> ${label}</li>`,
    )}
  </ol>`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function problemOf(file: File): string | undefined {
  if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv')
    return `“${file.name}” is not a CSV file: export your list as CSV (comma-separated values) first.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_BYTES)
    return `“${file.name}” is ${size(file.size)}; files up to 512 MB can be imported.`;
  return undefined;
}

type Created = CreatedImport;
type Step =
  | { step: 'choose'; problem?: string }
  | { step: 'upload'; file: File; created?: Created; loaded: number; error?: unknown }
  | { step: 'map'; file: File; id: string };

/** The preview of an uploaded file, then the mapping form; also used to finish a draft from history. */
export function MappingStep({
  id,
  onStarted,
  focus = false,
}: {
  id: string;
  onStarted: (started: Import) => void;
  focus?: boolean;
}) {
  const preview = useLoad(() => api<ImportPreview>('GET', `/v1/imports/${id}/preview`), [id]);
  if (preview.error) return html`<${ErrorBox} error=${preview.error} onRetry=${preview.reload} />`;
  if (!preview.data) return html`<${Loading} what="Reading the file" />`;
  return html`<${MappingForm} id=${id} preview=${preview.data} onStarted=${onStarted} focus=${focus} />`;
}

export function NewImport() {
  const [state, setState] = useState<Step>({ step: 'choose' });
  const [dragging, setDragging] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  // Each new step's heading takes the focus, so keyboard and screen reader users follow along.
  useEffect(() => {
    if (moved.current)
      (
        document.getElementById(state.step === 'map' ? 'map-title' : 'step-title') ?? heading.current
      )?.focus();
    moved.current = true;
  }, [state.step, state.step === 'map']);

  const send = async (file: File, known?: Created) => {
    let created = known;
    try {
      created ??= await api<Created>('POST', '/v1/imports', { fileName: file.name, size: file.size });
      const target = created;
      setState({ step: 'upload', file, created: target, loaded: 0 });
      await uploadFile(target, file, (loaded) => setState({ step: 'upload', file, created: target, loaded }));
      setState({ step: 'map', file, id: target.import.id });
    } catch (error) {
      setState({ step: 'upload', file, ...(created ? { created } : {}), loaded: 0, error });
    }
  };
  const choose = (file: File | undefined) => {
    if (!file) return;
    const problem = problemOf(file);
    if (problem) return setState({ step: 'choose', problem });
    setState({ step: 'upload', file, loaded: 0 });
    void send(file);
  };
  const restart = () => setState({ step: 'choose' });
  const current = state.step === 'choose' ? 0 : state.step === 'upload' ? 1 : 2;

  return html`<div class="wizard">
    <${Steps} current=${current} />
    ${
      state.step === 'choose'
        ? html`<div class=${`card dropzone${dragging ? ' dragging' : ''}`}
            onDragOver=${(e: DragEvent) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave=${() => setDragging(false)}
            onDrop=${(e: DragEvent) => {
              e.preventDefault();
              setDragging(false);
              choose(e.dataTransfer?.files[0]);
            }}>
            <h2 id="step-title" tabindex="-1" ref=${heading}>Choose a CSV file</h2>
            <p class="muted" id="file-hint">
              One contact per row, with a header row; an email column is required. Drop the file here or choose it.
            </p>
            <div class="field">
              <label for="import-file">CSV file</label>
              <input id="import-file" type="file" accept=".csv,text/csv" aria-describedby="file-hint"
                onChange=${(e: Event) => choose((e.target as HTMLInputElement).files?.[0])} />
            </div>
            ${state.problem ? html`<p class="error" role="alert">${state.problem}</p>` : null}
          </div>`
        : null
    }
    ${
      state.step === 'upload'
        ? html`<div class="card">
            <h2 id="step-title" tabindex="-1" ref=${heading}>Uploading ${state.file.name}</h2>
            <div class="field">
              <label for="upload-bar">Upload progress</label>
              <progress id="upload-bar" max=${state.file.size} value=${state.loaded}></progress>
              <small class="muted">${size(state.loaded)} of ${size(state.file.size)}</small>
            </div>
            <${ErrorBox} error=${state.error} onRetry=${state.error ? () => send(state.file, state.created) : undefined} />
            ${state.error ? html`<button type="button" class="secondary" onClick=${restart}>Choose another file</button>` : null}
          </div>`
        : null
    }
    ${
      state.step === 'map'
        ? html`<p class="file-chosen">
              File: <strong>${state.file.name}</strong> <span class="muted">(${size(state.file.size)})</span>${' '}
              <button type="button" class="link" onClick=${restart}>Choose another file</button>
            </p>
            <${MappingStep} id=${state.id} focus onStarted=${(started: Import) => {
              window.location.hash = `#/imports/${started.id}`;
            }} />`
        : null
    }
  </div>`;
}
