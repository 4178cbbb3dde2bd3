import { Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import { MailSendError, Mailer } from './mailer.js';
import type { OutgoingMail } from './mailer.js';

/** Replies that say the service's own login was refused: the operator can fix it, so the mail waits for that. */
const AUTH_REPLIES = new Set([530, 534, 535, 538]);
/**
 * Whether a failed send may work later. A 4xx reply is temporary by SMTP's definition; a 5xx is permanent, except a
 * refused login (the configuration, not the message). No reply at all (connection refused, dropped, timed out, DNS)
 * is temporary. Of nodemailer's own refusals only an envelope it cannot use (no valid recipient, EENVELOPE) is final;
 * anything else is retried: a day of retries costs little, a lost email is worse.
 */
export function classifySmtpError(error: unknown): MailSendError {
  const e = error as { message?: string; code?: string; responseCode?: number };
  const message = e.message ?? String(error);
  const reply = e.responseCode;
  if (typeof reply === 'number' && reply >= 400 && reply < 600) {
    return new MailSendError(message, reply < 500 || AUTH_REPLIES.has(reply), reply);
  }
  return new MailSendError(message, e.code !== 'EENVELOPE');
}

/**
 * nodemailer over SMTP_URL, one connection per message (no pool: a booking service sends a few messages a second at
 * most, and a fresh connection never inherits a half-broken one). Every wait is bounded by SMTP_TIMEOUT_MS:
 * connecting, the greeting, DNS and each answer.
 */
@Injectable()
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(config: AppConfig) {
    super();
    if (config.smtpUrl === undefined || config.mailFrom === undefined) throw new Error('SMTP_URL is not set');
    const timeout = config.smtpTimeoutMs;
    this.transport = nodemailer.createTransport(
      {
        url: config.smtpUrl,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        dnsTimeout: timeout,
      },
      { from: config.mailFrom },
    );
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        to: { name: mail.to.name, address: mail.to.address },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        // RFC 3834: no vacation auto-replies to an automatic message.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
