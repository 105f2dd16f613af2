/** Who may use the admin UI and API: a Cognito user pool (MFA, no self sign-up) with managed login. */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin.js';

export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly loginDomain: UserPoolDomain;
  readonly adminClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: { loginDomainPrefix: string; siteUrl: string }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.userPool, 'Users0A0EEA89');
    this.loginDomain = this.userPool.addDomain('AdminLogin', {
      cognitoDomain: { domainPrefix: props.loginDomainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    pinLogicalId(this.loginDomain, 'UsersAdminLogin9D7E73EA');
    this.adminClient = this.userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${props.siteUrl}/`],
        logoutUrls: [`${props.siteUrl}/`],
      },
    });
    pinLogicalId(this.adminClient, 'UsersAdminClient53C89109');
    const branding = new CfnManagedLoginBranding(this, 'AdminLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.adminClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.overrideLogicalId('AdminLoginBranding');
  }
}
