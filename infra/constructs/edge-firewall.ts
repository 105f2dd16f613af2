/**
 * The web ACL in front of CloudFront (scope CLOUDFRONT: it must be created in us-east-1).
 *
 * - Rate-based rules per viewer IP over 5 minutes on the public routes, which anyone on the Internet
 *   can call: hosted forms (`/f/`: a submission is a page, a token and a post), booking pages
 *   (`/m/`), unsubscribe (`/u/`), the site tracking snippet and its hits (`/t/`), the help centre
 *   (`/help`) and CSAT rating pages (`/csat/`); and per minute on the tracking hits (`/t/collect`),
 *   the collect endpoint's per-address limit (its Lambda instances count only their own hits).
 *   WAF on CloudFront sees the viewer's own address, so they aggregate by IP (no forwarded-IP config).
 * - AWS managed rules: the Amazon IP reputation list and known bad inputs everywhere; the core rule
 *   set everywhere but the admin API (`/v1/`): its body-size rule (8 KB) would refuse a CSV import
 *   posted to `/v1/contacts/import` and an email template, and its cross-site-scripting rules the
 *   HTML of every template. Admin routes need a Cognito JWT and have the stage's throttles.
 */
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * Requests one IP may make in 5 minutes (or `windowSeconds`), per public path, before WAF blocks it
 * (for the rest of the window).
 */
export const PUBLIC_RATE_LIMITS = [
  { name: 'PublicForms', path: '/f/', limit: 300 },
  { name: 'BookingPages', path: '/m/', limit: 300 },
  { name: 'Unsubscribe', path: '/u/', limit: 100 },
  // A page view and a few events per page: a busy office behind one address sends many.
  { name: 'SiteTracking', path: '/t/', limit: 3000 },
  // The collect endpoint's per-address limit across all its instances (each also counts its own
  // hits in memory): 300 hits a minute, as the endpoint allows.
  { name: 'SiteTrackingHits', path: '/t/collect', limit: 300, windowSeconds: 60 },
  // The help centre (`/help` and its pages): readers browse several articles, an office shares an address.
  { name: 'HelpCentre', path: '/help', limit: 1000 },
  // CSAT rating links and their comment form: a customer clicks a score or two and may comment.
  { name: 'CsatPages', path: '/csat/', limit: 100 },
] as const;
export const RATE_WINDOW_SECONDS = 300;

/** AWS managed rule groups, in evaluation order, and the paths they leave alone. */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList' },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet' },
  { name: 'AWSManagedRulesCommonRuleSet', exceptPath: '/v1/' },
] as const;

const startsWith = (path: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    searchString: path,
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      metricName: `${props.name}-${metricName}`,
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
    });
    const rateRules: CfnWebACL.RuleProperty[] = PUBLIC_RATE_LIMITS.map((r, i) => ({
      name: `RateLimit${r.name}`,
      priority: i,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit: r.limit,
          aggregateKeyType: 'IP',
          evaluationWindowSec: 'windowSeconds' in r ? r.windowSeconds : RATE_WINDOW_SECONDS,
          scopeDownStatement: startsWith(r.path),
        },
      },
      visibilityConfig: visibility(`RateLimit${r.name}`),
    }));
    const managedRules: CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((g, i) => ({
      name: g.name,
      priority: 10 + i,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: g.name,
          ...('exceptPath' in g
            ? { scopeDownStatement: { notStatement: { statement: startsWith(g.exceptPath) } } }
            : {}),
        },
      },
      visibilityConfig: visibility(g.name),
    }));
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Tendril: rate limits on public forms and unsubscribe, AWS managed rules',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules: [...rateRules, ...managedRules],
      visibilityConfig: visibility('WebAcl'),
    });
  }
}
