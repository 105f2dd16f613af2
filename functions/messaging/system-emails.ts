/**
 * The emails Tendril writes itself (not from a marketer's template): the id each is counted under
 * where a template's id would be (send records, tags, EmailSent, the dashboard's email by template).
 */
export const SYSTEM_EMAILS = {
  caseReply: 'case-reply',
  caseSurvey: 'case-survey',
  caseSlaBreach: 'case-sla-breach',
  taskAssigned: 'task-assigned',
  taskDue: 'task-due',
  workflowNotifyOwner: 'workflow-notify-owner',
} as const;

export type SystemEmailId = (typeof SYSTEM_EMAILS)[keyof typeof SYSTEM_EMAILS];
