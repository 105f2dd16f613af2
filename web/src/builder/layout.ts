/**
 * The flow's geometry: the trigger, the marketer's steps, an "add" point on every edge (between two
 * steps, at the start and end of each branch) and the end, laid out top to bottom by dagre. An if's
 * Yes/No branches and a split's paths sit side by side and join again below. `items` lists what is
 * drawn in reading order (the order Tab follows); joins are only points where edges meet.
 */
import dagre, { type EdgeLabel } from '@dagrejs/dagre';
import { pathLetter } from './labels.js';
import { childLists, type Definition, type InsertAt, type Path, type Step } from './model.js';

export type NodeKind = 'trigger' | 'step' | 'add' | 'join' | 'end';

export interface FlowNode {
  key: string;
  kind: NodeKind;
  /** Top-left corner and size, in px. */
  x: number;
  y: number;
  w: number;
  h: number;
  step?: Step;
  path?: Path;
  /** An add point: where a step chosen there goes, and the words for its button. */
  insert?: InsertAt;
  addLabel?: string;
  /** The branch an add point starts: "Yes", "No", "A · 50%" and the path's stats key. */
  branch?: { label: string; statKey?: string };
}

export interface FlowEdge {
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
}

export interface Flow {
  nodes: Map<string, FlowNode>;
  items: FlowNode[];
  edges: FlowEdge[];
  width: number;
  height: number;
}

export const SIZES = {
  card: { w: 256, h: 104 },
  add: { w: 32, h: 32 },
  branchAdd: { w: 150, h: 62 },
  end: { w: 96, h: 34 },
  join: { w: 8, h: 8 },
};

export const pathKey = (path: Path) => path.join('.');
const stepName = (s: Step | undefined) => (s ? `‘${s.id}’` : 'the previous step');

export function buildFlow(doc: Definition): Flow {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 22, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = new Map<string, FlowNode>();
  const items: FlowNode[] = [];
  const edges: Array<[string, string]> = [];

  const add = (node: Omit<FlowNode, 'x' | 'y'>, drawn = true) => {
    const full = { ...node, x: 0, y: 0 };
    nodes.set(node.key, full);
    if (drawn) items.push(full);
    g.setNode(node.key, { width: node.w, height: node.h });
    return node.key;
  };
  /** A heavy edge stays short: a branch's first add point sits right under its step. */
  const edge = (from: string, to: string, weight = 1) => {
    edges.push([from, to]);
    g.setEdge(from, to, { weight });
  };
  /** An add point between `from` and what follows, returned to connect on. */
  const addPoint = (from: string, insert: InsertAt, addLabel: string, branch?: FlowNode['branch']) => {
    const size = branch ? SIZES.branchAdd : SIZES.add;
    const key = add({
      key: `add:${pathKey(insert.list)}:${insert.index}`,
      kind: 'add',
      insert,
      addLabel,
      branch,
      ...size,
    });
    edge(from, key, branch ? 10 : 2);
    return key;
  };

  /** Lays out a list of steps after `entry`, ending in an edge into `exit`; returns nothing. */
  const chain = (
    list: Path,
    steps: Step[],
    entry: string,
    exit: string,
    where: { start: string; end: string },
    branch?: FlowNode['branch'],
  ) => {
    let prev = entry;
    let label = branch;
    steps.forEach((step, i) => {
      const path = [...list, i];
      const before = i === 0 ? where.start : `Add a step after ${stepName(steps[i - 1])}`;
      const plus = addPoint(prev, { list, index: i }, before, label);
      if (label) label = undefined;
      const key = add({ key: pathKey(path), kind: 'step', step, path, ...SIZES.card });
      edge(plus, key);
      prev = key;
      const inner = childLists(step, path);
      if (inner.length > 0) {
        const join = add({ key: `join:${pathKey(path)}`, kind: 'join', ...SIZES.join }, false);
        inner.forEach((b, j) => {
          const isIf = step.type === 'if';
          const percent = step.type === 'split' ? step.branches[j]?.percent : undefined;
          const name = isIf
            ? `${j === 0 ? 'Yes' : 'No'} branch`
            : `path ${pathLetter(j)} (${percent ?? '?'}%)`;
          const blabel = isIf
            ? { label: j === 0 ? 'Yes' : 'No' }
            : {
                label: `${pathLetter(j)} · ${percent ?? '?'}%`,
                statKey: `${step.id}/${pathLetter(j).toLowerCase()}`,
              };
          chain(
            b.path,
            b.steps,
            key,
            join,
            {
              start: `Add a step at the start of the ${name} of ‘${step.id}’`,
              end: `at the end of the ${name} of ‘${step.id}’`,
            },
            blabel,
          );
        });
        prev = join;
      }
    });
    const last =
      steps.length === 0
        ? where.start
        : `Add a step after ${stepName(steps[steps.length - 1])}, ${where.end}`;
    const plus = addPoint(prev, { list, index: steps.length }, last, label);
    edge(plus, exit);
  };

  const trigger = add({ key: 'trigger', kind: 'trigger', ...SIZES.card });
  const endKey = 'end';
  chain(['steps'], doc.steps, trigger, endKey, {
    start: 'Add the first step',
    end: 'at the end of the workflow',
  });
  // The end goes last in reading order, after every add point.
  add({ key: endKey, kind: 'end', ...SIZES.end });

  dagre.layout(g);
  // dagre orders a node's successors right to left, as they were added; the flow reads left to right
  // (Yes before No, A before B), so the picture is mirrored.
  const width = Math.ceil(g.graph().width ?? 0);
  const mirror = (x: number) => Math.round(width - x);
  for (const node of nodes.values()) {
    const laid = g.node(node.key);
    node.x = mirror((laid.x ?? 0) + node.w / 2);
    node.y = Math.round((laid.y ?? 0) - node.h / 2);
  }
  const laidEdges = edges.map(([from, to]) => ({
    from,
    to,
    points: ((g.edge(from, to) as EdgeLabel | undefined)?.points ?? []).map(
      (p: { x: number; y: number }) => ({
        x: mirror(p.x),
        y: Math.round(p.y),
      }),
    ),
  }));
  return { nodes, items, edges: laidEdges, width, height: Math.ceil(g.graph().height ?? 0) };
}
