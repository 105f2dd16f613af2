/**
 * What the companies consumer does with one event of its rule (COMPANY_EVENTS): a contact created or
 * given another email joins its email domain's company; an erased one leaves it; a company created
 * or given another domain gathers that domain's contacts (and loses those of its old one); a deleted
 * company's people leave it (its linked deals and timeline go); a deal created or given another contact is indexed under its contact
 * (sales' index of a contact's deals, which the company page reads); a deleted deal loses its company
 * link and that index item. Every step is decided from what
 * is stored, so a redelivered event changes nothing twice.
 */
import type { DomainEvent } from '#platform/events.js';
import { associateByEmail, forgetContact } from './association.js';
import { clearCompany } from './company-cleanup.js';
import { forgetDeal } from './company-deals.js';
import type { CompaniesDeps } from './store.js';
import { joinDomainContacts, leaveOldDomain, releaseMembers } from './sweeps.js';

export async function onCompanyEvent(deps: CompaniesDeps, event: DomainEvent): Promise<string> {
  switch (event.detailType) {
    case 'ContactCreated':
      return (await associateByEmail(deps, event.detail.contactId)).outcome;
    case 'ContactUpdated':
      return event.detail.changed.includes('email')
        ? (await associateByEmail(deps, event.detail.contactId)).outcome
        : 'ignored';
    case 'ContactDeleted':
      return (await forgetContact(deps, event.detail.contactId)).outcome;
    case 'DealCreated':
    case 'DealUpdated': {
      const { contactId, dealId } = event.detail;
      if (!contactId) return 'ignored';
      // Events come in any order: a deal deleted already is not indexed again.
      if (!(await deps.store.getDeal(dealId))) return 'ignored';
      await deps.store.commit([{ kind: 'putContactDeal', contactId, dealId }]);
      return 'deal_indexed';
    }
    case 'DealDeleted':
      return forgetDeal(deps, event.detail.dealId, event.detail.contactId);
    case 'CompanyCreated':
      await joinDomainContacts(deps, event.detail.companyId);
      return 'swept';
    case 'CompanyUpdated':
      if (!event.detail.changed.includes('domain')) return 'ignored';
      await leaveOldDomain(deps, event.detail.companyId);
      await joinDomainContacts(deps, event.detail.companyId);
      return 'swept';
    case 'CompanyDeleted':
      await releaseMembers(deps, event.detail.companyId);
      await clearCompany(deps, event.detail.companyId);
      return 'released';
    default:
      return 'ignored';
  }
}
