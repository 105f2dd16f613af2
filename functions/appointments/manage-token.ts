/**
 * The signed token of an appointment's reschedule and cancel links: the appointment id and its MAC.
 * It stays valid while the appointment exists (a reschedule keeps the id), so the links in every
 * email sent about it keep working; it grants nothing beyond that one appointment.
 */
import { ULID_PATTERN } from '#platform/ids.js';
import { mac, macMatches } from '#platform/signing.js';

const PURPOSE = 'appointment';

export const signManageToken = (secret: string, appointmentId: string) =>
  `${appointmentId}.${mac(secret, PURPOSE, appointmentId)}`;

/** The appointment id the token names, or undefined for a forged or cut token. */
export function verifyManageToken(secret: string, token: string): string | undefined {
  const [id, given, ...rest] = token.split('.');
  if (!id || !given || rest.length > 0 || !ULID_PATTERN.test(id)) return undefined;
  return macMatches(mac(secret, PURPOSE, id), given) ? id : undefined;
}

/** The public page an appointment's links lead to (reschedule, cancel, the invite). */
export const manageUrl = (publicUrl: string, secret: string, appointmentId: string) =>
  `${publicUrl}/m/a/${signManageToken(secret, appointmentId)}`;
