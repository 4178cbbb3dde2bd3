import { normalizeEmail } from './email.js';
import type { User } from './user.js';

/** At most this many name tokens per account: a name of 100 characters has at most 50 words, few have more than 4. */
const MAX_NAME_TOKENS = 12;

/**
 * At most this many UTF-8 bytes per token (and per query): NFKC can expand a 100-character name some 18-fold (U+FDFA
 * is 18 characters), and the token ends up in the page cursor, which must stay under the cursor's 2048 characters.
 * 512 bytes keep every email (254 ASCII characters at most) and any name of ordinary letters whole.
 */
export const MAX_TOKEN_BYTES = 512;

/** The first MAX_TOKEN_BYTES bytes of `text`, cut before a code point rather than through it. */
export function capToken(text: string): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= MAX_TOKEN_BYTES) return text;
  let end = MAX_TOKEN_BYTES;
  while ((bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString();
}

/** A word starts at a letter or digit that follows no letter, digit or combining mark. */
const WORD_START = /(?<![\p{L}\p{N}\p{M}])[\p{L}\p{N}]/gu;

/**
 * The form text is searched in: the email rule (users/email.ts: trimmed, NFKC, lower-cased, NFKC again), with every
 * run of white space made one space. Applied alike to what is stored and to the query, so "ADA", "ａｄａ" and "ada"
 * find the same accounts. Accents are kept ("jose" does not find "José"), as they are in emails.
 */
export const searchForm = (text: string): string => normalizeEmail(text).replace(/\p{White_Space}+/gu, ' ');

/**
 * The tokens an account is found by: its email, and its name from the start of
 * each word to the end ("jean-luc picard", "luc picard", "picard"). A query matches an account when it is a prefix of
 * one of them, so it finds an email by its start and a name by the start of any word, over several words too
 * ("luc pi").
 */
export function searchTokens(user: { readonly email?: unknown; readonly name?: unknown }): string[] {
  // A malformed account (a hash without a name or email, written by hand or by a bug) is found by what it has, and
  // never makes the migration or a search throw.
  const name = typeof user.name === 'string' ? searchForm(user.name) : '';
  const email = typeof user.email === 'string' ? searchForm(user.email) : '';
  const starts = [...name.matchAll(WORD_START)].map((m) => m.index).slice(0, MAX_NAME_TOKENS);
  // The email is stored normalized, but an account the email migration left under a former spelling is not.
  const tokens = [email, ...starts.map((i) => name.slice(i))].map(capToken).filter((t) => t !== '');
  return [...new Set(tokens)];
}

/** Byte order, as Redis orders the members of a sorted set (UTF-16 order differs above U+D7FF). */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The token an account is listed under for a query: the first of its matching tokens in index order, so an account
 * matching by email and by name (or by two words) is on one page once.
 */
export function listedToken(user: Pick<User, 'email' | 'name'>, query: string): string | undefined {
  return searchTokens(user)
    .filter((t) => t.startsWith(query))
    .sort(byteOrder)[0];
}
