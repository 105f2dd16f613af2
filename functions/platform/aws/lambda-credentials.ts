/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild alias set in
 * infra/bundling.ts). Lambda hands a function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the SDK's full chain — SSO,
 * shared ini files, process, web identity, container and instance metadata, each with its own nested
 * STS/SSO clients — is dead weight there (about 130 KB per bundle; `npm run bench` measures it).
 * Local mode and tests are not bundled and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
