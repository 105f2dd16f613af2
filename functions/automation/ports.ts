/** Step Functions, as the workflow code needs it (automation/sfn-engine.ts in the cloud and locally). */
export interface WorkflowEngine {
  /** ARN of the Lambda every Task state invokes. */
  readonly stepFunctionArn: string;
  /** Creates or updates the workflow's state machine and publishes a version; returns the version ARN. */
  publish(workflowId: string, version: number, asl: object): Promise<string>;
  /** Starts an execution; starting the same name with the same input again is a no-op. */
  start(stateMachineVersionArn: string, name: string, input: object): Promise<void>;
}
