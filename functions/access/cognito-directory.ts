/**
 * The users port on the Cognito user pool (the cloud): ListUsers for the list (paged, kept for a
 * minute per container: owner pickers and checks ask often, Cognito's read quota is per account),
 * AdminGetUser for one user by id (the `sub`, which AdminGetUser takes as the username). The
 * function's role may call these two actions on this pool only (infra: the `user-directory` grant).
 */
import { forbidden } from '#platform/errors.js';
import type { User } from './model.js';
import { displayName, type UserDirectory } from './users.js';

/** The part of the SDK client this adapter calls (a fake in tests). */
export interface CognitoClient {
  send(command: unknown): Promise<unknown>;
}

interface CognitoUser {
  Username?: string;
  Enabled?: boolean;
  Attributes?: Array<{ Name?: string; Value?: string }>;
  UserAttributes?: Array<{ Name?: string; Value?: string }>;
}

type Sdk = typeof import('#platform/aws/sdk-cognito.js');
let sdk: Promise<Sdk> | undefined;
const loadSdk = () => (sdk ??= import('#platform/aws/sdk-cognito.js'));

const LIST_TTL_MS = 60_000;

/** A Cognito user as Tendril's user; none for a disabled user or one without a sub. */
export function userOf(u: CognitoUser): User | undefined {
  if (u.Enabled === false) return undefined;
  const attrs = new Map((u.Attributes ?? u.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  const id = attrs.get('sub');
  if (!id) return undefined;
  const email = attrs.get('email') ?? '';
  return {
    id,
    email,
    name: displayName({
      name: attrs.get('name'),
      givenName: attrs.get('given_name'),
      familyName: attrs.get('family_name'),
      email,
      fallback: u.Username ?? id,
    }),
  };
}

export function cognitoDirectory(
  userPoolId: string,
  options: { client?: CognitoClient; sdk?: () => Promise<Sdk>; now?: () => number } = {},
): UserDirectory {
  const load = options.sdk ?? loadSdk;
  const now = options.now ?? Date.now;
  let client = options.client;
  let cached: { at: number; users: Promise<User[]> } | undefined;
  const connect = async () => {
    const mod = await load();
    client ??= new mod.CognitoIdentityProviderClient({});
    return { mod, client };
  };
  const listAll = async (): Promise<User[]> => {
    const { mod, client } = await connect();
    const users: User[] = [];
    let token: string | undefined;
    do {
      const page = (await client.send(
        new mod.ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }),
      )) as { Users?: CognitoUser[]; PaginationToken?: string };
      for (const u of page.Users ?? []) {
        const user = userOf(u);
        if (user) users.push(user);
      }
      token = page.PaginationToken;
    } while (token);
    return users.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  };
  return {
    list() {
      if (!cached || now() - cached.at > LIST_TTL_MS) {
        const users = listAll();
        cached = { at: now(), users };
        users.catch(() => {
          cached = undefined; // asked again on the next call
        });
      }
      return cached.users;
    },
    async get(id) {
      const { mod, client } = await connect();
      try {
        const out = (await client.send(
          new mod.AdminGetUserCommand({ UserPoolId: userPoolId, Username: id }),
        )) as CognitoUser;
        return userOf(out);
      } catch (err) {
        if (err instanceof mod.UserNotFoundException || (err as Error).name === 'UserNotFoundException')
          return undefined;
        throw err;
      }
    },
    async add() {
      throw forbidden(
        'users_managed_in_cognito',
        'users are managed in the Cognito user pool (AWS console or `aws cognito-idp admin-create-user`)',
      );
    },
  };
}
