/**
 * The lifecycle stages in order, by the names the workspace gave them (Settings → Lead scoring →
 * Lifecycle stages), read once and shared by every screen that shows a stage; saving the stages
 * reads them again. Until they are read (or if they cannot be), the default names.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type LifecycleStage, type ScoringSettings } from './api.js';

/** The stages in order, as people call them until a workspace renames them. */
export const STAGES: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketing_qualified_lead: 'Marketing qualified lead',
  sales_qualified_lead: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
};
export const STAGE_ORDER = Object.keys(STAGES) as LifecycleStage[];

let shared: Record<LifecycleStage, string> = STAGES;
/** The names were asked for (once a page; again after a failure). */
let requested = false;
const listeners = new Set<(labels: Record<LifecycleStage, string>) => void>();

/** Uses these names from now on (the settings just read or saved). */
export function setStageLabels(labels: ScoringSettings['lifecycle']['labels']) {
  shared = { ...STAGES, ...labels };
  for (const listener of listeners) listener(shared);
}

function load() {
  if (requested) return;
  requested = true;
  api<ScoringSettings>('GET', '/v1/scoring').then(
    (s) => setStageLabels(s.lifecycle.labels),
    () => {
      requested = false; // the defaults meanwhile; the next screen tries again
    },
  );
}

/** The stages' names, drawn again when they change. */
export function useStageLabels(): Record<LifecycleStage, string> {
  const [labels, setLabels] = useState(shared);
  useEffect(() => {
    listeners.add(setLabels);
    load();
    setLabels(shared);
    return () => {
      listeners.delete(setLabels);
    };
  }, []);
  return labels;
}
