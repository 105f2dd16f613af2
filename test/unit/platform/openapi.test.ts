/**
 * The served OpenAPI document is valid for the tools clients use: a third-party validator
 * (swagger-parser), Redocly's recommended lint with no error, and a generated TypeScript client —
 * the admin UI's own types (web/src/api-types.ts). The served file (functions/app/openapi.json) and the
 * types must be what the route table generates today.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { BaseResolver, createConfig, lintDocument, makeDocumentFromString } from '@redocly/openapi-core';
import type { buildOpenApi } from '#platform/http/openapi.js';
import { API_TYPES_FILE, apiTypes, OPENAPI_FILE, openApiJson } from '../../../scripts/generate-api.js';

/** The document as the openapi function serves it. */
const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as ReturnType<typeof buildOpenApi>;

describe('the OpenAPI document', () => {
  it('passes swagger-parser validation (every $ref resolves)', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('has no error under Redocly’s recommended rules', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintDocument({
      document: makeDocumentFromString(JSON.stringify(doc), '/openapi.json'),
      config,
      externalRefResolver: new BaseResolver(config.resolve),
    });
    const errors = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((p) => `${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`),
      [],
    );
  });

  it('keeps shared record schemas in components/schemas, referenced from the routes', () => {
    const schemas = doc.components.schemas;
    for (const id of [
      'Contact',
      'Activity',
      'Form',
      'EmailTemplate',
      'Workflow',
      'Deal',
      'Task',
      'Dashboard',
    ])
      assert.ok(schemas[id], `${id} is a component`);
    assert.ok(
      JSON.stringify((schemas.Contact as { properties: object }).properties).includes('unsubscribedAt'),
      'the contact says when it unsubscribed',
    );
    assert.doesNotMatch(JSON.stringify(doc), /#\/\$defs\//);
  });

  it('is served exactly as the route table builds it today (npm run generate)', () => {
    assert.equal(
      readFileSync(OPENAPI_FILE, 'utf8'),
      openApiJson(),
      'functions/app/openapi.json is out of date',
    );
  });

  it('generates the web client’s types exactly as committed (npm run generate)', async () => {
    assert.equal(
      readFileSync(API_TYPES_FILE, 'utf8'),
      await apiTypes(),
      'web/src/api-types.ts is out of date',
    );
  });
});
