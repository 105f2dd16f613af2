/** Domain model of the CRM core. Plain data; persistence and transport live elsewhere. */
export type FieldValue = string | number | boolean;
export type CustomFields = Record<string, FieldValue>;

export interface ConsentRecord {
  text: string;
  givenAt: string;
  sourceIp: string;
  formId: string;
}

export interface Contact {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  source?: string;
  fields: CustomFields;
  tags: string[];
  consent?: ConsentRecord;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Standard contact properties a form or an update may set (besides email). */
export const CONTACT_PROPERTIES = ['firstName', 'lastName', 'phone', 'company', 'source'] as const;
export type ContactProperty = (typeof CONTACT_PROPERTIES)[number];

export const MANUAL_ACTIVITY_TYPES = ['note', 'call', 'meeting', 'email', 'purchase'] as const;
export type ActivityType = (typeof MANUAL_ACTIVITY_TYPES)[number] | 'form_submitted';

export interface Activity {
  id: string;
  contactId: string;
  type: ActivityType;
  body?: string;
  amount?: number;
  currency?: string;
  occurredAt: string;
  recordedAt: string;
  data?: Record<string, unknown>;
}

export const FORM_FIELD_TYPES = ['email', 'text', 'tel', 'textarea', 'number', 'checkbox', 'hidden'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export interface FormField {
  name: string;
  label: string;
  type: FormFieldType;
  required: boolean;
}

export interface Form {
  id: string;
  name: string;
  fields: FormField[];
  tags: string[];
  redirectUrl?: string;
  allowedOrigins?: string[];
  consent?: { text: string; required: boolean };
  spam: { minFillSeconds: number; requireToken: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
