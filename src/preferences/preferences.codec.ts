import { DEFAULT_PREFERENCES, EMAIL_CATEGORIES } from './preferences.js';
import type { EmailCategory, Preferences, PreferencesChange } from './preferences.js';

/**
 * The stored form of a user's preferences, hash `{user:<id>}:preferences`: `locale`, `timeZone`, and
 * `email:<category>` = "0" for a category turned off. A category is on when its field is absent, so turning one on
 * removes the field and an empty hash is the defaults.
 */
const categoryField = (category: EmailCategory) => `email:${category}`;

export function decodePreferences(fields: Readonly<Record<string, string>>): Preferences {
  const email = { ...DEFAULT_PREFERENCES.email };
  for (const category of EMAIL_CATEGORIES) email[category] = fields[categoryField(category)] !== '0';
  return { email, locale: fields.locale || null, timeZone: fields.timeZone || null };
}

/** The fields a change sets and the fields it removes. */
export function encodeChange(change: PreferencesChange): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const category of EMAIL_CATEGORIES) {
    const on = change.email?.[category];
    if (on === false) set[categoryField(category)] = '0';
    if (on === true) remove.push(categoryField(category));
  }
  for (const field of ['locale', 'timeZone'] as const) {
    const value = change[field];
    if (typeof value === 'string') set[field] = value;
    if (value === null) remove.push(field);
  }
  return { set, remove };
}
