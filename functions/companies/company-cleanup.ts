/**
 * A deleted company's remains, cleared by the companies consumer after its people are released
 * (CompanyDeleted): its deals lose their link to it (DealCompanyChanged) and its timeline entries go.
 * Each step reads what is stored now, so a redelivered event finds nothing left to do.
 */
import { emit } from '#platform/store.js';
import type { CompaniesDeps } from './store.js';

const PAGE = 25;

export async function clearCompany(deps: CompaniesDeps, companyId: string): Promise<void> {
  if (await deps.store.getCompany(companyId)) return;
  for (;;) {
    // Each pass removes what it read: the first page again until none is left.
    const refs = await deps.store.listCompanyDeals(companyId, { limit: PAGE });
    if (refs.items.length === 0) break;
    for (const { dealId } of refs.items) {
      const link = await deps.store.getDealCompanyLink(dealId);
      await deps.store.commit([
        { kind: 'deleteCompanyDeal', companyId, dealId },
        ...(link?.companyId === companyId
          ? [
              { kind: 'deleteDealLink' as const, dealId, expectedVersion: link.version },
              emit(deps, deps.clock.now(), 'DealCompanyChanged', { dealId, previousCompanyId: companyId }),
            ]
          : []),
      ]);
    }
  }
  for (;;) {
    const entries = await deps.store.listCompanyEntries(companyId, { limit: PAGE });
    if (entries.items.length === 0) return;
    await deps.store.commit(
      entries.items.map((entry) => ({ kind: 'deleteCompanyEntry' as const, companyId, entry })),
    );
  }
}
