/** One email ready to go: addressed, both bodies rendered, its Message-ID fixed by the event it tells of. */
export interface OutgoingMail {
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<id@host>`, the same on every retry of one event's email (mail/message-id.ts). */
  readonly messageId: string;
}

/**
 * A send that did not go through. `retryable`: the same send may work later (a 4xx reply, a refused or dropped
 * connection, a timeout, a rejected login the operator can fix); otherwise it never will (a 5xx reply to the
 * recipient or the message) and retrying only repeats the refusal.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The SMTP reply code, when the server answered. */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** Sends email. */
export abstract class Mailer {
  /** Resolves once the server accepted the message for delivery; rejects with MailSendError. */
  abstract send(mail: OutgoingMail): Promise<void>;
}
