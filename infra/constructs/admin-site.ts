/**
 * The admin UI in the cloud: web/dist in a private S3 bucket, served by CloudFront through origin
 * access control, with the API's paths (/v1, /f, /u) routed to the HTTP API on the same origin (no
 * CORS needed). A `config.json` beside the app tells it to sign in with Cognito's managed login.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

const ack = (scope: Construct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export interface AdminSiteProps {
  api: HttpApi;
  /** Path prefixes served by the API rather than the bucket. */
  apiPaths: string[];
  /** The built app (web/dist). */
  assetDir: string;
}

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
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const region = Stack.of(this).region;
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${region}.${Stack.of(this).urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });
    const apiBehavior = {
      origin: apiOrigin,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tendril admin UI and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: Object.fromEntries(props.apiPaths.map((p) => [`${p}/*`, apiBehavior])),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    ack(
      this.distribution,
      'AwsSolutions-CFR1',
      'A CRM admin and its public forms serve every country; no geo restriction is wanted.',
    );
    ack(
      this.distribution,
      'AwsSolutions-CFR2',
      'Admin routes require a Cognito JWT and the stage throttles; a WAF web ACL is an account-level choice added per deployment.',
    );
    ack(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default CloudFront certificate (*.cloudfront.net) is used until a custom domain is configured; viewers are redirected to HTTPS.',
    );
    this.url = `https://${this.distribution.distributionDomainName}`;
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
