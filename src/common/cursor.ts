import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationFailedError } from './domain-error.js';

/**
 * Opaque pagination cursors: base64url JSON plus an HMAC, so a client can hand one back but not forge or edit one
 * (a tampered cursor is a 400 naming `cursor`, never a scan from a made-up position).
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('pagination-cursor').digest();
  }

  encode(position: Record<string, string | number>): string {
    const body = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode<T extends Record<string, string | number>>(cursor: string, isValid: (value: unknown) => value is T): T {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!isValid(value)) throw invalid();
    return value;
  }

  /** A cursor for a position in a lexicographic index (what every list of this API pages by). */
  encodePosition(position: string): string {
    return this.encode({ p: position });
  }

  /** The position of a cursor made by encodePosition; a 400 naming `cursor` for anything else. */
  decodePosition(cursor: string): string {
    return this.decode(cursor, isPosition).p;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}

const isPosition = (value: unknown): value is { p: string } =>
  typeof value === 'object' && value !== null && typeof (value as { p?: unknown }).p === 'string';

function invalid(): ValidationFailedError {
  return ValidationFailedError.field('cursor', 'is not a cursor this API issued');
}
