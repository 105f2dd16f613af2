import { depsOf } from '#app/runtime.js';
import * as articles from '#knowledge/articles.js';
import { articleRoutes as routes } from '#knowledge/routes.js';
import { knowledgeStore } from '#knowledge/store-dynamo.js';
import { searchArticles } from '#knowledge/suggest.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(knowledgeStore);

/** A blank slug or category is as absent. */
const inputOf = (body: {
  title: string;
  slug?: string | undefined;
  body: string;
  category?: string | undefined;
}) => ({
  title: body.title,
  body: body.body,
  slug: body.slug || undefined,
  category: body.category || undefined,
});

export const handler = httpHandler([
  operation(routes.createArticle, async ({ body }) => ({
    status: 201,
    body: await articles.createArticle(deps, inputOf(body)),
  })),
  operation(routes.listArticles, async ({ query }) => ({
    status: 200,
    body: await articles.listArticles(deps, query),
  })),
  operation(routes.searchArticles, async ({ query }) => ({
    status: 200,
    body: {
      items: await searchArticles(deps, query.q ?? '', {
        limit: query.limit,
        category: query.category || undefined,
      }),
    },
  })),
  operation(routes.previewArticle, async ({ body }) => ({
    status: 200,
    body: await articles.previewArticle(body.body),
  })),
  operation(routes.getArticle, async ({ params }) => ({
    status: 200,
    body: await articles.getArticle(deps, params.id),
  })),
  operation(routes.updateArticle, async ({ params, body: { version, ...input } }) => ({
    status: 200,
    body: await articles.updateArticle(deps, params.id, inputOf(input), version),
  })),
  operation(routes.deleteArticle, async ({ params }) => {
    await articles.deleteArticle(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.publishArticle, async ({ params }) => ({
    status: 200,
    body: await articles.publishArticle(deps, params.id),
  })),
  operation(routes.unpublishArticle, async ({ params }) => ({
    status: 200,
    body: await articles.unpublishArticle(deps, params.id),
  })),
]);
