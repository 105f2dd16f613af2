/**
 * Appointments' keys and store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a meeting type | `MEETING_TYPES` | `TYPE#<id>` |
 * | its slug: one type per slug | `MEETING_SLUG#<slug>` | `SLUG` |
 * | an appointment, on its contact (erased with it) | `CONTACT#<contactId>` | `APPOINTMENT#<id>` |
 * | its reference by id (the signed links name only the id) | `APPOINTMENT#<id>` | `REF` |
 * | a visitor's posts to the booking pages in one minute | `RATE#booking:<hashed IP>:<minute>` | `RATE` |
 * | a block of the owner's calendar, held while it names an appointment (expires a day after) | `CALENDAR#<ownerEmail>` | `BLOCK#<instant>` |
 *
 * A booking puts every block its meeting and buffer cover on the condition that none is held, in the
 * transaction that writes the appointment: of two bookings that overlap anywhere, one commits.
 */

import type { ContactsWrite } from '#contacts/store.js';
import { contactPartition, contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, epochSeconds, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  storeOf,
  type Translators,
  versionedDelete,
} from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { salesReads, salesTranslators } from '#sales/store-dynamo.js';
import { type Appointment, AppointmentSchema, MeetingTypeSchema } from './model.js';
import type { AppointmentsReads, AppointmentsStore, AppointmentsWrite } from './store.js';

const BLOCK_KEPT_SECONDS = 86_400;

export const appointmentKeys = {
  meetingType: (id: string): Key => ({ PK: 'MEETING_TYPES', SK: `TYPE#${id}` }),
  slug: (slug: string): Key => ({ PK: `MEETING_SLUG#${slug}`, SK: 'SLUG' }),
  appointment: (a: Pick<Appointment, 'contactId' | 'id'>): Key => ({
    PK: contactPartition(a.contactId),
    SK: `APPOINTMENT#${a.id}`,
  }),
  ref: (id: string): Key => ({ PK: `APPOINTMENT#${id}`, SK: 'REF' }),
  rateWindow: (key: string): Key => ({ PK: `RATE#${key}`, SK: 'RATE' }),
  calendar: (ownerEmail: string) => `CALENDAR#${ownerEmail}`,
  block: (ownerEmail: string, instant: string): Key => ({
    PK: appointmentKeys.calendar(ownerEmail),
    SK: `BLOCK#${instant}`,
  }),
};

const claimBlock = (TableName: string, a: Appointment, instant: string): Part => ({
  item: {
    Put: {
      TableName,
      Item: {
        ...appointmentKeys.block(a.ownerEmail, instant),
        ...stamp('CalendarBlock'),
        appointmentId: a.id,
        [TABLE_KEYS.ttlAttribute]: epochSeconds(new Date(instant)) + BLOCK_KEPT_SECONDS,
      },
      // Free: never held, or given back.
      ConditionExpression: 'attribute_not_exists(appointmentId)',
    },
  },
  part: 'slot',
});

/**
 * A block given back: kept, without its appointment (an update, so the public booking function needs
 * no DeleteItem), and free to claim again. Only this appointment's own block: one that expired and
 * was taken since stays taken.
 */
const releaseBlock = (TableName: string, a: Appointment, instant: string): Part => ({
  item: {
    Update: {
      TableName,
      Key: appointmentKeys.block(a.ownerEmail, instant),
      UpdateExpression: 'SET #ttl = :ttl REMOVE appointmentId',
      ConditionExpression: 'attribute_not_exists(PK) OR appointmentId = :id',
      ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute },
      ExpressionAttributeValues: {
        ':id': a.id,
        ':ttl': epochSeconds(new Date(instant)) + BLOCK_KEPT_SECONDS,
      },
    },
  },
});

const appointmentItem = (a: Appointment) => ({
  ...appointmentKeys.appointment(a),
  ...stamp('Appointment'),
  ...a,
});

type OwnWrite = Exclude<AppointmentsWrite, Emit | ContactsWrite | { kind: 'putTask' }>;

export const appointmentTranslators: Translators<OwnWrite> = {
  putMeetingType: ({ type, expectedVersion, previousSlug }, TableName) => {
    const parts = guardedPut(
      TableName,
      { ...appointmentKeys.meetingType(type.id), ...stamp('MeetingType'), ...type },
      { attribute: 'version', expected: expectedVersion },
    );
    if (previousSlug === type.slug) return parts;
    parts.push({
      item: {
        Put: {
          TableName,
          Item: { ...appointmentKeys.slug(type.slug), ...stamp('MeetingSlug'), meetingTypeId: type.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'slug',
    });
    if (previousSlug !== undefined)
      parts.push({ item: { Delete: { TableName, Key: appointmentKeys.slug(previousSlug) } } });
    return parts;
  },
  deleteMeetingType: ({ type }, TableName) => [
    versionedDelete(TableName, appointmentKeys.meetingType(type.id), type.version),
    { item: { Delete: { TableName, Key: appointmentKeys.slug(type.slug) } } },
  ],
  bookAppointment: ({ appointment }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: appointmentItem(appointment),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'appointment',
    },
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...appointmentKeys.ref(appointment.id),
            ...stamp('AppointmentRef'),
            contactId: appointment.contactId,
          },
        },
      },
    },
    ...appointment.blocks.map((b) => claimBlock(TableName, appointment, b)),
  ],
  updateAppointment: ({ appointment, expectedVersion, previousBlocks }, TableName) => {
    const now = new Set(appointment.blocks);
    const before = new Set(previousBlocks);
    return [
      ...guardedPut(TableName, appointmentItem(appointment), {
        attribute: 'version',
        expected: expectedVersion,
      }),
      ...previousBlocks.filter((b) => !now.has(b)).map((b) => releaseBlock(TableName, appointment, b)),
      ...appointment.blocks.filter((b) => !before.has(b)).map((b) => claimBlock(TableName, appointment, b)),
    ];
  },
};

export function appointmentsReads(table: Table): AppointmentsReads {
  const getMeetingType = async (id: string) => {
    const item = await table.get(appointmentKeys.meetingType(id));
    return item ? decode(MeetingTypeSchema, item) : undefined;
  };
  return {
    getTask: (id) => salesReads(table).getTask(id),
    takeRateSlot: (key, limit, windowEnd) =>
      table.takeSlot(appointmentKeys.rateWindow(key), limit, windowEnd),
    getMeetingType,
    async getMeetingTypeBySlug(slug) {
      const ref = await table.get(appointmentKeys.slug(slug));
      return ref ? getMeetingType(String(ref.meetingTypeId)) : undefined;
    },
    listMeetingTypes: (options) =>
      table.page({ partition: 'MEETING_TYPES', prefix: 'TYPE#' }, options, (item) =>
        decode(MeetingTypeSchema, item),
      ),
    async getAppointment(id) {
      const ref = await table.get(appointmentKeys.ref(id));
      if (!ref) return undefined;
      const item = await table.get(appointmentKeys.appointment({ contactId: String(ref.contactId), id }));
      return item ? decode(AppointmentSchema, item) : undefined;
    },
    listContactAppointments: (contactId, options) =>
      table.page({ partition: contactPartition(contactId), prefix: 'APPOINTMENT#' }, options, (item) =>
        decode(AppointmentSchema, item),
      ),
    async busyBlocks(ownerEmail, from, to) {
      const items = await table.all({
        partition: appointmentKeys.calendar(ownerEmail),
        from: `BLOCK#${from.toISOString()}`,
        to: `BLOCK#${to.toISOString()}`,
        ascending: true,
      });
      return new Set(
        items
          .filter((item) => item.appointmentId !== undefined)
          .map((item) => String(item.SK).slice('BLOCK#'.length)),
      );
    },
  };
}

export const appointmentsStore = (table: Table): AppointmentsStore =>
  storeOf<AppointmentsWrite>({
    ...contactsTranslators,
    putTask: salesTranslators.putTask,
    ...appointmentTranslators,
  })(table, {
    ...contactsReads(table),
    ...appointmentsReads(table),
  });
