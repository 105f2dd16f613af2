/**
 * A stage's us-east-1 companion stack (`TendrilEdge[-<stage>]`): the CloudFront web ACL, which WAF
 * only accepts in us-east-1, whatever region the stage's main stack is in.
 *
 * How the main stack gets the ACL's ARN:
 * - main stack in us-east-1, or built without a region (env-agnostic, as the tests build it): an
 *   export of this stack (`TendrilEdge[-<stage>]-WebAclArn`) imported by name. An env-agnostic
 *   template deploys only to us-east-1 — but `cdk synth/deploy` always know the region (the CLI
 *   falls back to us-east-1), so what the CLI deploys is never env-agnostic.
 * - main stack in another region: CDK's cross-region references (`crossRegionReferences`: a writer
 *   here puts the ARN in an SSM parameter in the main stack's region, a reader there reads it).
 * Either way the main stack depends on this one: it is deployed first and destroyed last.
 */
import { CfnOutput, Fn, Stack, type StackProps, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeFirewall } from './constructs/edge-firewall.js';
import { EDGE_REGION } from './domain-options.js';

export class TendrilEdgeStack extends Stack {
  readonly firewall: EdgeFirewall;
  private readonly exportName: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    if (this.region !== EDGE_REGION) throw new Error(`${id} must be in ${EDGE_REGION}`);
    this.firewall = new EdgeFirewall(this, 'Firewall', { name: id });
    this.exportName = `${id}-WebAclArn`;
    new CfnOutput(this, 'WebAclArn', { value: this.firewall.webAcl.attrArn, exportName: this.exportName });
  }

  /** The web ACL's ARN as `consumer` can use it (see above); makes `consumer` depend on this stack. */
  webAclArnFor(consumer: Stack): string {
    consumer.addStackDependency(this, 'the CloudFront web ACL');
    if (Token.isUnresolved(consumer.region) || consumer.region === this.region)
      return Fn.importValue(this.exportName);
    return this.firewall.webAcl.attrArn;
  }
}

/** Whether a main stack in `region` reads the ACL through CDK's cross-region references. */
export const crossesRegions = (region: string | undefined): boolean =>
  region !== undefined && region !== EDGE_REGION;
