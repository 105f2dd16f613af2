/**
 * What the companies function does for the search index with one event of its rule
 * (COMPANY_AND_SEARCH_EVENTS), after the companies consumer has done its part (so a contact that just
 * joined its domain's company is indexed with it): the contact or company the event names is
 * reindexed from what is stored now; a renamed company's people too; an import that updated
 * contacts restarts the backfill sweep. Redelivery is harmless (indexing.ts).
 */
import type { DomainEvent } from '#platform/events.js';
import { restartBackfill } from './backfill.js';
import { indexCompany, indexCompanyPeople, indexContact } from './indexing.js';
import type { SearchDeps } from './store.js';

/** The contact properties a contact is found by (or shown with). */
const SEARCHED = ['firstName', 'lastName', 'email', 'phone', 'company'];

export async function onSearchEvent(deps: SearchDeps, event: DomainEvent): Promise<string> {
  switch (event.detailType) {
    case 'ContactCreated':
    case 'ContactDeleted':
    case 'ContactCompanyChanged':
    case 'FormSubmitted':
    case 'PurchaseMade':
    case 'AppointmentBooked':
    case 'CaseCreated':
      return indexContact(deps, event.detail.contactId);
    case 'ContactUpdated':
      return event.detail.changed.some((c) => SEARCHED.includes(c))
        ? indexContact(deps, event.detail.contactId)
        : 'ignored';
    case 'CompanyCreated':
    case 'CompanyDeleted':
      // A deleted company's people leave it next (each ContactCompanyChanged reindexes them).
      return indexCompany(deps, event.detail.companyId);
    case 'CompanyUpdated': {
      const { changed, companyId } = event.detail;
      if (!changed.includes('name') && !changed.includes('domain')) return 'ignored';
      const outcome = await indexCompany(deps, companyId);
      if (changed.includes('name')) await indexCompanyPeople(deps, companyId);
      return outcome;
    }
    case 'ImportCompleted':
      // Its rows' updates announce no contact event: the sweep puts them right.
      return event.detail.updated > 0 ? restartBackfill(deps) : 'ignored';
    default:
      return 'ignored';
  }
}
