/**
 * The admin UI in the cloud: web/dist in a private S3 bucket, served by CloudFront through origin
 * access control, with the API's paths (/v1, /f, /u) routed to the HTTP API on the same origin (no
 * CORS needed). A `config.json` beside the app tells it to sign in with Cognito's managed login.
 *
 * The app's files are served compressed (gzip or brotli, as the viewer accepts; local/static-site.ts
 * does the same locally).
 *
 * The web ACL (TendrilEdge stack) guards the whole distribution. Every request for the API carries
 * the origin secret (a custom origin header) and the viewer's address (`CloudFront-Viewer-Address`),
 * from which form submissions take the client IP (platform/http/client-ip.ts).
 * - Without a domain: the default *.cloudfront.net name; CloudFront reaches the API at its
 *   execute-api host, so the Host header is not forwarded (API Gateway would refuse it): admin paths
 *   get every viewer header but Host; public paths the few headers their routes read, and the
 *   viewer's address.
 * - With a domain: its name and certificate; CloudFront reaches the API at its custom domain of the
 *   same name (execute-api is disabled), forwarding every viewer header (Host included, which selects
 *   the custom domain) and CloudFront's own; optionally the Route 53 alias records.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { DomainName, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  type IOriginRequestPolicy,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER } from '#platform/http/client-ip.js';

const ack = (scope: Construct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export interface AdminSiteProps {
  api: HttpApi;
  /** With a domain: the API's custom domain of the same name (CloudFront's origin for the API). */
  apiDomain?: DomainName | undefined;
  /** Path prefixes served by the API rather than the bucket: admin (JWT) and public ones. */
  apiPaths: {
    admin: string[];
    public: string[];
    /** Public pages at a prefix itself (`/help`), which `<prefix>/*` does not match. */
    exact?: string[];
  };
  /** The built app (web/dist). */
  assetDir: string;
  /** Sent to the API in the origin-secret header. */
  originSecret: string;
  /** The CloudFront web ACL (TendrilEdge stack). */
  webAclArn: string;
  domain?: { name: string; certificateArn: string; hostedZoneId?: string | undefined } | undefined;
}

/**
 * What the public routes (hosted forms, unsubscribe) read of a request, and the viewer's address:
 * an allow-list, as CloudFront can forward every viewer header but Host only without its own headers
 * (at most 10 names; Authorization cannot be listed, and no public route reads it).
 */
export const PUBLIC_ROUTE_HEADERS = [
  'Accept',
  'Content-Type',
  'Idempotency-Key',
  'Origin',
  'Referer',
  'User-Agent',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'CloudFront-Viewer-Address',
];

export class AdminSite extends Construct {
  readonly distribution: Distribution;
  readonly url: string;
  private readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AdminSiteProps) {
    super(scope, id);
    if (!existsSync(join(props.assetDir, 'index.html')))
      throw new Error(`the admin UI is not built (${props.assetDir}): run npm run build:web`);
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    ack(logs, 'AwsSolutions-S1', 'This is the access-log bucket of the site bucket and the distribution.');
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // `cdk destroy` empties it first (CDK's auto-delete custom resource): nothing in it but the build.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const apiOrigin = new HttpOrigin(
      props.apiDomain?.regionalDomainName ??
        `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
      {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret },
      },
    );
    const apiBehavior = (originRequestPolicy: IOriginRequestPolicy): BehaviorOptions => ({
      origin: apiOrigin,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    });
    const adminPolicy = props.apiDomain
      ? OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022
      : OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER;
    const publicPolicy = props.apiDomain
      ? OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022
      : new OriginRequestPolicy(this, 'PublicRequests', {
          comment: 'Tendril public routes: the headers they read and the viewer address, no Host',
          headerBehavior: OriginRequestHeaderBehavior.allowList(...PUBLIC_ROUTE_HEADERS),
          queryStringBehavior: OriginRequestQueryStringBehavior.all(),
          cookieBehavior: OriginRequestCookieBehavior.none(),
        });
    const behaviors = (paths: string[], policy: IOriginRequestPolicy) =>
      paths.map((p) => [`${p}/*`, apiBehavior(policy)] as const);
    const domain = props.domain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tendril admin UI and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        // The app's files go out gzip- or brotli-compressed, as the viewer accepts: CloudFront
        // compresses only with `compress` on and a cache policy keying on both encodings (this one).
        compress: true,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: Object.fromEntries([
        ...behaviors(props.apiPaths.admin, adminPolicy),
        ...behaviors(props.apiPaths.public, publicPolicy),
        ...(props.apiPaths.exact ?? []).map((p) => [p, apiBehavior(publicPolicy)] as const),
      ]),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
          }
        : {}),
    });
    ack(
      this.distribution,
      'AwsSolutions-CFR1',
      'A CRM admin and its public forms serve every country; no geo restriction is wanted.',
    );
    if (!domain)
      ack(
        this.distribution,
        'AwsSolutions-CFR4',
        'No custom domain configured (-c domain=…): the default CloudFront certificate (*.cloudfront.net) is used; viewers are redirected to HTTPS.',
      );
    if (domain?.hostedZoneId) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZoneId,
        zoneName: domain.name,
      });
      const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      new ARecord(this, 'AliasA', { zone, recordName: `${domain.name}.`, target });
      new AaaaRecord(this, 'AliasAaaa', { zone, recordName: `${domain.name}.`, target });
    }
    this.url = `https://${domain?.name ?? this.distribution.distributionDomainName}`;
  }

  /** Uploads the app and its config.json (after the Cognito client exists). */
  deploy(config: Record<string, unknown>, assetDir: string) {
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(assetDir), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
    // The deployment runs in CDK's own singleton Lambda (a custom resource at stack level).
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const reason =
        "CDK's BucketDeployment custom resource (runs only at deploy time): its managed execution role, runtime and S3 grants (copying from the CDK asset bucket into the site bucket) are set by CDK.";
      const stack = Stack.of(this);
      const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
      const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
      const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
      const findings = [
        'AwsSolutions-L1',
        'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
          (a) => `AwsSolutions::AwsSolutions-IAM5[Action::${a}]`,
        ),
        'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
      ];
      for (const id of findings) ack(child, id, reason);
    }
    return deployment;
  }
}
