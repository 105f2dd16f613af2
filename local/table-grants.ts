/**
 * Local mode holds each function to the table actions its IAM role has in the cloud (the manifest's
 * `tableActionsOf`): a handler that sends an action its function is not granted fails here with the
 * AccessDeniedException DynamoDB would answer, so a missing grant shows in local runs and tests, not
 * first in production. Each handler runs inside `asFunction`, which tells the check who is calling.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FunctionName, tableActionsOf } from '#platform/manifest.js';

const caller = new AsyncLocalStorage<FunctionName>();

/** `handler`, run as function `name` (its table calls are checked against that function's grants). */
export const asFunction =
  <A extends unknown[], R>(name: FunctionName, handler: (...args: A) => R) =>
  (...args: A): R =>
    caller.run(name, () => handler(...args));

type TransactPart = Partial<Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', unknown>>;

/** The IAM actions a DynamoDB command needs: a transaction needs those of its parts. */
export function actionsOf(commandName: string, input: { TransactItems?: TransactPart[] }): string[] {
  const operation = commandName.replace(/Command$/, '');
  if (operation === 'TransactGetItems') return ['dynamodb:GetItem'];
  if (operation !== 'TransactWriteItems') return [`dynamodb:${operation}`];
  const parts = (input.TransactItems ?? []).flatMap((part) => Object.keys(part));
  const action = (part: string) => (part === 'ConditionCheck' ? 'ConditionCheckItem' : `${part}Item`);
  return [...new Set(parts.map((p) => `dynamodb:${action(p)}`))];
}

class AccessDeniedException extends Error {
  override name = 'AccessDeniedException';
  readonly $fault = 'client';
}

/** Checks every call of `db` made by a handler against its function's table grants. */
export function enforceTableGrants(db: DynamoDBDocumentClient): void {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = caller.getStore();
      if (name) {
        const needed = actionsOf(
          String(context.commandName),
          args.input as { TransactItems?: TransactPart[] },
        );
        const granted = tableActionsOf(name);
        const missing = needed.filter((a) => !granted.includes(a));
        if (missing.length > 0)
          throw new AccessDeniedException(
            `function ${name} is not authorized to perform: ${missing.join(', ')} on the table because no identity-based policy allows it (functions/platform/manifest.ts)`,
          );
      }
      return next(args);
    },
    { step: 'initialize', name: 'tendrilTableGrants', override: true },
  );
}
