/**
 * Appointments' storage port: meeting types (by id, and by their page's slug), appointments (by id,
 * and a contact's), and the owner's calendar blocks a booking claims.
 */
import type { ContactsReads, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { CrmTask } from '#sales/model.js';
import type { SalesWrite } from '#sales/store.js';
import type { Appointment, MeetingType } from './model.js';

export type AppointmentsWrite =
  | ContactsWrite
  /** The owner's task for the meeting. */
  | Extract<SalesWrite, { kind: 'putTask' }>
  /**
   * A meeting type, created (`expectedVersion` absent) or replacing that version, with its slug's
   * reference: claimed (a conflict, part `slug`, when another type has it), and the old one released
   * when the slug changed.
   */
  | { kind: 'putMeetingType'; type: MeetingType; expectedVersion?: number; previousSlug?: string }
  | { kind: 'deleteMeetingType'; type: MeetingType }
  /**
   * A new appointment and its calendar blocks: a conflict, part `slot`, when any block is held
   * (another booking took the time); part `appointment` when the id exists.
   */
  | { kind: 'bookAppointment'; appointment: Appointment }
  /**
   * The appointment as it now is, replacing `expectedVersion`; the blocks it no longer holds released
   * and the ones it newly holds claimed (part `slot` when one is held by another).
   */
  | {
      kind: 'updateAppointment';
      appointment: Appointment;
      expectedVersion: number;
      previousBlocks: string[];
    };

export interface AppointmentsReads {
  getMeetingType(id: string): Promise<MeetingType | undefined>;
  getMeetingTypeBySlug(slug: string): Promise<MeetingType | undefined>;
  /** Meeting types, newest first. */
  listMeetingTypes(options: ListOptions): Promise<Page<MeetingType>>;
  getAppointment(id: string): Promise<Appointment | undefined>;
  /** A contact's appointments, newest booked first. */
  listContactAppointments(contactId: string, options: ListOptions): Promise<Page<Appointment>>;
  /**
   * Counts one more request in a fixed window kept in one item: false when the window already holds
   * `limit` (nothing is written then).
   */
  takeRateSlot(key: string, limit: number, windowEnd: Date): Promise<boolean>;
  /** The owner's task for a meeting. */
  getTask(id: string): Promise<CrmTask | undefined>;
  /** The start instants (ISO) of the owner's held blocks from `from` to `to`. */
  busyBlocks(ownerEmail: string, from: Date, to: Date): Promise<Set<string>>;
}

export type AppointmentsStore = AppointmentsReads & ContactsReads & Commit<AppointmentsWrite>;
export type AppointmentsDeps = Deps<AppointmentsStore>;
