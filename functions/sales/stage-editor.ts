/**
 * Editing a pipeline's stages: rename, reorder, add, remove (its deals moving to a stage chosen for
 * them), change probabilities. The rules:
 * - A stage keeps its identity through `previousName` (a rename), else by its name. A new name may
 *   not be one another stage had before this edit (rename in two steps instead).
 * - A stage that holds deals keeps its kind (open, won, lost: its probability's), and a removed stage
 *   that holds deals needs a stage to move them to, of the same kind: a won deal stays won, a lost
 *   one lost, an open one open (no deal changes outcome through an edit).
 * - The pipeline is saved first (version guard) with `migrating`, the old names and where their
 *   deals go: board, forecast and list read a deal of an old name as in its new stage. Then the
 *   deals are rewritten a page (MIGRATION_PAGE) per transaction, each with its event (DealUpdated
 *   for a rename, DealStageChanged for a removed stage's deal moved), the stage history counters of
 *   a renamed stage move to its new name (a removed stage's are dropped), and the last page's
 *   transaction clears `migrating`. An edit interrupted half-way is finished by the next edit (it
 *   first finishes what `migrating` says), so no deal is ever left in a stage that is not there.
 * - A moved deal keeps `stageEnteredAt` (its time in the removed stage counts in its new one); a
 *   renamed stage's name is renamed too in the `stagesLeft` of every deal of the pipeline.
 */
import { notFound, staleVersion, validationError } from '#platform/errors.js';
import { CommitConflict, emit } from '#platform/store.js';
import { type Deal, type Pipeline, type PipelineStage, stageKind } from './model.js';
import { dealRef, position } from './pipelines.js';
import type { SalesDeps, SalesWrite } from './store.js';

/** Deals rewritten per transaction (a deal and its event: two items each; 100 at most). */
export const MIGRATION_PAGE = 45;
const CONFLICT_RETRIES = 5;

export interface StageEdit {
  version: number;
  name?: string | undefined;
  stages: Array<PipelineStage & { previousName?: string | undefined }>;
  /** Where the deals of each removed stage go (a stage of the new list). */
  moves?: Array<{ from: string; to: string }> | undefined;
}

type Migration = NonNullable<Pipeline['migrating']>[number];

const kindIn = (stages: PipelineStage[], name: string) => {
  const s = stages.find((x) => x.name === name);
  return s ? stageKind(s.probability) : undefined;
};

/** The new stage names of the old ones (renamed, kept or moved to), checked against the rules. */
function plan(pipeline: Pipeline, deals: Deal[], edit: StageEdit): Migration[] {
  const problems: Array<{ path: string; message: string; code?: string }> = [];
  const oldNames = new Set(pipeline.stages.map((s) => s.name));
  const seen = new Set<string>();
  const claimed = new Map<string, string>();
  edit.stages.forEach((s, i) => {
    if (seen.has(s.name.toLowerCase()))
      problems.push({ path: `stages.${i}.name`, message: `${s.name} is declared twice` });
    seen.add(s.name.toLowerCase());
    if (s.previousName === undefined) return;
    if (!oldNames.has(s.previousName))
      problems.push({
        path: `stages.${i}.previousName`,
        message: `the pipeline has no stage ${s.previousName}`,
      });
    else if (claimed.has(s.previousName))
      problems.push({ path: `stages.${i}.previousName`, message: `${s.previousName} is renamed twice` });
    else claimed.set(s.previousName, s.name);
  });
  edit.stages.forEach((s, i) => {
    if (s.previousName === undefined && oldNames.has(s.name)) {
      if (claimed.has(s.name))
        problems.push({
          path: `stages.${i}.name`,
          message: `${s.name} is the old name of a renamed stage: rename in two steps`,
          code: 'name_in_use',
        });
      else claimed.set(s.name, s.name);
    }
    if (s.previousName !== undefined && s.previousName !== s.name && oldNames.has(s.name))
      problems.push({
        path: `stages.${i}.name`,
        message: `${s.name} is the name of another stage before this edit: rename in two steps`,
        code: 'name_in_use',
      });
  });
  const count = (stage: string) => deals.filter((d) => d.stage === stage).length;
  const migrations: Migration[] = [];
  pipeline.stages.forEach((old) => {
    const kind = stageKind(old.probability);
    const renamed = claimed.get(old.name);
    const held = count(old.name);
    if (renamed !== undefined) {
      const newKind = kindIn(edit.stages, renamed);
      if (held > 0 && newKind !== kind)
        problems.push({
          path: 'stages',
          message: `${renamed} holds ${held} deals: it stays a ${kind} stage (probability ${kind === 'won' ? '1' : kind === 'lost' ? '0' : 'between 0 and 1'})`,
          code: 'stage_kind_change',
        });
      if (renamed !== old.name) migrations.push({ from: old.name, to: renamed, rename: true });
      return;
    }
    const move = edit.moves?.find((m) => m.from === old.name);
    if (held === 0) return;
    if (!move) {
      problems.push({
        path: 'moves',
        message: `${old.name} holds ${held} deals: choose the stage they move to`,
        code: 'stage_has_deals',
      });
      return;
    }
    const toKind = kindIn(edit.stages, move.to);
    if (toKind === undefined)
      problems.push({
        path: 'moves',
        message: `${move.to} is not a stage of the pipeline`,
        code: 'invalid_stage',
      });
    else if (toKind !== kind)
      problems.push({
        path: 'moves',
        message: `the deals of ${old.name} (${kind}) can only move to a ${kind} stage; ${move.to} is ${toKind}`,
        code: 'stage_kind_change',
      });
    else migrations.push({ from: old.name, to: move.to });
  });
  (edit.moves ?? []).forEach((m, i) => {
    if (!oldNames.has(m.from) || claimed.has(m.from))
      problems.push({ path: `moves.${i}.from`, message: `${m.from} is not a stage this edit removes` });
  });
  if (problems.length > 0) throw validationError('the stages cannot be changed so', problems);
  return migrations;
}

/** A deal as it is once `migrations` are done, or undefined if they change nothing in it. */
function migrated(deal: Deal, migrations: Migration[]): Deal | undefined {
  const stage = migrations.find((m) => m.from === deal.stage)?.to ?? deal.stage;
  const renames = new Map(migrations.filter((m) => m.rename).map((m) => [m.from, m.to]));
  const renamesLeft = (deal.stagesLeft ?? []).some((s) => renames.has(s.stage));
  if (stage === deal.stage && !renamesLeft) return undefined;
  const next: Deal = { ...deal, stage };
  if (renamesLeft) {
    // One stint per stage: a stint under the old name joins one under the new (never both known here).
    const stints = new Map<string, { stage: string; ms?: number }>();
    for (const s of deal.stagesLeft ?? []) {
      const name = renames.get(s.stage) ?? s.stage;
      const prior = stints.get(name);
      const ms = prior?.ms !== undefined || s.ms !== undefined ? (prior?.ms ?? 0) + (s.ms ?? 0) : undefined;
      stints.set(name, { stage: name, ...(ms !== undefined ? { ms } : {}) });
    }
    next.stagesLeft = [...stints.values()];
  }
  return next;
}

/** The writes of one deal's migration: the deal at its version, and its event if its stage changed. */
function dealWrites(
  deps: SalesDeps,
  now: Date,
  deal: Deal,
  next: Deal,
  migrations: Migration[],
): SalesWrite[] {
  const saved: Deal = { ...next, version: deal.version + 1, updatedAt: now.toISOString() };
  const writes: SalesWrite[] = [{ kind: 'putDeal', deal: saved, expectedVersion: deal.version }];
  if (next.stage === deal.stage) return writes;
  const rename = migrations.find((m) => m.from === deal.stage)?.rename;
  writes.push(
    rename
      ? emit(deps, now, 'DealUpdated', {
          ...dealRef(saved),
          previous: position(deal),
          current: position(saved),
        })
      : emit(deps, now, 'DealStageChanged', {
          ...dealRef(saved),
          fromStage: deal.stage,
          toStage: saved.stage,
          previous: position(deal),
          current: position(saved),
        }),
  );
  return writes;
}

/**
 * Finishes what `pipeline.migrating` says: its deals rewritten a page per transaction, the stage
 * counters moved, and (with the last page) the pipeline saved without `migrating`.
 */
async function finishMigration(deps: SalesDeps, pipeline: Pipeline): Promise<Pipeline> {
  const migrations = pipeline.migrating ?? [];
  const counters = await deps.store.listStageStats(pipeline.id);
  for (const m of migrations) {
    const c = counters.find((x) => x.stage === m.from);
    if (!c) continue;
    await deps.store.commit([
      {
        kind: 'moveStageStats',
        pipelineId: pipeline.id,
        from: m.from,
        ...(m.rename ? { to: m.to, counters: c } : {}),
      },
    ]);
  }
  for (let attempt = 0; ; attempt++) {
    const now = deps.clock.now();
    const deals = await deps.store.listDealsOnBoard(pipeline.id);
    const changes = deals.flatMap((d) => {
      const next = migrated(d, migrations);
      return next ? [{ deal: d, next }] : [];
    });
    const done: Pipeline = {
      ...pipeline,
      version: (pipeline.version ?? 1) + 1,
      updatedAt: now.toISOString(),
    };
    delete done.migrating;
    try {
      for (let i = 0; i < changes.length || i === 0; i += MIGRATION_PAGE) {
        const page = changes.slice(i, i + MIGRATION_PAGE);
        const writes = page.flatMap(({ deal, next }) => dealWrites(deps, now, deal, next, migrations));
        const last = i + MIGRATION_PAGE >= changes.length;
        if (last)
          writes.push({ kind: 'putPipeline', pipeline: done, expectedVersion: pipeline.version ?? 1 });
        await deps.store.commit(writes);
      }
      return done;
    } catch (err) {
      // A deal changed meanwhile: read again and go on (the pages done stay done).
      if (err instanceof CommitConflict && err.write.kind === 'putDeal' && attempt < CONFLICT_RETRIES)
        continue;
      if (err instanceof CommitConflict && err.write.kind === 'putPipeline') {
        const now = await deps.store.getPipeline(pipeline.id);
        throw staleVersion('pipeline', pipeline.id, now?.version ?? 1);
      }
      throw err;
    }
  }
}

/** Changes a pipeline's name and stages at its `version` (409 otherwise); see the rules above. */
export async function editStages(deps: SalesDeps, id: string, edit: StageEdit): Promise<Pipeline> {
  let pipeline = await deps.store.getPipeline(id);
  if (!pipeline) throw notFound('pipeline', id);
  // An edit interrupted half-way is finished first.
  if (pipeline.migrating?.length) pipeline = await finishMigration(deps, pipeline);
  const version = pipeline.version ?? 1;
  if (version !== edit.version) throw staleVersion('pipeline', id, version);
  const deals = await deps.store.listDealsOnBoard(id);
  const migrations = plan(pipeline, deals, edit);
  const now = deps.clock.now();
  const next: Pipeline = {
    ...pipeline,
    name: edit.name ?? pipeline.name,
    stages: edit.stages.map((s) => ({ name: s.name, probability: s.probability })),
    version: version + 1,
    updatedAt: now.toISOString(),
  };
  delete next.migrating;
  if (migrations.length > 0) next.migrating = migrations;
  if (JSON.stringify(next.stages) === JSON.stringify(pipeline.stages) && next.name === pipeline.name)
    return pipeline;
  try {
    await deps.store.commit([
      { kind: 'putPipeline', pipeline: next, expectedVersion: version },
      emit(deps, now, 'PipelineUpdated', {
        pipelineId: id,
        name: next.name,
        renamed: migrations.filter((m) => m.rename).map(({ from, to }) => ({ from, to })),
        removed: pipeline.stages
          .filter((s) => !migrations.some((m) => m.from === s.name && m.rename))
          .filter((s) => !next.stages.some((n) => n.name === s.name))
          .map((s) => ({ stage: s.name, ...withMove(migrations, s.name) })),
      }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putPipeline') {
      const now = await deps.store.getPipeline(id);
      throw staleVersion('pipeline', id, now?.version ?? 1);
    }
    throw err;
  }
  return migrations.length > 0 ? finishMigration(deps, next) : next;
}

const withMove = (migrations: Migration[], stage: string) => {
  const to = migrations.find((m) => m.from === stage && !m.rename)?.to;
  return to ? { movedTo: to } : {};
};
