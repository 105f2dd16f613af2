/** TransactWriteItems for the workflow and email writes (the CRM-core writes are in dynamo-store.ts). */
import type { Write } from '../core/ports.js';
import type { TransactItem } from './dynamo-store.js';
import { ENTITY, gsi1, keys, TABLE_KEYS } from './keys.js';

const TRIGGER_CLAIM_TTL_SECONDS = 7 * 24 * 3600;
type Out = Array<{ item: TransactItem; part?: string }>;

function statsUpdate(
  TableName: string,
  workflowId: string,
  version: number,
  deltas: Record<string, number>,
): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = Object.entries(deltas).map(([attr, delta], i) => {
    names[`#a${i}`] = attr;
    values[`:d${i}`] = delta;
    return `#a${i} :d${i}`;
  });
  return {
    Update: {
      TableName,
      Key: keys.workflowStats(workflowId, version),
      UpdateExpression: `SET #type = :type ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: { ...names, '#type': '_type' },
      ExpressionAttributeValues: { ...values, ':type': ENTITY.workflowStats },
    },
  };
}

export function translateWorkflowWrite(TableName: string, write: Write): Out {
  switch (write.kind) {
    case 'putWorkflow':
      return [
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.workflow(write.workflow.id),
                ...gsi1.allWorkflows(write.workflow.id),
                _type: ENTITY.workflow,
                ...write.workflow,
              },
              ...(write.expectedUpdatedAt
                ? {
                    ConditionExpression: '#u = :u',
                    ExpressionAttributeNames: { '#u': 'updatedAt' },
                    ExpressionAttributeValues: { ':u': write.expectedUpdatedAt },
                  }
                : { ConditionExpression: 'attribute_not_exists(PK)' }),
            },
          },
        },
      ];
    case 'putWorkflowVersion':
      return [
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.workflowVersion(write.version.workflowId, write.version.version),
                _type: ENTITY.workflowVersion,
                ...write.version,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ];
    case 'setTrigger':
      return [
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.trigger(write.triggerKey, write.triggered.workflowId),
                _type: ENTITY.trigger,
                ...write.triggered,
              },
            },
          },
        },
      ];
    case 'deleteTrigger':
      return [{ item: { Delete: { TableName, Key: keys.trigger(write.triggerKey, write.workflowId) } } }];
    case 'startEnrollment': {
      const e = write.enrollment;
      const countCondition = [
        write.previousCount === 0 ? 'attribute_not_exists(PK)' : '#count = :prev',
        ...(write.allowWhileActive ? [] : ['attribute_not_exists(#active)']),
      ].join(' AND ');
      return [
        {
          part: 'trigger',
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.triggerClaim(e.workflowId, write.triggerEventId),
                _type: ENTITY.triggerClaim,
                contactId: e.contactId,
                enrollmentId: e.id,
                [TABLE_KEYS.ttlAttribute]:
                  Math.floor(Date.parse(e.enrolledAt) / 1000) + TRIGGER_CLAIM_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          part: 'count',
          item: {
            Update: {
              TableName,
              Key: keys.enrollmentCount(e.contactId, e.workflowId),
              UpdateExpression: 'SET #count = :n, #active = :id, #type = :type',
              ConditionExpression: countCondition,
              ExpressionAttributeNames: {
                '#count': 'count',
                '#active': 'activeEnrollmentId',
                '#type': '_type',
              },
              ExpressionAttributeValues: {
                ':n': e.number,
                ':id': e.id,
                ':type': ENTITY.enrollmentCount,
                ...(write.previousCount === 0 ? {} : { ':prev': write.previousCount }),
              },
            },
          },
        },
        {
          item: {
            Put: {
              TableName,
              Item: { ...keys.enrollment(e.contactId, e.id), _type: ENTITY.enrollment, ...e },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        { item: statsUpdate(TableName, e.workflowId, e.version, { enrolled: 1, active: 1 }) },
      ];
    }
    case 'enterStep': {
      const e = write.enrollment;
      return [
        {
          part: 'claim',
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.stepClaim(e.contactId, e.id, write.stepId),
                _type: ENTITY.stepClaim,
                at: write.at,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          part: 'enrollment',
          item: {
            Update: {
              TableName,
              Key: keys.enrollment(e.contactId, e.id),
              UpdateExpression: 'SET #step = :step',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#step': 'currentStep', '#status': 'status' },
              ExpressionAttributeValues: { ':step': write.stepId, ':active': 'active' },
            },
          },
        },
        {
          item: statsUpdate(TableName, e.workflowId, e.version, {
            [`entered:${write.stepId}`]: 1,
            [`current:${write.stepId}`]: 1,
            ...(e.currentStep && e.currentStep !== write.stepId ? { [`current:${e.currentStep}`]: -1 } : {}),
          }),
        },
      ];
    }
    case 'endEnrollment': {
      const e = write.enrollment;
      return [
        {
          part: 'enrollment',
          item: {
            Update: {
              TableName,
              Key: keys.enrollment(e.contactId, e.id),
              UpdateExpression: `SET #status = :status, #ended = :at${write.reason ? ', #reason = :reason' : ''}`,
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: {
                '#status': 'status',
                '#ended': 'endedAt',
                ...(write.reason ? { '#reason': 'stopReason' } : {}),
              },
              ExpressionAttributeValues: {
                ':status': write.status,
                ':at': write.at,
                ':active': 'active',
                ...(write.reason ? { ':reason': write.reason } : {}),
              },
            },
          },
        },
        {
          item: {
            Update: {
              TableName,
              Key: keys.enrollmentCount(e.contactId, e.workflowId),
              UpdateExpression: 'REMOVE #active',
              ExpressionAttributeNames: { '#active': 'activeEnrollmentId' },
            },
          },
        },
        {
          item: statsUpdate(TableName, e.workflowId, e.version, {
            active: -1,
            [`outcome:${write.reason ?? write.status}`]: 1,
            ...(e.currentStep ? { [`current:${e.currentStep}`]: -1 } : {}),
          }),
        },
      ];
    }
    case 'claimSend':
      return [
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.send(write.send.contactId, write.send.enrollmentId, write.send.stepId),
                _type: ENTITY.send,
                ...write.send,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ];
    case 'releaseSend':
      return [
        {
          item: {
            Delete: {
              TableName,
              Key: keys.send(write.send.contactId, write.send.enrollmentId, write.send.stepId),
              ConditionExpression: '#status = :sending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':sending': 'sending' },
            },
          },
        },
      ];
    case 'completeSend': {
      const s = write.send;
      return [
        {
          item: {
            Update: {
              TableName,
              Key: keys.send(s.contactId, s.enrollmentId, s.stepId),
              UpdateExpression: 'SET #status = :sent, #mid = :mid, #at = :at',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#status': 'status', '#mid': 'messageId', '#at': 'sentAt' },
              ExpressionAttributeValues: { ':sent': 'sent', ':mid': s.messageId, ':at': s.sentAt },
            },
          },
        },
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.message(s.messageId),
                _type: ENTITY.message,
                contactId: s.contactId,
                enrollmentId: s.enrollmentId,
                stepId: s.stepId,
                ...(s.workflowId ? { workflowId: s.workflowId } : {}),
                templateId: s.templateId,
              },
            },
          },
        },
      ];
    }
    case 'recordEngagement': {
      const attr = write.type === 'opened' ? 'openedAt' : 'clickedAt';
      const s = write.send;
      return [
        {
          item: {
            Update: {
              TableName,
              Key: keys.send(s.contactId, s.enrollmentId, s.stepId),
              UpdateExpression: 'SET #attr = :at',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#attr)',
              ExpressionAttributeNames: { '#attr': attr },
              ExpressionAttributeValues: { ':at': write.at },
            },
          },
        },
        {
          // The contact's latest engagement of this type, listed by time for engagement segments.
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.engagement(s.contactId, write.type),
                ...gsi1.contactsEngaged(write.type, write.at, s.contactId),
                _type: ENTITY.engagement,
                contactId: s.contactId,
                at: write.at,
              },
            },
          },
          part: 'engagement',
        },
      ];
    }
    case 'suppress':
      return [
        {
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.suppression(write.email),
                _type: ENTITY.suppression,
                reason: write.reason,
                at: write.at,
              },
            },
          },
        },
      ];
    case 'markUnsubscribed':
      return [
        {
          item: {
            Update: {
              TableName,
              Key: keys.contact(write.contactId),
              UpdateExpression: 'SET #u = :at, #version = #version + :one, #updatedAt = :at',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#u)',
              ExpressionAttributeNames: {
                '#u': 'unsubscribedAt',
                '#version': 'version',
                '#updatedAt': 'updatedAt',
              },
              ExpressionAttributeValues: { ':at': write.at, ':one': 1 },
            },
          },
        },
      ];
    default:
      throw new Error(`no translation for write ${write.kind}`);
  }
}
