/** The Cognito user pool client and commands Tendril uses, imported dynamically by the user directory. */
export {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
