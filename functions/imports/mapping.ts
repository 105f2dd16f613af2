/**
 * Column mapping: which property, custom field or tag list each column of a file fills. A mapping is
 * guessed from the header ("Phone Number" → phone, "E-mail" → email, a column named like a custom
 * field → that field) and corrected by the user; an unknown column is ignored, never a reason to
 * refuse the file. Each row is then turned into a contact input, or into the reasons it is refused.
 */
import { coerceValue } from '#contacts/field-definitions.js';
import {
  contactPropertyValue,
  type FieldDefinition,
  type FieldValue,
  TIME_ZONE_RULE,
} from '#contacts/model.js';
import type { NewContact } from '#contacts/rules.js';
import { invalid } from '#platform/errors.js';
import {
  emailSchema,
  fieldKeySchema,
  MAX_CUSTOM_FIELDS,
  MAX_TAGS_PER_REQUEST,
  tagSchema,
  unaccented,
} from '#platform/values.js';
import type { ColumnTarget } from './model.js';

/** Header spellings of each standard column, compared without case, spaces or punctuation. */
const SYNONYMS: Record<string, ColumnTarget> = {};
const spell = (target: ColumnTarget, ...names: string[]) => {
  for (const n of names) SYNONYMS[n] = target;
};
spell({ kind: 'email' }, 'email', 'emailaddress', 'mail', 'emailid', 'primaryemail', 'workemail');
spell({ kind: 'property', name: 'firstName' }, 'firstname', 'first', 'givenname', 'fname', 'forename');
spell({ kind: 'property', name: 'lastName' }, 'lastname', 'last', 'surname', 'familyname', 'lname');
spell(
  { kind: 'property', name: 'phone' },
  'phone',
  'phonenumber',
  'telephone',
  'tel',
  'mobile',
  'mobilephone',
  'mobilenumber',
  'cell',
  'cellphone',
);
spell(
  { kind: 'property', name: 'company' },
  'company',
  'companyname',
  'organization',
  'organisation',
  'org',
  'employer',
  'account',
);
spell({ kind: 'property', name: 'source' }, 'source', 'leadsource');
spell({ kind: 'property', name: 'owner' }, 'owner', 'contactowner', 'leadowner', 'accountowner', 'salesrep');
spell({ kind: 'property', name: 'timeZone' }, 'timezone', 'tz', 'tzname', 'ianatimezone');
// Spreadsheets exported in German, French and Spanish.
spell({ kind: 'email' }, 'emailadresse', 'courriel', 'correo', 'correoelectronico');
spell({ kind: 'property', name: 'firstName' }, 'vorname', 'prenom', 'nombre');
spell({ kind: 'property', name: 'lastName' }, 'nachname', 'familienname', 'nom', 'apellido', 'apellidos');
spell({ kind: 'property', name: 'phone' }, 'telefon', 'telefonnummer', 'handy', 'telefono', 'movil');
spell({ kind: 'property', name: 'company' }, 'firma', 'unternehmen', 'societe', 'entreprise', 'empresa');
spell({ kind: 'property', name: 'timeZone' }, 'zeitzone', 'fuseauhoraire', 'zonahoraria', 'husohorario');
spell({ kind: 'tags' }, 'tags', 'tag', 'labels', 'lists');
// Columns an export writes that Tendril sets itself: ignored, so an export re-imports.
spell({ kind: 'ignore' }, 'id', 'createdat', 'updatedat', 'unsubscribedat');

/** Without case, accents, spaces or punctuation: "Prénom" is "prenom". */
const squash = (header: string) =>
  unaccented(header)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The mapping Tendril proposes for a header row: synonyms, then custom fields by name or label. */
export function guessMapping(header: string[], definitions: FieldDefinition[]): ColumnTarget[] {
  const used = new Set<string>();
  return header.map((raw): ColumnTarget => {
    const name = raw.trim();
    const key = squash(name);
    const known = Object.hasOwn(SYNONYMS, key) ? SYNONYMS[key] : undefined;
    const byDefinition = definitions.find((d) => squash(d.name) === key || squash(d.label) === key);
    const target: ColumnTarget | undefined =
      known ??
      (byDefinition
        ? { kind: 'field', name: byDefinition.name }
        : fieldKeySchema.safeParse(name).success
          ? { kind: 'field', name }
          : undefined);
    if (!target || target.kind === 'ignore') return { kind: 'ignore' };
    // Each target once: a second "Email" column is ignored rather than fighting the first.
    const id =
      target.kind === 'property' || target.kind === 'field' ? `${target.kind}:${target.name}` : target.kind;
    if (used.has(id)) return { kind: 'ignore' };
    used.add(id);
    return target;
  });
}

/** Refuses a mapping that does not fit the file: wrong length, no email column, a target twice, a bad field name. */
export function checkMapping(mapping: ColumnTarget[], columns: number): void {
  const problems: Array<{ path: string; message: string }> = [];
  if (mapping.length !== columns)
    problems.push({
      path: 'mapping',
      message: `has ${mapping.length} entries; the file has ${columns} columns`,
    });
  const seen = new Map<string, number>();
  mapping.forEach((t, i) => {
    if (t.kind === 'field' && !fieldKeySchema.safeParse(t.name).success)
      problems.push({
        path: `mapping.${i}.name`,
        message: `${JSON.stringify(t.name)} is not a valid field name`,
      });
    if (t.kind === 'ignore') return;
    const id = t.kind === 'property' || t.kind === 'field' ? `${t.kind}:${t.name}` : t.kind;
    const first = seen.get(id);
    if (first !== undefined)
      problems.push({ path: `mapping.${i}`, message: `column ${first + 1} is already mapped to ${id}` });
    else seen.set(id, i);
  });
  if (!mapping.some((t) => t.kind === 'email'))
    problems.push({ path: 'mapping', message: 'one column must be mapped to email' });
  if (mapping.filter((t) => t.kind === 'field').length > MAX_CUSTOM_FIELDS)
    problems.push({ path: 'mapping', message: `at most ${MAX_CUSTOM_FIELDS} custom fields` });
  if (problems.length > 0)
    throw invalid('invalid_mapping', 'the column mapping does not fit the file', problems);
}

const LIMITS = {
  firstName: 200,
  lastName: 200,
  phone: 32,
  company: 200,
  source: 200,
  timeZone: 64,
  owner: 200,
} as const;

export type RowResult = { input: NewContact } | { email?: string; reasons: string[] };

/** One row through the mapping: a contact input (values trimmed, typed fields converted) or its reasons. */
export function mapRow(
  cells: string[],
  mapping: ColumnTarget[],
  definitions: Map<string, FieldDefinition>,
  extraTags: string[],
): RowResult {
  const reasons: string[] = [];
  if (cells.length !== mapping.length)
    return { reasons: [`has ${cells.length} cells; the header has ${mapping.length}`] };
  const input: NewContact = { email: '' };
  const fields: Record<string, FieldValue> = {};
  const tags = new Set<string>(extraTags);
  let rawEmail: string | undefined;
  mapping.forEach((target, i) => {
    const value = (cells[i] ?? '').trim();
    if (value === '' || target.kind === 'ignore') return;
    switch (target.kind) {
      case 'email': {
        rawEmail = value;
        const parsed = emailSchema.safeParse(value);
        if (parsed.success) input.email = parsed.data;
        else reasons.push(`email: ${JSON.stringify(value)} is not a valid email address`);
        break;
      }
      case 'property': {
        // A time zone is stored in its canonical spelling; one that is none refuses its row.
        const stored = contactPropertyValue(target.name, value);
        if (target.name === 'timeZone' && stored === undefined)
          reasons.push(`timeZone: ${JSON.stringify(value)} ${TIME_ZONE_RULE}`);
        else if (value.length > LIMITS[target.name])
          reasons.push(`${target.name}: longer than ${LIMITS[target.name]} characters`);
        else input[target.name] = stored ?? value;
        break;
      }
      case 'tags':
        for (const raw of value.split(';')) {
          if (raw.trim() === '') continue;
          const tag = tagSchema.safeParse(raw);
          if (tag.success) tags.add(tag.data);
          else
            reasons.push(
              `tags: ${JSON.stringify(raw.trim())} ${tag.error.issues[0]?.message ?? 'is not a tag'}`,
            );
        }
        break;
      case 'field': {
        const def = definitions.get(target.name);
        if (!def) {
          if (value.length > 2000) reasons.push(`${target.name}: longer than 2000 characters`);
          else fields[target.name] = value;
          break;
        }
        const coerced = coerceValue(def, value);
        if ('problem' in coerced) reasons.push(`${target.name}: ${coerced.problem}`);
        else fields[target.name] = coerced.value;
        break;
      }
    }
  });
  if (rawEmail === undefined) reasons.push('email: missing');
  if (tags.size > MAX_TAGS_PER_REQUEST) reasons.push(`tags: at most ${MAX_TAGS_PER_REQUEST}`);
  if (reasons.length > 0) return { ...(rawEmail ? { email: rawEmail } : {}), reasons };
  if (Object.keys(fields).length > 0) input.fields = fields;
  if (tags.size > 0) input.tags = [...tags].sort();
  return { input };
}
