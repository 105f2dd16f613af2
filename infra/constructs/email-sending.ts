/** Sending email with SES: the sender address (a deploy parameter) and a configuration set whose events go to EventBridge. */
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  HttpsPolicy,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin.js';

export class EmailSending extends Construct {
  readonly senderEmail: string;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: { trackingDomain?: string | undefined } = {}) {
    super(scope, id);
    const sender = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description: 'From address of workflow emails (an SES-verified identity)',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
    });
    // `cdk deploy --parameters SenderEmail=...`: the parameter keeps its name.
    sender.overrideLogicalId('SenderEmail');
    this.senderEmail = sender.valueAsString;
    this.configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      // Bounce and complaint rates of this set's email (CloudWatch, per configuration set).
      reputationMetrics: true,
      // Marketing email carries personal data: delivered over TLS or not at all.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      // The account-level suppression list too, beside Tendril's own (email-events).
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Open and click links on the sender's own domain (a CNAME to SES's tracking host), over HTTPS.
      ...(props.trackingDomain
        ? {
            customTrackingRedirectDomain: props.trackingDomain,
            customTrackingHttpsPolicy: HttpsPolicy.REQUIRE,
          }
        : {}),
    });
    pinLogicalId(this.configurationSet, 'EmailConfigurationSet096C0FB5');
    // SES delivers its events to the default bus; the email-events rule picks them up there.
    new ConfigurationSetEventDestination(this, 'EmailEventsToEventBridge', {
      configurationSet: this.configurationSet,
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
        EmailSendingEvent.DELIVERY,
      ],
    });
  }

  /**
   * May send through this configuration set, from the sender only: its address's identity, or its
   * domain's (SES authorizes against whichever of the two is verified).
   */
  grantSend(grantee: IGrantable): void {
    const stack = Stack.of(this);
    const identity = (resourceName: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          identity(this.senderEmail),
          identity(Fn.select(1, Fn.split('@', this.senderEmail))),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
    // The send quota (SendQuota.MaxSendRate) the shared send rate is held at: an account-level read.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }),
    );
  }
}
