/**
 * The users port a function is wired with: local mode's user list when `LOCAL_USERS_FILE` is set
 * (local/main.ts sets it), else the Cognito user pool of `USER_POOL_ID` (the `user-directory`
 * capability). Chosen on first use, not at import: a handler loads without it and needs it only
 * for a request that names or lists users.
 */
import { requireEnv } from '#platform/config.js';
import { cognitoDirectory } from './cognito-directory.js';
import { localDirectory } from './local-directory.js';
import type { UserDirectory } from './users.js';

let made: UserDirectory | undefined;
const directory = (): UserDirectory => {
  const localFile = process.env.LOCAL_USERS_FILE;
  made ??= localFile ? localDirectory(localFile) : cognitoDirectory(requireEnv('USER_POOL_ID'));
  return made;
};

export function userDirectory(): UserDirectory {
  return {
    list: () => directory().list(),
    get: (id) => directory().get(id),
    add: (input) => directory().add(input),
  };
}
