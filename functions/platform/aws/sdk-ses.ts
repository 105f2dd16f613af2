/** The SES v2 client and command Tendril uses, imported dynamically by the mailer. */
export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
