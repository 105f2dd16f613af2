import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../contracts/events.js';
import { DomainError } from '../core/errors.js';
import { ulidLowerBound, ulidUpperBound } from '../core/ids.js';
import type {
  Activity,
  Contact,
  CrmTask,
  Deal,
  EmailSend,
  EmailTemplate,
  Enrollment,
  FollowUp,
  Form,
  Page,
  Pipeline,
  Segment,
  TriggeredWorkflow,
  Workflow,
  WorkflowVersion,
} from '../core/model.js';
import {
  type CandidateSource,
  CommitConflict,
  type Counter,
  type IdempotencyRecord,
  type ListOptions,
  type Store,
  type TaskQuery,
  type Write,
} from '../core/ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ENTITY, gsi1, gsi2, type Key, keys, TABLE_KEYS } from './keys.js';
import { translateSalesWrite } from './sales-writes.js';
import { translateWorkflowWrite } from './workflow-writes.js';

type Item = Record<string, unknown>;
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;
const MAX_TRANSACT_ITEMS = 100;
const CONTENTION_RETRIES = 8;

interface IndexQuery {
  index?: 'GSI1' | 'GSI2';
  partition: string;
  /** Sort-key bounds, inclusive. */
  from?: string;
  to?: string;
  /** Only sort keys below this one. */
  before?: string;
  ascending?: boolean;
}

/** The index range a segment candidate source reads. */
function candidateQuery(source: CandidateSource): IndexQuery {
  switch (source.index) {
    case 'tag':
      return { index: 'GSI1', partition: gsi1.partitions.contactsWithTag(source.tag) };
    case 'created':
      return {
        index: 'GSI1',
        partition: gsi1.partitions.allContacts,
        from: ulidLowerBound(source.after),
        to: ulidUpperBound(source.before),
      };
    case 'engaged':
      return { index: 'GSI1', partition: gsi1.partitions.contactsEngaged(source.type), from: source.since };
    case 'all':
      return { index: 'GSI1', partition: gsi1.partitions.allContacts };
  }
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);
const stripKeys = ({ PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, _type, ttl, ...rest }: Item) => rest;

function toContact(item: Item): Contact {
  const rest = stripKeys(item) as Omit<Contact, 'tags'> & { tags?: Set<string> };
  return { ...rest, fields: rest.fields ?? {}, tags: [...(rest.tags ?? [])].sort() };
}

function contactItem(contact: Contact): Item {
  const { tags, ...rest } = contact;
  return {
    ...keys.contact(contact.id),
    ...gsi1.allContacts(contact.id),
    _type: ENTITY.contact,
    ...rest,
    ...(tags.length > 0 ? { tags: new Set(tags) } : {}),
  };
}

/** DynamoDB implementation of the Store port. Each method is one named access pattern. */
export class DynamoStore implements Store {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The transaction items `commit` would send (also used by bulk loaders and benchmarks). */
  transactItems(writes: Write[]): TransactItem[] {
    return writes.flatMap((w) => this.translate(w).map(({ item }) => item));
  }

  async commit(writes: Write[]): Promise<void> {
    const owners: Array<{ write: Write; part: string }> = [];
    const items: TransactItem[] = [];
    for (const write of writes) {
      for (const { item, part } of this.translate(write)) {
        items.push(item);
        owners.push({ write, part });
      }
    }
    if (items.length > MAX_TRANSACT_ITEMS)
      throw new Error(`transaction of ${items.length} items exceeds the limit`);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (err) {
        const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
        if ((err as Error).name !== 'TransactionCanceledException' || !reasons) throw err;
        const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
        const owner = owners[failed];
        if (failed >= 0 && owner) throw new CommitConflict(owner.write, owner.part);
        if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= CONTENTION_RETRIES) {
          throw new DomainError(503, 'busy', 'the record is being changed by other requests; retry shortly');
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
      }
    }
  }

  private translate(write: Write): Array<{ item: TransactItem; part: string }> {
    const TableName = this.table;
    const one = (item: TransactItem, part: string = write.kind) => ({ item, part });
    switch (write.kind) {
      case 'createContact':
        return [
          one({
            Put: {
              TableName,
              Item: contactItem(write.contact),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
          one(
            {
              Put: {
                TableName,
                Item: {
                  ...keys.email(write.contact.email),
                  _type: ENTITY.email,
                  contactId: write.contact.id,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            'email',
          ),
        ];
      case 'replaceContact': {
        const { contact, expectedVersion, previousEmail } = write;
        const out = [
          one(
            {
              Put: {
                TableName,
                Item: contactItem(contact),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            'version',
          ),
        ];
        if (contact.email !== previousEmail) {
          out.push(
            one({ Delete: { TableName, Key: keys.email(previousEmail) } }, 'email'),
            one(
              {
                Put: {
                  TableName,
                  Item: { ...keys.email(contact.email), _type: ENTITY.email, contactId: contact.id },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              'email',
            ),
          );
        }
        return out;
      }
      case 'mergeContact':
        return [
          one({ Update: { TableName, Key: keys.contact(write.contactId), ...mergeExpression(write) } }),
        ];
      case 'addTag':
        return [
          one({
            Put: {
              TableName,
              Item: {
                ...keys.contactTag(write.contactId, write.tag),
                ...gsi1.contactsWithTag(write.tag, write.contactId),
                _type: ENTITY.contactTag,
                contactId: write.contactId,
                tag: write.tag,
                taggedAt: write.taggedAt,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
        ];
      case 'removeTag':
        return [
          one({
            Delete: {
              TableName,
              Key: keys.contactTag(write.contactId, write.tag),
              ConditionExpression: 'attribute_exists(PK)',
            },
          }),
          one({
            Update: {
              TableName,
              Key: keys.contact(write.contactId),
              UpdateExpression: 'DELETE #tags :tags SET #version = #version + :one, #updatedAt = :now',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#tags': 'tags', '#version': 'version', '#updatedAt': 'updatedAt' },
              ExpressionAttributeValues: {
                ':tags': new Set([write.tag]),
                ':one': 1,
                ':now': write.updatedAt,
              },
            },
          }),
        ];
      case 'putActivity': {
        const { activity } = write;
        const out = [
          one({
            Put: {
              TableName,
              Item: {
                ...keys.activity(activity.contactId, activity.occurredAt, activity.id),
                _type: ENTITY.activity,
                ...activity,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
        ];
        if (write.checkContact) {
          out.push(
            one({
              ConditionCheck: {
                TableName,
                Key: keys.contact(activity.contactId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            }),
          );
        }
        return out;
      }
      case 'putForm':
        return [
          one({
            Put: {
              TableName,
              Item: {
                ...keys.form(write.form.id),
                ...gsi1.allForms(write.form.id),
                _type: ENTITY.form,
                ...write.form,
              },
            },
          }),
        ];
      case 'putTemplate':
        return [
          one({
            Put: {
              TableName,
              Item: {
                ...keys.template(write.template.id),
                ...gsi1.allTemplates(write.template.id),
                _type: ENTITY.template,
                ...write.template,
              },
              ...(write.expectedVersion === undefined
                ? { ConditionExpression: 'attribute_not_exists(PK)' }
                : {
                    ConditionExpression: '#version = :expected',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': write.expectedVersion },
                  }),
            },
          }),
        ];
      case 'emit':
        return [one({ Put: { TableName, Item: outboxItem(write.event) } })];
      case 'claimIdempotency':
        return [
          one({
            Put: {
              TableName,
              Item: {
                ...keys.idempotency(write.key),
                _type: ENTITY.idempotency,
                record: write.record,
                expiresAt: epochSeconds(write.expiresAt),
                [TABLE_KEYS.ttlAttribute]: epochSeconds(write.expiresAt),
              },
              ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt <= :now',
              ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
              ExpressionAttributeValues: { ':now': epochSeconds(write.now) },
            },
          }),
        ];
      default:
        return (translateSalesWrite(TableName, write) ?? translateWorkflowWrite(TableName, write)).map(
          ({ item, part }) => one(item, part ?? write.kind),
        );
    }
  }

  private async get(key: Key): Promise<Item | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /** One item, without its key attributes. */
  private async getEntity<T>(key: Key): Promise<T | undefined> {
    const item = await this.get(key);
    return item ? (stripKeys(item) as unknown as T) : undefined;
  }

  /** One page of a GSI1 collection, newest first, without key attributes. */
  private async listGsi1<T>(partition: string, options: ListOptions): Promise<Page<T>> {
    const page = await this.queryGsi1(partition, options);
    return { ...page, items: page.items.map((i) => stripKeys(i) as unknown as T) };
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const item = await this.get(keys.contact(id));
    return item ? toContact(item) : undefined;
  }

  async findContactIdByEmail(email: string): Promise<string | undefined> {
    const item = await this.get(keys.email(email));
    return item?.contactId as string | undefined;
  }

  private async queryPage(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    options: ListOptions,
    expected: Parameters<typeof decodeCursor>[1],
  ): Promise<{ items: Item[]; nextCursor?: string }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...input,
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(options.cursor, expected),
      }),
    );
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items: out.Items ?? [], ...(nextCursor ? { nextCursor } : {}) };
  }

  /** One page of an index partition, optionally within sort-key bounds; newest (highest) first by default. */
  private queryIndex(q: IndexQuery, options: ListOptions) {
    const index = q.index ? TABLE_KEYS[q.index === 'GSI1' ? 'gsi1' : 'gsi2'] : undefined;
    const pk = index?.partitionKey ?? TABLE_KEYS.partitionKey;
    const sk = index?.sortKey ?? TABLE_KEYS.sortKey;
    const values: Record<string, string> = { ':pk': q.partition };
    let condition = '#pk = :pk';
    if (q.from !== undefined && q.to !== undefined) {
      condition += ' AND #sk BETWEEN :from AND :to';
      Object.assign(values, { ':from': q.from, ':to': q.to });
    } else if (q.from !== undefined) {
      condition += ' AND #sk >= :from';
      values[':from'] = q.from;
    } else if (q.before !== undefined) {
      condition += ' AND #sk < :before';
      values[':before'] = q.before;
    }
    const bounded = condition.includes('#sk');
    return this.queryPage(
      {
        ...(index ? { IndexName: index.name } : { ConsistentRead: true }),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: { '#pk': pk, ...(bounded ? { '#sk': sk } : {}) },
        ExpressionAttributeValues: values,
        ScanIndexForward: q.ascending ?? false,
      },
      options,
      {
        attributes: index ? ['PK', 'SK', pk, sk] : ['PK', 'SK'],
        partition: { name: pk, value: q.partition },
        sort: { name: sk, min: q.from, max: q.to ?? q.before },
      },
    );
  }

  private queryGsi1(partition: string, options: ListOptions) {
    return this.queryIndex({ index: 'GSI1', partition }, options);
  }

  async listContacts(options: ListOptions): Promise<Page<Contact>> {
    const page = await this.queryGsi1(gsi1.partitions.allContacts, options);
    return { ...page, items: page.items.map(toContact) };
  }

  async listContactsByTag(tag: string, options: ListOptions): Promise<Page<Contact>> {
    const page = await this.queryGsi1(gsi1.partitions.contactsWithTag(tag), options);
    const ids = page.items.map((i) => i.contactId as string);
    const contacts = await this.batchGetContacts(ids);
    // Tag items of a contact being erased may outlive its profile for a moment: skip those.
    const items = ids.flatMap((id) => contacts.get(id) ?? []);
    return { ...page, items };
  }

  private async batchGetContacts(ids: string[]): Promise<Map<string, Contact>> {
    const items = await this.batchGet(ids.map(keys.contact));
    return new Map(items.map((item) => [item.id as string, toContact(item)]));
  }

  /** Consistent BatchGetItem in chunks of 100, retrying unprocessed keys. */
  private async batchGet(keyList: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keyList.length; i += 100) {
      let pending: Key[] = keyList.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = (out.UnprocessedKeys?.[this.table]?.Keys as Key[] | undefined) ?? [];
      }
    }
    return found;
  }

  getContacts(ids: string[]): Promise<Map<string, Contact>> {
    return this.batchGetContacts([...new Set(ids)]);
  }

  async getEngagements(ids: string[], type: 'opened' | 'clicked'): Promise<Map<string, string>> {
    const items = await this.batchGet([...new Set(ids)].map((id) => keys.engagement(id, type)));
    return new Map(items.map((i) => [i.contactId as string, i.at as string]));
  }

  async getTask(id: string): Promise<CrmTask | undefined> {
    return this.getEntity<CrmTask>(keys.task(id));
  }

  async listTasks(query: TaskQuery): Promise<Page<CrmTask>> {
    const partition = query.owner
      ? ({ index: 'GSI2', partition: gsi2.partitions.tasksOfOwner(query.owner, query.status) } as const)
      : ({ index: 'GSI1', partition: gsi1.partitions.tasksByDue(query.status) } as const);
    // The sort key is `<dueAt>#<id>`: `< dueBefore` on it is exact for ISO-8601 UTC timestamps.
    const page = await this.queryIndex(
      { ...partition, ascending: true, ...(query.dueBefore ? { before: query.dueBefore } : {}) },
      query,
    );
    return this.stripPage<CrmTask>(page);
  }

  async getPipeline(id: string): Promise<Pipeline | undefined> {
    return this.getEntity<Pipeline>(keys.pipeline(id));
  }

  listPipelines(options: ListOptions): Promise<Page<Pipeline>> {
    return this.listGsi1<Pipeline>(gsi1.partitions.allPipelines, options);
  }

  async getDeal(id: string): Promise<Deal | undefined> {
    return this.getEntity<Deal>(keys.deal(id));
  }

  async listDealsOnBoard(pipelineId: string): Promise<Deal[]> {
    const deals: Deal[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.queryIndex(
        { index: 'GSI1', partition: gsi1.partitions.board(pipelineId), ascending: true },
        { limit: 500, cursor },
      );
      deals.push(...page.items.map((i) => stripKeys(i) as unknown as Deal));
      cursor = page.nextCursor;
    } while (cursor);
    return deals;
  }

  async getFollowUp(id: string): Promise<FollowUp | undefined> {
    return this.getEntity<FollowUp>(keys.followUp(id));
  }

  async listFollowUps(contactId: string, options: ListOptions): Promise<Page<FollowUp>> {
    return this.stripPage<FollowUp>(
      await this.queryIndex(
        { index: 'GSI1', partition: gsi1.partitions.followUpsOfContact(contactId), ascending: true },
        options,
      ),
    );
  }

  async getSegment(id: string): Promise<Segment | undefined> {
    return this.getEntity<Segment>(keys.segment(id));
  }

  listSegments(options: ListOptions): Promise<Page<Segment>> {
    return this.listGsi1<Segment>(gsi1.partitions.allSegments, options);
  }

  async listCandidates(source: CandidateSource, options: ListOptions) {
    const query = candidateQuery(source);
    const page = await this.queryIndex(query, options);
    const items = page.items.map((item) => ({
      contactId: (item.contactId ?? item.id) as string,
      cursor: encodeCursor({
        PK: item.PK,
        SK: item.SK,
        GSI1PK: item.GSI1PK,
        GSI1SK: item.GSI1SK,
      }) as string,
    }));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async getCounters(group: string, range?: { from: string; to: string }): Promise<Counter[]> {
    const out: Counter[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: range ? 'PK = :pk AND SK BETWEEN :from AND :to' : 'PK = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.counterPartition(group),
            ...(range ? { ':from': range.from, ':to': range.to } : {}),
          },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { SK, ...rest } = item;
        out.push({ bucket: SK as string, values: stripKeys(rest) as Record<string, number> });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  private stripPage<T>(page: { items: Item[]; nextCursor?: string }): Page<T> {
    return { ...page, items: page.items.map((i) => stripKeys(i) as unknown as T) };
  }

  async listActivities(contactId: string, options: ListOptions): Promise<Page<Activity>> {
    const partition = keys.contactPartition(contactId);
    const page = await this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.activityPrefix },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      options,
      { attributes: ['PK', 'SK'], partition: { name: 'PK', value: partition } },
    );
    return { ...page, items: page.items.map((i) => stripKeys(i) as unknown as Activity) };
  }

  async deleteContact(contact: Contact, events: DomainEvent[]): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: this.table,
              Key: keys.contact(contact.id),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          { Delete: { TableName: this.table, Key: keys.email(contact.email) } },
          ...events.map((e) => ({ Put: { TableName: this.table, Item: outboxItem(e) } })),
        ],
      }),
    );
    // Erase the rest of the contact's partition (tags, activities). Idempotent if interrupted and rerun.
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.contactPartition(contact.id) },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: cursor,
        }),
      );
      await this.batchDelete((out.Items ?? []) as Key[]);
      cursor = out.LastEvaluatedKey;
    } while (cursor);
  }

  private async batchDelete(keyList: Key[]): Promise<void> {
    for (let i = 0; i < keyList.length; i += 25) {
      let pending = keyList.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (out.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }

  async getForm(id: string): Promise<Form | undefined> {
    return this.getEntity<Form>(keys.form(id));
  }

  async listForms(options: ListOptions): Promise<Page<Form>> {
    return this.listGsi1<Form>(gsi1.partitions.allForms, options);
  }

  async getTemplate(id: string): Promise<EmailTemplate | undefined> {
    return this.getEntity<EmailTemplate>(keys.template(id));
  }

  async listTemplates(options: ListOptions): Promise<Page<EmailTemplate>> {
    return this.listGsi1<EmailTemplate>(gsi1.partitions.allTemplates, options);
  }

  async getWorkflow(id: string): Promise<Workflow | undefined> {
    return this.getEntity<Workflow>(keys.workflow(id));
  }

  async listWorkflows(options: ListOptions): Promise<Page<Workflow>> {
    return this.listGsi1<Workflow>(gsi1.partitions.allWorkflows, options);
  }

  async getWorkflowVersion(id: string, version: number): Promise<WorkflowVersion | undefined> {
    return this.getEntity<WorkflowVersion>(keys.workflowVersion(id, version));
  }

  async getWorkflowStats(id: string, version: number): Promise<Record<string, number>> {
    const item = await this.get(keys.workflowStats(id, version));
    return (item ? stripKeys(item) : {}) as Record<string, number>;
  }

  async findTriggeredWorkflows(triggerKey: string): Promise<TriggeredWorkflow[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.triggerPartition(triggerKey) },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => stripKeys(i) as unknown as TriggeredWorkflow);
  }

  async getEnrollmentCount(contactId: string, workflowId: string) {
    const item = await this.get(keys.enrollmentCount(contactId, workflowId));
    return {
      count: (item?.count as number | undefined) ?? 0,
      ...(item?.activeEnrollmentId ? { activeEnrollmentId: item.activeEnrollmentId as string } : {}),
    };
  }

  async getEnrollment(contactId: string, enrollmentId: string): Promise<Enrollment | undefined> {
    return this.getEntity<Enrollment>(keys.enrollment(contactId, enrollmentId));
  }

  async findEnrollmentByTrigger(workflowId: string, triggerEventId: string): Promise<Enrollment | undefined> {
    const claim = await this.get(keys.triggerClaim(workflowId, triggerEventId));
    return claim ? this.getEnrollment(claim.contactId as string, claim.enrollmentId as string) : undefined;
  }

  async listEnrollments(contactId: string, options: ListOptions): Promise<Page<Enrollment>> {
    const partition = keys.contactPartition(contactId);
    const page = await this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.enrollmentPrefix },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      options,
      { attributes: ['PK', 'SK'], partition: { name: 'PK', value: partition } },
    );
    return { ...page, items: page.items.map((i) => stripKeys(i) as unknown as Enrollment) };
  }

  async getSend(contactId: string, enrollmentId: string, stepId: string): Promise<EmailSend | undefined> {
    return this.getEntity<EmailSend>(keys.send(contactId, enrollmentId, stepId));
  }

  async findSendByMessageId(messageId: string): Promise<EmailSend | undefined> {
    const ref = await this.get(keys.message(messageId));
    return ref
      ? this.getSend(ref.contactId as string, ref.enrollmentId as string, ref.stepId as string)
      : undefined;
  }

  async getSuppression(email: string) {
    const item = await this.get(keys.suppression(email));
    return item ? { reason: item.reason as string, at: item.at as string } : undefined;
  }

  async getIdempotency(key: string, now: Date): Promise<IdempotencyRecord | undefined> {
    const item = await this.get(keys.idempotency(key));
    if (!item || (item.expiresAt as number) <= epochSeconds(now)) return undefined;
    return item.record as IdempotencyRecord;
  }
}

function mergeExpression(write: Extract<Write, { kind: 'mergeContact' }>) {
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':one': 1, ':now': write.updatedAt };
  const sets = ['#version = #version + :one', '#updatedAt = :now'];
  const { fields, ...properties } = write.fillBlanks;
  Object.entries(properties).forEach(([name, value], i) => {
    names[`#p${i}`] = name;
    values[`:p${i}`] = value;
    sets.push(`#p${i} = if_not_exists(#p${i}, :p${i})`);
  });
  if (fields && Object.keys(fields).length > 0) {
    names['#fields'] = 'fields';
    Object.entries(fields).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#fields.#f${i} = if_not_exists(#fields.#f${i}, :f${i})`);
    });
  }
  if (write.consent) {
    names['#consent'] = 'consent';
    values[':consent'] = write.consent;
    sets.push('#consent = :consent');
  }
  let expression = `SET ${sets.join(', ')}`;
  if (write.addTags.length > 0) {
    names['#tags'] = 'tags';
    values[':tags'] = new Set(write.addTags);
    expression += ' ADD #tags :tags';
  }
  return {
    UpdateExpression: expression,
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function outboxItem(event: DomainEvent): Item {
  return {
    ...keys.outbox(event.detail.eventId),
    _type: ENTITY.outbox,
    source: event.source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    [TABLE_KEYS.ttlAttribute]: Math.floor(Date.parse(event.detail.occurredAt) / 1000) + OUTBOX_TTL_SECONDS,
  };
}
