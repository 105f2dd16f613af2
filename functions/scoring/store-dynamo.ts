/**
 * Scoring's keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | the workspace's scoring settings | `SCORING` | `SETTINGS` |
 * | a contact's standing (points, stage) | `CONTACT#<contactId>` | `STANDING` |
 * | one change of its score (history) | `CONTACT#<contactId>` | `SCORE#<at>#<eventId>#<seq>` |
 * | an event already scored for it (expires) | `CONTACT#<contactId>` | `SCORED#<eventId>` |
 *
 * A standing with a stage is on GSI2 under `STAGE#<stage>`, sorted by when it entered it (the
 * contacts of a stage, newest first: `listStandingsInStage`); a new stage moves it there.
 *
 * Everything about a contact is in its partition, so erasure removes it with the contact.
 */
import { appointmentsReads } from '#appointments/store-dynamo.js';
import { captureReads } from '#capture/store-dynamo.js';
import { contactPartition, contactsReads } from '#contacts/store-dynamo.js';
import { messagingReads } from '#messaging/store-dynamo.js';
import { decode, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import { guardedPut, storeOf, type Translators, versionGuard } from '#platform/dynamo/unit-of-work.js';
import { DUPLICATE_GUARD_SECONDS } from '#platform/events.js';
import type { Emit } from '#platform/store.js';
import { salesReads } from '#sales/store-dynamo.js';
import { ScoreChangeSchema, ScoringSettingsSchema, StandingSchema } from './model.js';
import type { ScoringReads, ScoringStore, ScoringWrite } from './store.js';

export const scoringKeys = {
  settings: (): Key => ({ PK: 'SCORING', SK: 'SETTINGS' }),
  standing: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'STANDING' }),
  change: (contactId: string, at: string, eventId: string, seq: number): Key => ({
    PK: contactPartition(contactId),
    SK: `${CHANGE_PREFIX}${at}#${eventId}#${String(seq).padStart(3, '0')}`,
  }),
  scored: (contactId: string, eventId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `SCORED#${eventId}`,
  }),
};
const CHANGE_PREFIX = 'SCORE#';
const stagePartition = (stage: string) => `STAGE#${stage}`;
const stageIndex = (stage: string, since: string, contactId: string) => ({
  GSI2PK: stagePartition(stage),
  GSI2SK: `${since}#${contactId}`,
});

export const scoringTranslators: Translators<Exclude<ScoringWrite, Emit>> = {
  putScoringSettings: ({ settings, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...scoringKeys.settings(), ...stamp('ScoringSettings'), ...settings },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'version' })),
  putStanding: ({ standing, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...scoringKeys.standing(standing.contactId),
        ...stamp('Standing'),
        ...standing,
        ...(standing.stage
          ? stageIndex(standing.stage, standing.stageChangedAt ?? '', standing.contactId)
          : {}),
      },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'version' })),
  recordScoreChange: ({ contactId, change, eventId, seq }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...scoringKeys.change(contactId, change.at, eventId, seq),
            ...stamp('ScoreChange'),
            ...change,
          },
        },
      },
    },
  ],
  markScored: ({ contactId, eventId, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...scoringKeys.scored(contactId, eventId),
            ...stamp('Scored'),
            scoredAt: at,
            [TABLE_KEYS.ttlAttribute]: Math.floor(Date.parse(at) / 1000) + DUPLICATE_GUARD_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'duplicate',
    },
  ],
};

export function scoringReads(table: Table): ScoringReads {
  return {
    async getScoringSettings() {
      const item = await table.get(scoringKeys.settings());
      return item ? decode(ScoringSettingsSchema, item) : undefined;
    },
    async getStanding(contactId) {
      const item = await table.get(scoringKeys.standing(contactId));
      return item ? decode(StandingSchema, item) : undefined;
    },
    async getStandings(contactIds) {
      const items = await table.batchGet([...new Set(contactIds)].map((id) => scoringKeys.standing(id)));
      const standings = items.map((item) => decode(StandingSchema, item));
      return new Map(standings.map((s) => [s.contactId, s]));
    },
    listStandingsInStage: (stage, options) =>
      table.page({ index: 'GSI2', partition: stagePartition(stage) }, options, (item) =>
        decode(StandingSchema, item),
      ),
    async listScoreChanges(contactId, limit) {
      const page = await table.page(
        { partition: contactPartition(contactId), prefix: CHANGE_PREFIX },
        { limit },
        (item) => decode(ScoreChangeSchema, item),
      );
      return page.items;
    },
  };
}

export const scoringStore = (table: Table): ScoringStore =>
  storeOf<ScoringWrite>(scoringTranslators)(table, {
    ...contactsReads(table),
    ...salesReads(table),
    getTemplate: messagingReads(table).getTemplate,
    getForm: captureReads(table).getForm,
    getMeetingType: appointmentsReads(table).getMeetingType,
    ...scoringReads(table),
  });
