/** Sending email with SES: the sender address (a deploy parameter) and a configuration set whose events go to EventBridge. */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin.js';

export class EmailSending extends Construct {
  readonly senderEmail: string;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sender = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description: 'From address of workflow emails (an SES-verified identity)',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
    });
    // `cdk deploy --parameters SenderEmail=...`: the parameter keeps its name.
    sender.overrideLogicalId('SenderEmail');
    this.senderEmail = sender.valueAsString;
    this.configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {});
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

  /** May send through this configuration set, from any verified identity of the account. */
  grantSend(grantee: IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
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
