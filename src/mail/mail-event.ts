/**
 * An outbox event as the mail module reads it: its stable id (the Message-ID is derived from it), its type and its
 * JSON data. The data's members are read defensively (mail/event-data.ts): events of several releases and of the
 * venues work (prices, labels, waiting-list offers) carry more or less, and an email says what its event gives.
 */
export interface MailEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The user the event concerns, as the outbox stored it (who the email goes to); null: read from the data. */
  readonly userId?: string | null;
}

/**
 * What the mail consumer tells the outbox about one event: sent; nothing to send (not an email event, a guest, an
 * unknown recipient, the category turned off); or failed, retryable or final.
 */
export type MailOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly retryable: boolean; readonly reason: string };
