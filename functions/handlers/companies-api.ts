import { depsOf } from '#app/runtime.js';
import { addContactToCompany, removeContactFromCompany } from '#companies/association.js';
import * as companies from '#companies/companies.js';
import { companyRoutes as routes } from '#companies/routes.js';
import { companiesStore } from '#companies/store-dynamo.js';
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
  operation(searchRoutes.search, async ({ query }) => ({
    status: 200,
    body: await search(searchDeps, query),
  })),
]);
