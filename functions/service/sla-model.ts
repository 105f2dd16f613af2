/**
 * Service level agreements: the workspace's business hours (time zone, weekly hours, holidays), the
 * first-response and resolution targets of each priority in business minutes, and what a breach does
 * (raise the priority, reassign, notify). One zod schema per record; the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { WEEKDAYS } from '#appointments/model.js';
import { emailSchema, shortText } from '#platform/values.js';
import { CASE_PRIORITIES, type CasePriority } from './model.js';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = () => z.int().check(z.gte(1), z.lte(100_000));

export const BusinessHoursSchema = z.lazy(() =>
  z
    .strictObject({
      day: z.enum(WEEKDAYS),
      start: z.string().check(z.regex(TIME, 'must be a time such as 09:00')),
      end: z.string().check(z.regex(TIME, 'must be a time such as 17:30')),
    })
    .check(z.meta({ id: 'BusinessHours' })),
);
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const SlaPolicySchema = z.lazy(() =>
  z
    .strictObject({
      /** Business minutes from the case's opening to the first agent reply. */
      firstResponseMinutes: minutes(),
      /** Business minutes from its opening to its resolution (waiting on the customer does not count). */
      resolutionMinutes: minutes(),
    })
    .check(z.meta({ id: 'SlaPolicy' })),
);
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

const escalation = () =>
  z.strictObject({
    /** A breach raises the case's priority one step (low → normal → high → urgent). */
    raisePriority: z.boolean(),
    /** A breach assigns the case to this agent: a user's id (a user's email is taken as them). */
    assignTo: z.optional(shortText(200)),
    /** A breach is emailed to this address (a team lead), and to the assignee (a user's address). */
    notify: z.optional(emailSchema),
  });

const settingsFields = () => ({
  timeZone: shortText(64),
  /** The weekly business hours; none: every hour counts (24/7). */
  businessHours: z.array(BusinessHoursSchema).check(z.maxLength(28)),
  /** Dates (`2026-12-25`) on which no hour counts. */
  holidays: z
    .array(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-25')))
    .check(z.maxLength(100)),
  policies: z.strictObject({
    low: SlaPolicySchema,
    normal: SlaPolicySchema,
    high: SlaPolicySchema,
    urgent: SlaPolicySchema,
  }),
  escalation: escalation(),
});

export const ServiceSettingsSchema = z.lazy(() =>
  z
    .object({ ...settingsFields(), version: z.int(), updatedAt: z.optional(z.string()) })
    .check(z.meta({ id: 'ServiceSettings' })),
);
export type ServiceSettings = z.infer<typeof ServiceSettingsSchema>;

export const ServiceSettingsInputSchema = z.lazy(() =>
  z.strictObject({ ...settingsFields(), expectedVersion: z.optional(z.int().check(z.gte(0))) }),
);
export type ServiceSettingsInput = z.infer<typeof ServiceSettingsInputSchema>;

const weekdays = (start: string, end: string): BusinessHours[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start, end }));

/** Until saved: Monday to Friday 9–17 UTC; urgent 1 h / 8 h, high 4 h / 2 days, normal 1 / 5 days, low 2 / 10 days. */
export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  timeZone: 'UTC',
  businessHours: weekdays('09:00', '17:00'),
  holidays: [],
  policies: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    high: { firstResponseMinutes: 240, resolutionMinutes: 960 },
    normal: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
    low: { firstResponseMinutes: 960, resolutionMinutes: 4800 },
  },
  escalation: { raisePriority: true },
  version: 0,
};

/** One step up (urgent stays urgent). */
export const raised = (p: CasePriority): CasePriority =>
  CASE_PRIORITIES[Math.min(CASE_PRIORITIES.length - 1, CASE_PRIORITIES.indexOf(p) + 1)] ?? p;
