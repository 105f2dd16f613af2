/**
 * A deployment stage (`staging`, `prod`): the names two stages in one account must not share. No
 * stage is the stack as first deployed (`Tendril`), whose names stay as they were.
 */

/** A stage's name: lower-case letters and digits, starting with a letter, at most 12. */
export const STAGE_NAME = /^[a-z][a-z0-9]{0,11}$/;

export interface StageNames {
  stage: string | undefined;
  /** The CloudFormation stack. */
  stackName: string;
  /** Its us-east-1 companion stack (the CloudFront web ACL, which must live there). */
  edgeStackName: string;
  /** Workflow state machines (`<prefix><workflowId>`): IAM, the execution-events rule and publishing use it. */
  machinePrefix: string;
  /** The CloudWatch namespace of the business metrics (EMF) and their alarms. */
  metricsNamespace: string;
  /** The Cognito managed-login domain (unique in a region across all accounts, hence the account). */
  loginDomainPrefix: (account: string) => string;
}

export function stageNames(stage: string | undefined): StageNames {
  if (stage !== undefined && !STAGE_NAME.test(stage))
    throw new Error(`stage "${stage}": lower-case letters and digits, starting with a letter, at most 12`);
  if (stage === undefined)
    return {
      stage,
      stackName: 'Tendril',
      edgeStackName: 'TendrilEdge',
      machinePrefix: 'tendril-wf-',
      metricsNamespace: 'Tendril',
      loginDomainPrefix: (account) => `tendril-${account}`,
    };
  return {
    stage,
    stackName: `Tendril-${stage}`,
    edgeStackName: `TendrilEdge-${stage}`,
    machinePrefix: `tendril-${stage}-wf-`,
    metricsNamespace: `Tendril/${stage}`,
    loginDomainPrefix: (account) => `tendril-${stage}-${account}`,
  };
}

/** The machine prefix of a stack deployed without a stage (and of the local CRM). */
export const DEFAULT_MACHINE_PREFIX = stageNames(undefined).machinePrefix;
