/**
 * The optional custom domain, from context values:
 *
 *   -c domain=crm.example.com                         the name viewers use (CloudFront's alias)
 *   -c certificateArn=arn:aws:acm:us-east-1:…         its ACM certificate in us-east-1 (CloudFront's region)
 *   -c apiCertificateArn=arn:aws:acm:<region>:…       a certificate for the same name in the stack's region,
 *                                                     for the API's custom domain (defaults to certificateArn,
 *                                                     right when the stack is in us-east-1)
 *   -c hostedZoneId=Z…                                optional: create the A/AAAA alias records in that zone
 *
 * Without `domain` none of the others may be given, and everything is as without a domain.
 */
import { Token } from 'aws-cdk-lib';
import type { Node } from 'constructs';

export interface DomainOptions {
  /** The host name (`crm.example.com`). */
  name: string;
  /** CloudFront's certificate (us-east-1). */
  certificateArn: string;
  /** The API custom domain's certificate (the stack's region). */
  apiCertificateArn: string;
  hostedZoneId?: string;
}

/** The region CloudFront's certificate and web ACL must be in. */
export const EDGE_REGION = 'us-east-1';

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/;

const regionOf = (arn: string, key: string): string => {
  const region = CERTIFICATE_ARN.exec(arn)?.[1];
  if (!region) throw new Error(`${key} "${arn}" is not an ACM certificate ARN`);
  return region;
};

/**
 * The optional custom tracking domain of SES's open and click links (`-c trackingDomain=track.example.com`,
 * a CNAME to SES's regional tracking host; HTTPS required): links in emails then show the sender's
 * own domain instead of awstrack.me.
 */
export function trackingDomain(node: Node): string | undefined {
  const v: unknown = node.tryGetContext('trackingDomain');
  if (v === undefined || v === '') return undefined;
  const name = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (!HOST_NAME.test(name))
    throw new Error(`trackingDomain "${String(v)}" is not a host name (track.example.com)`);
  return name;
}

/** Reads and checks the domain context values; `stackRegion` (when known) must hold the API certificate. */
export function domainOptions(node: Node, stackRegion: string | undefined): DomainOptions | undefined {
  const value = (key: string): string | undefined => {
    const v: unknown = node.tryGetContext(key);
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new Error(`-c ${key}= must be a string`);
    return v.trim();
  };
  const name = value('domain')?.toLowerCase();
  const certificateArn = value('certificateArn');
  const apiCertificateArn = value('apiCertificateArn') ?? certificateArn;
  const hostedZoneId = value('hostedZoneId');
  if (!name) {
    if (certificateArn || value('apiCertificateArn') || hostedZoneId)
      throw new Error('certificateArn, apiCertificateArn and hostedZoneId need -c domain=<name>');
    return undefined;
  }
  if (!HOST_NAME.test(name)) throw new Error(`domain "${name}" is not a host name (crm.example.com)`);
  if (!certificateArn || !apiCertificateArn)
    throw new Error('-c domain needs -c certificateArn=<ACM certificate in us-east-1>');
  if (regionOf(certificateArn, 'certificateArn') !== EDGE_REGION)
    throw new Error(`certificateArn must be in ${EDGE_REGION} (CloudFront's certificates live there)`);
  const apiRegion = regionOf(apiCertificateArn, 'apiCertificateArn');
  if (stackRegion && !Token.isUnresolved(stackRegion) && apiRegion !== stackRegion)
    throw new Error(
      `the API's custom domain needs a certificate in the stack's region ${stackRegion}: -c apiCertificateArn=arn:aws:acm:${stackRegion}:…`,
    );
  return { name, certificateArn, apiCertificateArn, ...(hostedZoneId ? { hostedZoneId } : {}) };
}
