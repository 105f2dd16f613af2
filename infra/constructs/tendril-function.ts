/**
 * The one place that decides how a Tendril Lambda is built and run: Node 24 on arm64, an ESM bundle
 * made by esbuild (minified, tree-shaken, split into the handler and chunks loaded on demand, SDK v3
 * clients bundled in: infra/bundling.ts), X-Ray tracing and a log group with a fixed retention.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnFunction,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../functions/platform/manifest.js';
import { bundleHandlerSync, HANDLER } from '../bundling.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface TendrilFunctionProps {
  /** File name under functions/handlers, without extension (a function of the manifest). */
  handler: FunctionName;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

export class TendrilFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, props: TendrilFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [tracingPolicy(this)],
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new LambdaFunction(this, 'Function', {
      role,
      code: Code.fromAsset(join(root, 'functions'), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Built here with esbuild (infra/bundling.ts), never in a container.
          image: DockerImage.fromRegistry('local-esbuild-only'),
          // The bundling options are CDK's asset cache key: without the function's name in them every
          // function (same source directory, same options) would be given the first one's bundle.
          environment: { TENDRIL_FUNCTION: props.handler },
          local: {
            tryBundle(outputDir) {
              bundleHandlerSync(props.handler, outputDir);
              return true;
            },
          },
        },
      }),
      handler: HANDLER,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup,
      // Lambda's own lines (START, REPORT, errors) as JSON too, beside Powertools' JSON logs.
      loggingFormat: LoggingFormat.JSON,
      // Source maps ship beside the bundle but are not loaded at start (--enable-source-maps would
      // parse them at every cold start); set NODE_OPTIONS=--enable-source-maps to debug a function.
      environment: {
        POWERTOOLS_SERVICE_NAME: `tendril-${props.handler}`,
        ...props.environment,
      },
    });
    // Active tracing, its permissions from the shared policy (CDK's `tracing` would add them to
    // every role's own policy, each with its own Resource "*").
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
  }
}

/** One customer-managed policy, shared by every function's role: writing X-Ray traces. */
function tracingPolicy(scope: Construct): ManagedPolicy {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('FunctionTracing');
  if (existing) return existing as ManagedPolicy;
  const policy = new ManagedPolicy(stack, 'FunctionTracing', {
    description: "Lets Tendril's functions send X-Ray trace segments (active tracing).",
    statements: [
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource scope (AWS documents Resource "*").',
  });
  return policy;
}
