/** Sales on the single table: pipelines, deals (on their pipeline's board index) and tasks (by due time). */
import type { ContactsWrite } from '#contacts/store.js';
import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { guardedPut, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { type CrmTask, type Deal, DealSchema, type Pipeline, PipelineSchema, TaskSchema } from './model.js';
import type { SalesReads, SalesStore, SalesWrite } from './store.js';

export const salesKeys = {
  task: (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' }),
  pipeline: (id: string): Key => ({ PK: `PIPELINE#${id}`, SK: 'PIPELINE' }),
  deal: (id: string): Key => ({ PK: `DEAL#${id}`, SK: 'DEAL' }),
};

export const salesIndexes = {
  allPipelines: (id: string) => ({ GSI1PK: 'PIPELINES', GSI1SK: id }),
  /** A pipeline's board: deals grouped by stage. */
  dealsOnBoard: (pipelineId: string, stage: string, dealId: string) => ({
    GSI1PK: `BOARD#${pipelineId}`,
    GSI1SK: `${stage}#${dealId}`,
  }),
  tasksByDue: (status: string, dueAt: string, id: string) => ({
    GSI1PK: `TASKS#${status}`,
    GSI1SK: `${dueAt}#${id}`,
  }),
  /** GSI2: a second view of tasks, per owner. */
  tasksOfOwner: (owner: string, status: string, dueAt: string, id: string) => ({
    GSI2PK: `OWNER#${owner}#TASKS#${status}`,
    GSI2SK: `${dueAt}#${id}`,
  }),
  partitions: {
    allPipelines: 'PIPELINES',
    board: (pipelineId: string) => `BOARD#${pipelineId}`,
    tasksByDue: (status: string) => `TASKS#${status}`,
    tasksOfOwner: (owner: string, status: string) => `OWNER#${owner}#TASKS#${status}`,
  },
};

const decodeTask = (item: Item): CrmTask => decode(TaskSchema, item);
const decodeDeal = (item: Item): Deal => decode(DealSchema, item);
const decodePipeline = (item: Item): Pipeline => decode(PipelineSchema, item);

export const salesTranslators: Translators<Exclude<SalesWrite, ContactsWrite | Emit>> = {
  putTask: ({ task, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.task(task.id),
        ...salesIndexes.tasksByDue(task.status, task.dueAt, task.id),
        ...(task.owner ? salesIndexes.tasksOfOwner(task.owner, task.status, task.dueAt, task.id) : {}),
        ...stamp('Task'),
        ...task,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
  putPipeline: ({ pipeline }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.pipeline(pipeline.id),
        ...salesIndexes.allPipelines(pipeline.id),
        ...stamp('Pipeline'),
        ...pipeline,
      },
      { attribute: 'PK', expected: undefined },
    ),
  putDeal: ({ deal, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.deal(deal.id),
        ...salesIndexes.dealsOnBoard(deal.pipelineId, deal.stage, deal.id),
        ...stamp('Deal'),
        ...deal,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
};

export function salesReads(table: Table): SalesReads {
  return {
    async getPipeline(id) {
      const item = await table.get(salesKeys.pipeline(id));
      return item ? decodePipeline(item) : undefined;
    },
    listPipelines: (options) =>
      table.page({ index: 'GSI1', partition: salesIndexes.partitions.allPipelines }, options, decodePipeline),
    async getDeal(id) {
      const item = await table.get(salesKeys.deal(id));
      return item ? decodeDeal(item) : undefined;
    },
    async listDealsOnBoard(pipelineId) {
      const items = await table.all({
        index: 'GSI1',
        partition: salesIndexes.partitions.board(pipelineId),
        ascending: true,
      });
      return items.map(decodeDeal);
    },
    async getTask(id) {
      const item = await table.get(salesKeys.task(id));
      return item ? decodeTask(item) : undefined;
    },
    listTasks(query) {
      const partition = query.owner
        ? ({
            index: 'GSI2',
            partition: salesIndexes.partitions.tasksOfOwner(query.owner, query.status),
          } as const)
        : ({ index: 'GSI1', partition: salesIndexes.partitions.tasksByDue(query.status) } as const);
      // The sort key is `<dueAt>#<id>`: `< dueBefore` on it is exact for ISO-8601 UTC timestamps.
      return table.page(
        { ...partition, ascending: true, ...(query.dueBefore ? { before: query.dueBefore } : {}) },
        query,
        decodeTask,
      );
    },
  };
}

export const salesStore = (table: Table): SalesStore =>
  storeOf<SalesWrite>({ ...contactsTranslators, ...salesTranslators })(table, {
    ...contactsReads(table),
    ...salesReads(table),
  });
