/** The EventBridge Scheduler client and commands Tendril uses, imported dynamically by its adapter. */
export {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
