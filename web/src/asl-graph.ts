/** Lays out a compiled state machine (ASL) as a layered graph: states by depth from StartAt. */
export interface GraphNode {
  id: string;
  type: string;
  x: number;
  y: number;
  /** The workflow steps the state stands for: its own, those fused into its Task, the wait it waits in. */
  steps: string[];
}
export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
}

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: Array<{ Next: string; NumericEquals?: number }>;
  Catch?: Array<{ Next: string }>;
  Parameters?: { Payload?: StepPayload } & StepPayload;
}
interface StepPayload {
  fused?: Array<{ stepId?: string }>;
  thenEnter?: string;
}

/** A Task of fused steps runs them all; a Task that enters a wait with no state of its own waits in it. */
function stepsOf(name: string, state: AslState, states: Record<string, AslState>): string[] {
  const payload = state.Parameters?.Payload ?? state.Parameters;
  const fused = (payload?.fused ?? []).map((f) => String(f.stepId));
  const waits = payload?.thenEnter && !states[payload.thenEnter] ? [payload.thenEnter] : [];
  return [name, ...fused, ...waits];
}

export function layoutAsl(asl: Record<string, unknown>, box = { w: 180, h: 40, gapX: 30, gapY: 36 }) {
  const states = (asl.States ?? {}) as Record<string, AslState>;
  const start = String(asl.StartAt ?? '');
  const edges: GraphEdge[] = [];
  for (const [name, s] of Object.entries(states)) {
    if (s.Next) edges.push({ from: name, to: s.Next });
    // A split's Choice picks a path by its index (A, B…); an if's is true or false.
    const split = (s.Choices ?? []).some((c) => c.NumericEquals !== undefined);
    const path = (index: number) => `path ${String.fromCharCode(65 + index)}`;
    for (const c of s.Choices ?? [])
      edges.push({ from: name, to: c.Next, label: split ? path(c.NumericEquals ?? 0) : 'if' });
    if (s.Default)
      edges.push({ from: name, to: s.Default, label: split ? path(s.Choices?.length ?? 0) : 'else' });
    for (const c of s.Catch ?? []) edges.push({ from: name, to: c.Next, label: 'error' });
  }
  // Depth = longest distance from the start along forward edges (breadth-first, first visit wins).
  const depth = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    for (const e of edges.filter((x) => x.from === name && x.label !== 'error')) {
      if (!depth.has(e.to)) {
        depth.set(e.to, (depth.get(name) ?? 0) + 1);
        queue.push(e.to);
      }
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const name of Object.keys(states)) if (!depth.has(name)) depth.set(name, maxDepth + 1);
  const rows = new Map<number, string[]>();
  for (const [name, d] of depth) rows.set(d, [...(rows.get(d) ?? []), name]);
  const nodes: GraphNode[] = [];
  for (const [d, names] of rows) {
    names.forEach((name, i) => {
      nodes.push({
        id: name,
        type: states[name]?.Type ?? '?',
        steps: states[name] ? stepsOf(name, states[name], states) : [name],
        x: i * (box.w + box.gapX),
        y: d * (box.h + box.gapY),
      });
    });
  }
  const width = Math.max(...[...rows.values()].map((r) => r.length)) * (box.w + box.gapX);
  const height = (Math.max(...rows.keys()) + 1) * (box.h + box.gapY);
  return { nodes, edges, width, height, box };
}
