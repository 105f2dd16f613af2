/**
 * The one place that decides how a Tendril Lambda is built and run: Node 24 on arm64, an ESM bundle
 * made by esbuild (minified, tree-shaken, SDK v3 clients bundled in), X-Ray tracing and a log group
 * with a fixed retention.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { lambdaBundling } from '../bundling.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface TendrilFunctionProps {
  /** File name under functions/handlers, without extension. */
  handler: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

export class TendrilFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: TendrilFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      role,
      entry: `${root}functions/handlers/${props.handler}.ts`,
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `tendril-${props.handler}`,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBundling.target,
        minify: lambdaBundling.minify,
        sourceMap: true,
        sourcesContent: false,
        mainFields: [...lambdaBundling.mainFields],
        // Bundle the SDK v3 clients we use instead of relying on the runtime's copy.
        externalModules: [],
        banner: lambdaBundling.banner,
        esbuildArgs: {
          '--tree-shaking': String(lambdaBundling.treeShaking),
          '--alias': Object.entries(lambdaBundling.alias).map(([from, to]) => `${from}=${to}`),
        },
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource scope (AWS documents Resource "*").',
    });
  }
}
