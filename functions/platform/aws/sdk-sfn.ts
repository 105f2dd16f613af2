/** The Step Functions client and commands Tendril uses, imported dynamically by the workflow engine. */
export {
  CreateStateMachineCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
