/**
 * Saved views of the contacts list, shared by the workspace: created, listed by name, changed and
 * deleted at the version the client read (409 otherwise). A name is unique in any case. A sort is
 * kept only for the lists that have one (every contact, a tag's contacts).
 */
import { conflict, invalid, notFound, staleVersion } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import type { ContactsDeps } from './store.js';
import {
  type ContactSort,
  type ContactView,
  type ContactViewFilter,
  MAX_CONTACT_VIEWS,
  sortsWith,
} from './views-model.js';

export interface ContactViewInput {
  name: string;
  filter: ContactViewFilter;
  sort?: ContactSort | undefined;
  columns: string[];
}

export interface ContactViewPatch extends Partial<ContactViewInput> {
  version: number;
}

/** A sort given with a list that has its own order is refused; none given: newest first where it applies. */
function sortFor(filter: ContactViewFilter, sort: ContactSort | undefined): ContactSort | undefined {
  if (!sortsWith(filter, sort)) {
    if (sort !== undefined)
      throw invalid(
        'sort_not_applicable',
        'a search, a stage and a band have their own order: leave out sort; a tag is sorted by creation only',
        [
          {
            path: 'sort',
            message: 'applies to every contact and to a tag only (by name: every contact only)',
            code: 'sort_not_applicable',
          },
        ],
      );
    return undefined;
  }
  return sort ?? '-created';
}

const nameTaken = (name: string) =>
  conflict('view_name_taken', `a view named “${name}” exists already; choose another name`, { name });

export async function createContactView(deps: ContactsDeps, input: ContactViewInput): Promise<ContactView> {
  const at = deps.clock.now().toISOString();
  const sort = sortFor(input.filter, input.sort);
  const view: ContactView = {
    id: deps.ids.next(),
    name: input.name,
    filter: input.filter,
    ...(sort ? { sort } : {}),
    columns: input.columns,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.store.commit([{ kind: 'createContactView', view }]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'name') throw nameTaken(input.name);
    if (err instanceof CommitConflict && err.part === 'limit')
      throw conflict('too_many_views', `at most ${MAX_CONTACT_VIEWS} saved views; delete one first`);
    throw err;
  }
  return view;
}

/** Every saved view, by name. */
export async function listContactViews(deps: ContactsDeps): Promise<ContactView[]> {
  const views = await deps.store.listContactViews();
  return views.sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id),
  );
}

export async function getContactView(deps: ContactsDeps, id: string): Promise<ContactView> {
  const view = await deps.store.getContactView(id);
  if (!view) throw notFound('view', id);
  return view;
}

/** Renames a view or changes what it shows, if it is still at `version` (409 otherwise). */
export async function updateContactView(
  deps: ContactsDeps,
  id: string,
  patch: ContactViewPatch,
): Promise<ContactView> {
  const current = await getContactView(deps, id);
  if (current.version !== patch.version) throw staleVersion('view', id, current.version);
  const filter = patch.filter ?? current.filter;
  // A new filter without a sort keeps the view's sort where it still applies.
  const sort = sortFor(filter, patch.sort ?? (sortsWith(filter, current.sort) ? current.sort : undefined));
  const { sort: _old, ...rest } = current;
  const next: ContactView = {
    ...rest,
    name: patch.name ?? current.name,
    filter,
    ...(sort ? { sort } : {}),
    columns: patch.columns ?? current.columns,
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([
      {
        kind: 'replaceContactView',
        view: next,
        expectedVersion: current.version,
        previousName: current.name,
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'name') throw nameTaken(next.name);
    if (err instanceof CommitConflict) {
      const now = await deps.store.getContactView(id);
      if (!now) throw notFound('view', id);
      throw staleVersion('view', id, now.version);
    }
    throw err;
  }
  return next;
}

/** Deletes a view at `version` (409 if it changed since; 404 if it is gone). */
export async function deleteContactView(deps: ContactsDeps, id: string, version: number): Promise<void> {
  const current = await getContactView(deps, id);
  if (current.version !== version) throw staleVersion('view', id, current.version);
  try {
    await deps.store.commit([
      { kind: 'deleteContactView', id, name: current.name, expectedVersion: current.version },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    const now = await deps.store.getContactView(id);
    if (!now) throw notFound('view', id);
    throw staleVersion('view', id, now.version);
  }
}
