import type { CfnElement, CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Keeps a stateful resource's CloudFormation logical id when its construct moves: a new logical id
 * would make CloudFormation create a new table, user pool or bucket and drop the old one. The ids
 * are the ones the stack had before it was split into constructs (test/infra/stateful-logical-ids.json).
 */
export function pinLogicalId(construct: IConstruct, logicalId: string): void {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource | CfnElement;
  (resource as CfnElement).overrideLogicalId(logicalId);
}
