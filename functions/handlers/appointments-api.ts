import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import * as appointments from '#appointments/booking.js';
import * as changes from '#appointments/changes.js';
import * as meetingTypes from '#appointments/meeting-types.js';
import { appointmentRoutes as routes } from '#appointments/routes.js';
import { appointmentsStore } from '#appointments/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(appointmentsStore);

export const handler = httpHandler([
  operation(routes.createMeetingType, async ({ body }) => ({
    status: 201,
    body: await meetingTypes.createMeetingType(deps, body),
  })),
  operation(routes.listMeetingTypes, async ({ query }) => ({
    status: 200,
    body: await meetingTypes.listMeetingTypes(deps, query),
  })),
  operation(routes.getMeetingType, async ({ params }) => ({
    status: 200,
    body: await meetingTypes.getMeetingType(deps, params.id),
  })),
  operation(routes.updateMeetingType, async ({ params, body: { version, ...input } }) => ({
    status: 200,
    body: await meetingTypes.updateMeetingType(deps, params.id, input, version),
  })),
  operation(routes.deleteMeetingType, async ({ params }) => {
    await meetingTypes.deleteMeetingType(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.listContactAppointments, async ({ params, query }) => ({
    status: 200,
    body: await appointments.listContactAppointments(deps, params.id, query),
  })),
  operation(routes.closeAppointment, async ({ params, body }) => ({
    status: 200,
    body:
      body.status === 'cancelled'
        ? await changes.cancel(deps, scheduler, params.id, 'owner')
        : await changes.recordOutcome(deps, scheduler, params.id, body.status),
  })),
]);
