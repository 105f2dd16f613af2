/**
 * Deals and companies: a deal linked to a company by hand (at most one; its link item versioned,
 * the company's side a deal item in its partition, both with DealCompanyChanged and a timeline entry
 * in one transaction, which also requires the deal to exist), unlinked, a deleted deal's links
 * removed (the companies consumer, on DealDeleted), and the company page's deals: those linked plus
 * its people's, each once, with their amounts per currency. Sales' deals are only read (its own
 * writes are unchanged).
 */
import { notFound } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { emit } from '#platform/store.js';
import type { Deal } from '#sales/model.js';
import type { CompanyDeal, CompanyView } from './model.js';
import type { CompaniesDeps, CompaniesWrite } from './store.js';
import { entryWrite } from './timeline.js';

/** The linked deals a company page shows. */
export const PAGE_LINKED_DEALS = 100;

// A deal deleted meanwhile (part `deal`) is read again: gone, it is a 404.
const retried = (c: { part?: string | undefined }) =>
  c.part === 'dealLink' || c.part === 'company' || c.part === 'deal';

/** Links a deal to a company (out of any other). Linking it again changes nothing. */
export async function linkDeal(deps: CompaniesDeps, companyId: string, dealId: string): Promise<void> {
  await withOptimisticRetry(async () => {
    const [company, deal, link] = await Promise.all([
      deps.store.getCompany(companyId),
      deps.store.getDeal(dealId),
      deps.store.getDealCompanyLink(dealId),
    ]);
    if (!company) throw notFound('company', companyId);
    if (!deal) throw notFound('deal', dealId);
    if (link?.companyId === companyId) return;
    const now = deps.clock.now();
    const at = now.toISOString();
    const writes: CompaniesWrite[] = [
      { kind: 'checkCompany', companyId },
      { kind: 'checkDeal', dealId },
      {
        kind: 'putDealLink',
        link: { dealId, companyId, since: at, version: (link?.version ?? 0) + 1 },
        expectedVersion: link?.version ?? 0,
      },
      { kind: 'putCompanyDeal', companyId, ref: { dealId, since: at } },
      entryWrite(deps, companyId, now, { type: 'deal_linked', dealId }),
      emit(deps, now, 'DealCompanyChanged', {
        dealId,
        companyId,
        ...(link ? { previousCompanyId: link.companyId } : {}),
      }),
    ];
    if (link) {
      writes.push({ kind: 'deleteCompanyDeal', companyId: link.companyId, dealId });
      if (await deps.store.getCompany(link.companyId))
        writes.push(entryWrite(deps, link.companyId, now, { type: 'deal_unlinked', dealId }));
    }
    await deps.store.commit(writes);
  }, retried);
}

/** Unlinks a deal from a company (404 when it is not linked to it). */
export async function unlinkDeal(deps: CompaniesDeps, companyId: string, dealId: string): Promise<void> {
  await withOptimisticRetry(async () => {
    const link = await deps.store.getDealCompanyLink(dealId);
    if (link?.companyId !== companyId) throw notFound('deal of the company', dealId);
    const now = deps.clock.now();
    const writes: CompaniesWrite[] = [
      { kind: 'deleteDealLink', dealId, expectedVersion: link.version },
      { kind: 'deleteCompanyDeal', companyId, dealId },
      emit(deps, now, 'DealCompanyChanged', { dealId, previousCompanyId: companyId }),
    ];
    if (await deps.store.getCompany(companyId))
      writes.push(entryWrite(deps, companyId, now, { type: 'deal_unlinked', dealId }));
    await deps.store.commit(writes);
  }, retried);
}

/**
 * A deleted deal's links (DealDeleted): its company link, both sides, and its item in the index of
 * its contact's deals. Decided from what is stored, so a redelivered event finds nothing to do. No
 * event: DealDeleted says it all (the company's timeline keeps its entries, without the deal's name).
 */
export async function forgetDeal(
  deps: CompaniesDeps,
  dealId: string,
  contactId: string | undefined,
): Promise<'deal_forgotten' | 'ignored'> {
  // A deal id is never used again: if it is stored, this DealDeleted is not about it.
  if (await deps.store.getDeal(dealId)) return 'ignored';
  await withOptimisticRetry(async () => {
    const link = await deps.store.getDealCompanyLink(dealId);
    const writes: CompaniesWrite[] = contactId ? [{ kind: 'deleteContactDeal', contactId, dealId }] : [];
    if (link)
      writes.push(
        { kind: 'deleteDealLink', dealId, expectedVersion: link.version },
        { kind: 'deleteCompanyDeal', companyId: link.companyId, dealId },
      );
    if (writes.length > 0) await deps.store.commit(writes);
  }, retried);
  return 'deal_forgotten';
}

const shown = (d: Deal, linked: boolean): CompanyDeal => ({
  id: d.id,
  title: d.title,
  pipelineId: d.pipelineId,
  stage: d.stage,
  amount: d.amount,
  currency: d.currency,
  ...(d.contactId ? { contactId: d.contactId } : {}),
  linked,
});

/**
 * The company page's deals: those linked to it (the first 100; a deleted deal is left out), then its people's deals not among them; each deal once.
 */
export async function companyDeals(
  deps: CompaniesDeps,
  companyId: string,
  peoplesDeals: Deal[],
): Promise<Pick<CompanyView, 'deals' | 'dealTotals'>> {
  const refs = await deps.store.listCompanyDeals(companyId, { limit: PAGE_LINKED_DEALS });
  // The company's deal items change with the deals' links in one transaction: they are the truth.
  const linked = await deps.store.getDeals(refs.items.map((r) => r.dealId));
  const out = linked.map((d) => shown(d, true));
  const seen = new Set(out.map((d) => d.id));
  for (const d of peoplesDeals) if (!seen.has(d.id) && seen.add(d.id)) out.push(shown(d, false));
  return { deals: out, dealTotals: totalsOf(out) };
}

/** Amounts per currency (A→Z by currency), never summed across currencies. */
export function totalsOf(deals: Array<Pick<CompanyDeal, 'amount' | 'currency'>>) {
  const totals = new Map<string, { currency: string; amount: number; count: number }>();
  for (const d of deals) {
    const t = totals.get(d.currency) ?? { currency: d.currency, amount: 0, count: 0 };
    t.amount += d.amount;
    t.count += 1;
    totals.set(d.currency, t);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
