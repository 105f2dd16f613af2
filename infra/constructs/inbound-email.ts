/**
 * Email in (customer service): an SES receipt rule set whose rule, for mail to the support address,
 * scans it (spam, viruses), stores the raw message in the files bucket under `inbound/` and then
 * invokes the inbound-email function asynchronously (its retries and on-failure queue are the
 * stack's, as for every asynchronously invoked function).
 *
 * SES receives email only in some regions, and only for a domain whose MX record points at it
 * (`inbound-smtp.<region>.amazonaws.com`); a rule set receives only once it is the account's
 * active one (`aws ses set-active-receipt-rule-set`): docs/service.md says how.
 */

import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';

/** Where raw messages are stored (kept 30 days), and where their attachments are kept with the case. */
export const INBOUND_PREFIXES = { raw: 'inbound/', attachments: 'case-files/' } as const;

export class InboundEmail extends Construct {
  readonly ruleSet: ReceiptRuleSet;

  constructor(
    scope: Construct,
    id: string,
    props: { bucket: IBucket; fn: IFunction; supportAddress: string },
  ) {
    super(scope, id);
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [props.supportAddress],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [
            new S3({ bucket: props.bucket, objectKeyPrefix: INBOUND_PREFIXES.raw }),
            new Lambda({ function: props.fn, invocationType: LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });
  }
}
