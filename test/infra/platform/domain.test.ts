/**
 * The custom domain (`-c domain= -c certificateArn= -c apiCertificateArn= -c hostedZoneId=`), the
 * CloudFront web ACL of the us-east-1 edge stack, and what `cdk destroy` needs: synthesized with a
 * domain in another region than us-east-1 (the web ACL crosses regions) and without one,
 * env-agnostic (the ACL is imported by its export name).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { ORIGIN_SECRET_HEADER, ORIGIN_SECRET_STAGE_VARIABLE } from '#platform/http/client-ip.js';
import { HITS_PER_IP_PER_MINUTE } from '#tracking/collect.js';
import { MANAGED_RULE_GROUPS, PUBLIC_RATE_LIMITS } from '../../../infra/constructs/edge-firewall.js';
import { domainOptions, trackingDomain } from '../../../infra/domain-options.js';
import { publicPrefixes } from '../../../infra/tendril-stack.js';
import { ofType, onlyOf, type Resource, type Synthesized, synthesize } from '../../support/cdk-app.js';

const ACCOUNT = '123456789012';
const DOMAIN = 'crm.example.com';
const EDGE_CERT = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;
const API_CERT = `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-666666666666`;
const ZONE = 'Z0123456789ABCDEFGHIJ';
/** Managed origin request policies (CloudFront's ids). */
const ALL_VIEWER_AND_CLOUDFRONT_2022 = '33f36d7e-f396-46d9-90e0-52428a34d9dc';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
/** The managed cache policy with gzip and brotli in its cache key (CloudFront compresses only then). */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

type Behavior = { PathPattern: string; OriginRequestPolicyId: unknown; TargetOriginId: string };
type Origin = {
  Id: string;
  DomainName: unknown;
  OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }>;
};
type DistributionConfig = {
  Aliases?: string[];
  ViewerCertificate?: {
    AcmCertificateArn?: string;
    MinimumProtocolVersion?: string;
    SslSupportMethod?: string;
  };
  WebACLId: unknown;
  Origins: Origin[];
  DefaultCacheBehavior: { Compress?: boolean; CachePolicyId?: unknown };
  CacheBehaviors: Behavior[];
};

let withDomain: Synthesized;
let withoutDomain: Synthesized;

before(() => {
  withDomain = synthesize({
    region: 'eu-west-1',
    account: ACCOUNT,
    context: {
      stage: 'prod',
      domain: DOMAIN,
      certificateArn: EDGE_CERT,
      apiCertificateArn: API_CERT,
      hostedZoneId: ZONE,
      trackingDomain: 'track.example.com',
    },
  });
  withoutDomain = synthesize();
});

const text = (value: unknown) => JSON.stringify(value) ?? '';
const distribution = (s: Synthesized) =>
  onlyOf(s.main, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig as DistributionConfig;
const apiOrigin = (s: Synthesized) => {
  const config = distribution(s);
  const target = config.CacheBehaviors.find((b) => b.PathPattern === '/f/*')?.TargetOriginId;
  const origin = config.Origins.find((o) => o.Id === target);
  assert.ok(origin, 'the API origin');
  return origin;
};
const envOfFunctions = (s: Synthesized) =>
  ofType(s.main, 'AWS::Lambda::Function')
    .map(
      ([, r]) => (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
    )
    .filter((v): v is Record<string, unknown> => v !== undefined && 'PUBLIC_API_URL' in v);

describe('with a custom domain', () => {
  it('serves CloudFront at the domain with its us-east-1 certificate, and Route 53 aliases it', () => {
    const config = distribution(withDomain);
    assert.deepEqual(config.Aliases, [DOMAIN]);
    assert.equal(config.ViewerCertificate?.AcmCertificateArn, EDGE_CERT);
    assert.equal(config.ViewerCertificate?.SslSupportMethod, 'sni-only');
    assert.equal(config.ViewerCertificate?.MinimumProtocolVersion, 'TLSv1.2_2021');
    const records = ofType(withDomain.main, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    assert.deepEqual(records.map((r) => r.Type).sort(), ['A', 'AAAA']);
    for (const r of records) {
      assert.equal(r.Name, `${DOMAIN}.`);
      assert.equal(r.HostedZoneId, ZONE);
      assert.match(text(r.AliasTarget), /AdminSiteDistribution.*DomainName/);
    }
  });

  it('disables execute-api: the API answers at its custom domain, which CloudFront forwards to (Host included)', () => {
    const [apiId, api] = onlyOf(withDomain.main, 'AWS::ApiGatewayV2::Api');
    assert.equal(api.Properties.DisableExecuteApiEndpoint, true);
    const [domainId, domain] = onlyOf(withDomain.main, 'AWS::ApiGatewayV2::DomainName');
    assert.equal(domain.Properties.DomainName, DOMAIN);
    assert.deepEqual(domain.Properties.DomainNameConfigurations, [
      { CertificateArn: API_CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
    ]);
    const [, mapping] = onlyOf(withDomain.main, 'AWS::ApiGatewayV2::ApiMapping');
    assert.deepEqual(mapping.Properties.ApiId, { Ref: apiId });
    assert.deepEqual(mapping.Properties.DomainName, { Ref: domainId });
    assert.equal(mapping.Properties.Stage, '$default');
    assert.deepEqual(apiOrigin(withDomain).DomainName, { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
    for (const b of distribution(withDomain).CacheBehaviors)
      assert.equal(
        b.OriginRequestPolicyId,
        ALL_VIEWER_AND_CLOUDFRONT_2022,
        `${b.PathPattern}: Host and CloudFront-Viewer-Address`,
      );
  });

  it('puts the domain in public links, the Cognito callback and logout URLs and the outputs', () => {
    const envs = envOfFunctions(withDomain);
    assert.ok(envs.length >= 2, 'the functions that build links');
    for (const env of envs) assert.equal(env.PUBLIC_API_URL, `https://${DOMAIN}`);
    const [, client] = onlyOf(withDomain.main, 'AWS::Cognito::UserPoolClient');
    assert.deepEqual(client.Properties.CallbackURLs, [`https://${DOMAIN}/`]);
    assert.deepEqual(client.Properties.LogoutURLs, [`https://${DOMAIN}/`]);
    assert.equal(withDomain.main.Outputs?.AdminUrl?.Value, `https://${DOMAIN}`);
    assert.equal(withDomain.main.Outputs?.ApiUrl?.Value, `https://${DOMAIN}`);
    assert.equal(withDomain.main.Outputs?.UserPoolId !== undefined, true);
    assert.doesNotMatch(text(distribution(withDomain)), /AwsSolutions-CFR4/);
  });

  it('reads the edge stack’s web ACL across regions (CDK’s cross-region references), deployed after it', () => {
    assert.equal(withDomain.edgeStackName, 'TendrilEdge-prod');
    assert.equal(withDomain.edgeRegion, 'us-east-1');
    assert.ok(withDomain.mainDependencies.includes('TendrilEdge-prod'));
    const [readerId] = onlyOf(withDomain.main, 'Custom::CrossRegionExportReader');
    assert.match(text(distribution(withDomain).WebACLId), new RegExp(`"Fn::GetAtt":\\["${readerId}"`));
    const [aclId] = onlyOf(withDomain.edge, 'AWS::WAFv2::WebACL');
    const [, writer] = onlyOf(withDomain.edge, 'Custom::CrossRegionExportWriter');
    assert.match(text(writer.Properties), new RegExp(`"Fn::GetAtt":\\["${aclId}","Arn"\\]`));
    assert.match(text(writer.Properties), /"region":"eu-west-1"/);
  });
});

describe('without a domain (env-agnostic, as before)', () => {
  it('keeps execute-api: CloudFront reaches it without the Host header, public links point at it', () => {
    const [apiId, api] = onlyOf(withoutDomain.main, 'AWS::ApiGatewayV2::Api');
    assert.notEqual(api.Properties.DisableExecuteApiEndpoint, true);
    assert.equal(ofType(withoutDomain.main, 'AWS::ApiGatewayV2::DomainName').length, 0);
    assert.equal(ofType(withoutDomain.main, 'AWS::ApiGatewayV2::ApiMapping').length, 0);
    assert.equal(distribution(withoutDomain).Aliases, undefined);
    assert.match(text(apiOrigin(withoutDomain).DomainName), new RegExp(`"Ref":"${apiId}"},".execute-api."`));
    const endpoint = { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] };
    for (const env of envOfFunctions(withoutDomain)) assert.deepEqual(env.PUBLIC_API_URL, endpoint);
    assert.deepEqual(withoutDomain.main.Outputs?.ApiUrl?.Value, endpoint);
  });

  it('forwards the viewer address to the public routes (not Host), every viewer header but Host to /v1', () => {
    const behaviors = distribution(withoutDomain).CacheBehaviors;
    const [policyId, policy] = onlyOf(withoutDomain.main, 'AWS::CloudFront::OriginRequestPolicy');
    for (const path of ['/csat/*', '/f/*', '/help', '/help/*', '/m/*', '/t/*', '/u/*'])
      assert.deepEqual(behaviors.find((b) => b.PathPattern === path)?.OriginRequestPolicyId, {
        Ref: policyId,
      });
    assert.equal(
      behaviors.find((b) => b.PathPattern === '/v1/*')?.OriginRequestPolicyId,
      ALL_VIEWER_EXCEPT_HOST,
    );
    const headers = (policy.Properties.OriginRequestPolicyConfig as { HeadersConfig: { Headers: string[] } })
      .HeadersConfig.Headers;
    assert.ok(headers.includes('CloudFront-Viewer-Address'));
    assert.ok(!headers.some((h) => h.toLowerCase() === 'host'));
    assert.ok(headers.length <= 10, 'CloudFront allows 10 headers in a policy');
  });

  it('serves the app’s files compressed (gzip and brotli: a cache policy keying on both)', () => {
    for (const s of [withDomain, withoutDomain]) {
      const site = distribution(s).DefaultCacheBehavior;
      assert.equal(site.Compress, true);
      assert.equal(site.CachePolicyId, CACHING_OPTIMIZED);
    }
  });

  it('imports the edge stack’s web ACL by its export name, deployed after it', () => {
    assert.equal(withoutDomain.edgeStackName, 'TendrilEdge');
    assert.ok(withoutDomain.mainDependencies.includes('TendrilEdge'));
    const output = withoutDomain.edge.Outputs?.WebAclArn;
    const [aclId] = onlyOf(withoutDomain.edge, 'AWS::WAFv2::WebACL');
    assert.deepEqual(output?.Value, { 'Fn::GetAtt': [aclId, 'Arn'] });
    assert.deepEqual(distribution(withoutDomain).WebACLId, { 'Fn::ImportValue': output?.Export?.Name });
  });
});

describe('both', () => {
  it('send the origin secret CloudFront adds to the API as the stage variable the functions compare it with', () => {
    for (const s of [withDomain, withoutDomain]) {
      const header = apiOrigin(s).OriginCustomHeaders?.find((h) => h.HeaderName === ORIGIN_SECRET_HEADER);
      assert.ok(header, 'the origin secret header');
      assert.match(text(header.HeaderValue), /resolve:secretsmanager:/);
      const [, stage] = onlyOf(s.main, 'AWS::ApiGatewayV2::Stage');
      const variables = stage.Properties.StageVariables as Record<string, unknown>;
      assert.deepEqual(variables[ORIGIN_SECRET_STAGE_VARIABLE], header.HeaderValue);
    }
  });

  it('guard the distribution with a CLOUDFRONT web ACL: per-IP rate limits on /f/ and /u/, managed rules', () => {
    for (const s of [withDomain, withoutDomain]) {
      const [, acl] = onlyOf(s.edge, 'AWS::WAFv2::WebACL');
      assert.equal(acl.Properties.Scope, 'CLOUDFRONT');
      assert.deepEqual(acl.Properties.DefaultAction, { Allow: {} });
      type Rule = { Name: string; Action?: unknown; Statement: Record<string, Record<string, unknown>> };
      const rules = acl.Properties.Rules as Rule[];
      for (const limit of PUBLIC_RATE_LIMITS) {
        const rule = rules.find((r) => r.Name === `RateLimit${limit.name}`);
        assert.ok(rule, limit.name);
        assert.deepEqual(rule.Action, { Block: {} });
        const rate = rule.Statement.RateBasedStatement as Record<string, unknown>;
        assert.equal(rate.AggregateKeyType, 'IP');
        assert.equal(rate.Limit, limit.limit);
        assert.equal(rate.EvaluationWindowSec, 'windowSeconds' in limit ? limit.windowSeconds : 300);
        assert.deepEqual(rate.ScopeDownStatement, {
          ByteMatchStatement: {
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: 'STARTS_WITH',
            SearchString: limit.path,
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        });
      }
      // Every public route's path has a rate rule (the tracking hits also one of their own).
      const prefixes = new Set(PUBLIC_RATE_LIMITS.map((l) => `/${l.path.split('/')[1]}`));
      assert.deepEqual([...prefixes].sort(), publicPrefixes());
      const hits = PUBLIC_RATE_LIMITS.find((l) => l.path === '/t/collect');
      assert.deepEqual(
        hits && { limit: hits.limit, seconds: 'windowSeconds' in hits ? hits.windowSeconds : 300 },
        { limit: HITS_PER_IP_PER_MINUTE, seconds: 60 },
        'the collect endpoint’s per-address limit, across its instances',
      );
      assert.deepEqual(publicPrefixes(), ['/csat', '/f', '/help', '/m', '/t', '/u']);
      for (const group of MANAGED_RULE_GROUPS)
        assert.ok(
          rules.some((r) => text(r.Statement).includes(`"Name":"${group.name}"`)),
          group.name,
        );
      // The core rule set would refuse CSV imports and email templates posted to the admin API.
      const core = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
      assert.match(text(core?.Statement), /"NotStatement".*"SearchString":"\/v1\/"/);
    }
  });

  it('pass cdk-nag in every stack, the web ACL and the domain’s certificate acknowledged no more', () => {
    for (const s of [withDomain, withoutDomain]) {
      assert.equal(s.nag.conclusion, 'success');
      assert.deepEqual(s.nag.violations, []);
      const suppressed = s.nag.suppressedViolations.map((v) => v.ruleName);
      assert.ok(!suppressed.includes('AwsSolutions-CFR2'), 'no WAF acknowledgement');
    }
    assert.ok(!withDomain.nag.suppressedViolations.some((v) => v.ruleName === 'AwsSolutions-CFR4'));
  });

  it('empty the admin site bucket on cdk destroy', () => {
    for (const s of [withDomain, withoutDomain]) {
      const [, cleaner] = onlyOf(s.main, 'Custom::S3AutoDeleteObjects');
      assert.deepEqual(cleaner.Properties.BucketName, { Ref: 'AdminSiteBucket973138B1' });
      const bucket = s.main.Resources.AdminSiteBucket973138B1 as Resource & { DeletionPolicy?: string };
      assert.equal(bucket.DeletionPolicy, 'Delete');
    }
  });
});

describe('the SES tracking domain', () => {
  it('puts open and click links on the sender’s own domain over HTTPS, when one is given', () => {
    const tracking = (s: Synthesized) =>
      onlyOf(s.main, 'AWS::SES::ConfigurationSet')[1].Properties.TrackingOptions as unknown;
    assert.deepEqual(tracking(withDomain), {
      CustomRedirectDomain: 'track.example.com',
      HttpsPolicy: 'REQUIRE',
    });
    assert.equal(tracking(withoutDomain), undefined);
    assert.throws(
      () => trackingDomain(new App({ context: { trackingDomain: 'https://x' } }).node),
      /host name/,
    );
  });
});

describe('domain context values', () => {
  const options = (context: Record<string, string>, region?: string) =>
    domainOptions(new App({ context }).node, region);

  it('default the API certificate to CloudFront’s (a stack in us-east-1)', () => {
    assert.deepEqual(options({ domain: 'CRM.example.com', certificateArn: EDGE_CERT }, 'us-east-1'), {
      name: DOMAIN,
      certificateArn: EDGE_CERT,
      apiCertificateArn: EDGE_CERT,
    });
    assert.equal(options({}), undefined);
  });

  it('refuse what could not deploy', () => {
    assert.throws(() => options({ domain: DOMAIN }), /certificateArn/);
    assert.throws(() => options({ certificateArn: EDGE_CERT }), /need -c domain/);
    assert.throws(() => options({ domain: 'not a host', certificateArn: EDGE_CERT }), /host name/);
    assert.throws(() => options({ domain: DOMAIN, certificateArn: API_CERT }), /us-east-1/);
    assert.throws(
      () => options({ domain: DOMAIN, certificateArn: EDGE_CERT }, 'eu-west-1'),
      /apiCertificateArn/,
    );
    assert.throws(() => options({ domain: DOMAIN, certificateArn: 'arn:aws:s3:::bucket' }), /not an ACM/);
  });
});
