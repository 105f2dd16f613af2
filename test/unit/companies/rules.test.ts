/**
 * Companies' pure rules: domains normalized from what people type (addresses, web addresses, case),
 * refused when they are no host name; free-mail domains never a company's; the name key lists are
 * sorted and searched by; a company's lifecycle stage the most advanced of its people's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byDomain } from '#companies/association.js';
import type { Company, CompanyLink } from '#companies/model.js';
import { CreateCompanyBody, PatchCompanyBody } from '#companies/routes.js';
import {
  companyDomainOf,
  isFreeMail,
  mostAdvancedStage,
  nameKey,
  normalizeDomain,
} from '#companies/rules.js';

describe('company domains', () => {
  it('are normalized from a domain, a web address or an email-like input', () => {
    assert.equal(normalizeDomain('Example.COM'), 'example.com');
    assert.equal(normalizeDomain('  https://WWW.Example.com:443/about?x=1 '), 'example.com');
    assert.equal(normalizeDomain('http://shop.example.co.uk/'), 'shop.example.co.uk');
    assert.equal(normalizeDomain('example.com.'), 'example.com');
    assert.equal(normalizeDomain('xn--bcher-kva.example'), 'xn--bcher-kva.example');
  });
  it('are refused when they are no host name', () => {
    for (const bad of [
      '',
      'localhost',
      'exa mple.com',
      '-bad.com',
      'example',
      'http://',
      '1.2.3.4',
      'a..com',
    ])
      assert.equal(normalizeDomain(bad), undefined, bad);
  });
  it('of an email are its host, unless a free-mail provider', () => {
    assert.equal(companyDomainOf('Ada@Acme.Example'), 'acme.example');
    assert.equal(companyDomainOf('ada@gmail.com'), undefined);
    assert.equal(companyDomainOf('ada@GMAIL.com'), undefined);
    assert.equal(companyDomainOf('ada@outlook.com'), undefined);
    assert.equal(companyDomainOf('not-an-email'), undefined);
    assert.ok(isFreeMail('yahoo.com'));
    assert.ok(!isFreeMail('acme.example'));
  });
});

describe('company name keys', () => {
  it('ignore case, accents, punctuation and extra spaces', () => {
    assert.equal(nameKey('  Société   Générale! '), 'societe generale');
    assert.equal(nameKey('ACME, Inc.'), 'acme inc');
    assert.equal(nameKey('Ærø 3M'), nameKey('ærø 3m'));
  });
  it('sort like names and make a prefix of a search', () => {
    const names = ['beta', 'Alpha Two', 'alpha'].map(nameKey).sort();
    assert.deepEqual(names, ['alpha', 'alpha two', 'beta']);
    assert.ok(nameKey('Alpha Two').startsWith(nameKey('ALPHA t')));
  });
});

describe('a company’s lifecycle stage', () => {
  it('is the most advanced of its people’s', () => {
    assert.equal(mostAdvancedStage(['lead', 'customer', 'subscriber']), 'customer');
    assert.equal(
      mostAdvancedStage([undefined, 'marketing_qualified_lead', undefined]),
      'marketing_qualified_lead',
    );
    assert.equal(mostAdvancedStage(['evangelist', 'opportunity']), 'evangelist');
    assert.equal(mostAdvancedStage([undefined]), undefined);
    assert.equal(mostAdvancedStage([]), undefined);
  });
});

describe('association by domain', () => {
  const company = { id: 'C1', name: 'Acme', domain: 'acme.example' } as Company;
  const link = (over: Partial<CompanyLink>): CompanyLink => ({ contactId: 'P', version: 1, ...over });
  it('joins the domain’s company, unless placed by hand or taken out of it', () => {
    assert.deepEqual(byDomain(undefined, 'acme.example', company), {
      domain: 'acme.example',
      companyId: 'C1',
      via: 'domain',
      detachedFrom: undefined,
    });
    assert.equal(byDomain(link({ companyId: 'C9', via: 'manual' }), 'acme.example', company).companyId, 'C9');
    assert.equal(byDomain(link({ detachedFrom: 'C1' }), 'acme.example', company).companyId, undefined);
  });
  it('leaves a company joined by another domain when the new one has none', () => {
    const next = byDomain(
      link({ companyId: 'C0', via: 'domain', domain: 'old.example' }),
      'new.example',
      undefined,
    );
    assert.equal(next.companyId, undefined);
    assert.equal(next.domain, 'new.example');
  });
});

describe('a company’s website', () => {
  it('is an http(s) address, nothing a link would run', () => {
    const site = (website: unknown) => CreateCompanyBody.safeParse({ name: 'Acme', website });
    assert.equal(site('https://www.acme.example/about').success, true);
    assert.equal(site('http://acme.example').success, true);
    for (const bad of ['javascript:alert(document.domain)', 'acme.example', 'https://', 'ftp://acme.example'])
      assert.deepEqual(
        site(bad).error?.issues.map((i) => i.path.join('.')),
        ['website'],
        bad,
      );
    assert.equal(PatchCompanyBody.safeParse({ version: 1, website: null }).success, true, 'null clears it');
  });
});
