/** The Secrets Manager client and command Tendril uses, imported dynamically on first use. */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
