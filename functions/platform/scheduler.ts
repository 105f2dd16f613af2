/**
 * One-time schedules (EventBridge Scheduler `at()` in the cloud, local/scheduler.ts locally), as use
 * cases need them. What a schedule does when it fires is a ScheduledAction, the input of the
 * scheduled-action function.
 */
export type ScheduledAction =
  | { kind: 'followUp'; followUpId: string }
  | { kind: 'taskReminder'; taskId: string; dueAt: string }
  /** Tell a task's owner it was assigned to them (moot once reassigned; `plannedAt`: see appointmentEmail). */
  | { kind: 'taskAssigned'; taskId: string; owner: string; version: number; plannedAt: string }
  | { kind: 'campaignSend'; campaignId: string; at: string }
  /** An A/B campaign's test has run its time: its winner is chosen and sent to the rest. */
  | { kind: 'campaignWinner'; campaignId: string }
  /** A local-time campaign's wave (its contacts whose local send time is `at`) is sent. */
  | { kind: 'campaignWave'; campaignId: string; at: string }
  /**
   * A case's SLA target is due (moot if it was met, or its due time moved since), as set by the
   * case's `version` (absent on schedules made before it was recorded).
   */
  | {
      kind: 'caseSla';
      caseId: string;
      target: 'first_response' | 'resolution';
      dueAt: string;
      version?: number;
    }
  /** A dateReached workflow's day for a contact (moot if the date or the trigger changed since). */
  | { kind: 'workflowDate'; workflowId: string; contactId: string; at: string }
  /** An appointment's email, for the appointment as it was at `sequence` (a later change makes it moot). */
  | {
      kind: 'appointmentEmail';
      appointmentId: string;
      email: 'confirmation' | 'reminder' | 'cancellation';
      sequence: number;
      minutesBefore?: number;
      /** When the schedule was made (just before the commit that makes it due). */
      plannedAt?: string;
    };

export interface Scheduler {
  /** Creates a one-time schedule firing at `at`; creating an existing name again is a no-op. */
  scheduleOnce(name: string, at: Date, action: ScheduledAction): Promise<void>;
  /** Deletes a schedule; deleting a missing one is not an error. */
  cancel(name: string): Promise<void>;
}
