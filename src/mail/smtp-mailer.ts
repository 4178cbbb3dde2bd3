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
 * A refusal at RCPT TO for the sender's rights rather than the mailbox: an enhanced status 5.7.x (RFC 3463, security
 * or policy: "554 5.7.1 Relay access denied") or relaying denied in words. Not any mention of "relay": Postfix's
 * unknown user reads "User unknown in relay recipient table" (5.1.1), which is final.
 */
const RELAY_DENIED = /^\d{3}[ -]5\.7\.\d{1,3}\b|relay(ing)? (access )?(denied|not (permitted|allowed))/i;
/**
 * nodemailer's refusals made without a server reply that no retry can change: an envelope it cannot use (EENVELOPE
 * with no reply: no valid recipient or sender), a message it will not send (EMESSAGE: empty, larger than the server's
 * SIZE), a configuration it cannot use (ECONFIG). Anything else without a reply (connection, timeout, DNS, TLS,
 * protocol) is retried: a day of retries costs little, a lost email is worse.
 */
const FINAL_WITHOUT_REPLY = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG']);

/**
 * Whether a failed send may work later. A 4xx reply is temporary by SMTP's definition. A 5xx is permanent when it is
 * about this recipient or this message, and retried when it is about the service's own setup, which the operator can
 * fix while the retries last: a refused login, STARTTLS refused while it is required (SMTP_REQUIRE_TLS), the sender
 * refused at MAIL FROM (MAIL_FROM not allowed on that account), and relaying denied at RCPT TO (a 5.7.x reply or one naming relaying: the account may not send to other
 * domains yet). No reply at all is temporary, except nodemailer's own final refusals (FINAL_WITHOUT_REPLY).
 */
export function classifySmtpError(error: unknown): MailSendError {
  const e = error as { message?: string; code?: string; responseCode?: number; command?: string; response?: string };
  const message = e.message ?? String(error);
  const reply = e.responseCode;
  if (typeof reply === 'number' && reply >= 400 && reply < 600) {
    const setup =
      AUTH_REPLIES.has(reply) ||
      e.code === 'ETLS' ||
      e.command === 'MAIL FROM' ||
      (e.command === 'RCPT TO' && RELAY_DENIED.test(e.response ?? ''));
    return new MailSendError(message, reply < 500 || setup, reply);
  }
  return new MailSendError(message, !FINAL_WITHOUT_REPLY.has(e.code ?? ''));
}

/** localhost, 127.0.0.0/8 or ::1: a catcher on the same machine, where TLS protects nothing. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/**
 * nodemailer over SMTP_URL, one connection per message (no pool: a booking service sends a few messages a second at
 * most, and a fresh connection never inherits a half-broken one). Every wait is bounded by SMTP_TIMEOUT_MS:
 * connecting, the greeting, DNS and each answer. STARTTLS is required (SMTP_REQUIRE_TLS, by default unless the host
 * is a loopback address), so a server or a man in the middle that offers no upgrade never sees the password.
 */
@Injectable()
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(config: AppConfig) {
    super();
    if (config.smtpUrl === undefined || config.mailFrom === undefined) throw new Error('SMTP_URL is not set');
    const timeout = config.smtpTimeoutMs;
    const requireTLS = config.smtpRequireTls ?? !isLoopbackHost(new URL(config.smtpUrl).hostname);
    this.transport = nodemailer.createTransport(
      {
        url: config.smtpUrl,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        dnsTimeout: timeout,
        requireTLS,
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
