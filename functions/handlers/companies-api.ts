import { depsOf } from '#app/runtime.js';
import { addContactToCompany, removeContactFromCompany } from '#companies/association.js';
import * as companies from '#companies/companies.js';
import { linkDeal, unlinkDeal } from '#companies/company-deals.js';
import { createCompanyField, updateCompanyField } from '#companies/company-fields.js';
import { companyRoutes as routes } from '#companies/routes.js';
import { companiesStore } from '#companies/store-dynamo.js';
import { addCompanyNote, companyTimeline } from '#companies/timeline.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { searchRoutes } from '#search/routes.js';
import { search } from '#search/search.js';
import { searchStore } from '#search/store-dynamo.js';

const deps = depsOf(companiesStore);
const searchDeps = depsOf(searchStore);

export const handler = httpHandler([
  operation(routes.createCompany, async ({ body }) => ({
    status: 201,
    body: await companies.createCompany(deps, body),
  })),
  operation(routes.listCompanies, async ({ query }) => ({
    status: 200,
    body: await companies.listCompanies(deps, query),
  })),
  operation(routes.getCompany, async ({ params }) => ({
    status: 200,
    body: await companies.companyView(deps, params.id),
  })),
  operation(routes.updateCompany, async ({ params, body: { version, ...patch } }) => ({
    status: 200,
    body: await companies.updateCompany(deps, params.id, patch, version),
  })),
  operation(routes.deleteCompany, async ({ params }) => {
    await companies.deleteCompany(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.addCompanyContact, async ({ params }) => {
    await addContactToCompany(deps, params.id, params.contactId);
    return { status: 200, body: await companies.contactCompany(deps, params.contactId) };
  }),
  operation(routes.removeCompanyContact, async ({ params }) => {
    await removeContactFromCompany(deps, params.id, params.contactId);
    return { status: 204 };
  }),
  operation(routes.getContactCompany, async ({ params }) => ({
    status: 200,
    body: await companies.contactCompany(deps, params.id),
  })),
  operation(routes.listCompanyFields, async () => ({
    status: 200,
    body: { items: await deps.store.listCompanyFields() },
  })),
  operation(routes.createCompanyField, async ({ body }) => ({
    status: 201,
    body: await createCompanyField(deps, body),
  })),
  operation(routes.updateCompanyField, async ({ params, body }) => ({
    status: 200,
    body: await updateCompanyField(deps, params.name, body),
  })),
  operation(routes.linkCompanyDeal, async ({ params }) => {
    await linkDeal(deps, params.id, params.dealId);
    return { status: 204 };
  }),
  operation(routes.unlinkCompanyDeal, async ({ params }) => {
    await unlinkDeal(deps, params.id, params.dealId);
    return { status: 204 };
  }),
  operation(routes.companyTimeline, async ({ params, query }) => ({
    status: 200,
    body: await companyTimeline(deps, params.id, query),
  })),
  operation(routes.addCompanyNote, async ({ params, body }) => ({
    status: 201,
    body: await addCompanyNote(deps, params.id, body.body),
  })),
  operation(searchRoutes.search, async ({ query }) => ({
    status: 200,
    body: await search(searchDeps, query),
  })),
]);
