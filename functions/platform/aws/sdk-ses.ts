/** The SES v2 client and commands Tendril uses, imported dynamically by the mailer. */
export { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
