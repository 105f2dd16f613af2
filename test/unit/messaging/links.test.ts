import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkRewrite, rewriteHtmlLinks, rewriteTextLinks, utmSlug, withParams } from '#messaging/links.js';

const utm = { utm_source: 'tendril', utm_medium: 'email', utm_campaign: 'spring-sale' };

describe('campaign link parameters', () => {
  it('are added to http(s) links, keeping a link’s own values, its fragment and other schemes', () => {
    assert.equal(
      withParams('https://shop.example.com/sale?ref=a#top', utm),
      'https://shop.example.com/sale?ref=a&utm_source=tendril&utm_medium=email&utm_campaign=spring-sale#top',
    );
    assert.equal(
      withParams('https://x.example/?utm_campaign=mine', { utm_campaign: 'spring-sale' }),
      'https://x.example/?utm_campaign=mine',
    );
    assert.equal(withParams('mailto:sales@example.com', utm), 'mailto:sales@example.com');
    assert.equal(withParams('/relative', utm), '/relative');
  });

  it('rewrite entity-escaped hrefs in HTML and URLs in text, leaving the kept link alone', () => {
    const keep = (url: string) => url.startsWith('https://crm.example.com/u/');
    const rewrite = linkRewrite({ utm_campaign: 'spring-sale' }, keep);
    const html =
      '<a href="https://shop.example.com/?a=1&amp;b=2">Shop</a> <a href=\'https://crm.example.com/u/T\'>Unsubscribe</a>';
    assert.equal(
      rewriteHtmlLinks(html, rewrite),
      '<a href="https://shop.example.com/?a=1&amp;b=2&amp;utm_campaign=spring-sale">Shop</a> <a href=\'https://crm.example.com/u/T\'>Unsubscribe</a>',
    );
    assert.equal(
      rewriteTextLinks('Shop (https://shop.example.com/x) or leave: https://crm.example.com/u/T', rewrite),
      'Shop (https://shop.example.com/x?utm_campaign=spring-sale) or leave: https://crm.example.com/u/T',
    );
  });

  it('name the campaign in lower-case words joined by dashes', () => {
    assert.equal(utmSlug('Spring Sale — Über 50%!'), 'spring-sale-uber-50');
    assert.equal(utmSlug('!!!'), 'campaign');
  });
});
