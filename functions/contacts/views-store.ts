/** The saved views' part of the contacts store port: the changes written and the reads needed. */
import type { ContactView } from './views-model.js';

export type ContactViewsWrite =
  /**
   * A new view: a conflict, part `name`, when another view has its name (in any case), part `limit`
   * when the workspace has MAX_CONTACT_VIEWS already.
   */
  | { kind: 'createContactView'; view: ContactView }
  /** Replaces the view if still at `expectedVersion` (part `version`), moving its name's guard (part `name`). */
  | { kind: 'replaceContactView'; view: ContactView; expectedVersion: number; previousName: string }
  /** Deletes the view if still at `expectedVersion` (part `version`), with its name's guard. */
  | { kind: 'deleteContactView'; id: string; name: string; expectedVersion: number };

export interface ContactViewsReads {
  getContactView(id: string): Promise<ContactView | undefined>;
  /** Every saved view (at most MAX_CONTACT_VIEWS), in id (creation) order. */
  listContactViews(): Promise<ContactView[]>;
}
