import type { Preferences, PreferencesChange } from './preferences.js';

/** A user's preferences, in the user's own slot. */
export abstract class PreferencesRepository {
  /** The user's preferences; the defaults when they never changed any. */
  abstract get(userId: string): Promise<Preferences>;

  /**
   * Applies a partial change and answers the preferences after it, in one atomic step (concurrent changes of
   * different fields both stand; of the same field, the later one). Running it twice leaves the same result.
   */
  abstract update(userId: string, change: PreferencesChange): Promise<Preferences>;
}
