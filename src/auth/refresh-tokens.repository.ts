export type RotateOutcome =
  | { readonly outcome: 'rotated'; readonly userId: string }
  /** The token was valid once but has been used already: the whole family is now revoked. */
  | { readonly outcome: 'reused' }
  | { readonly outcome: 'invalid' };

export interface RotatePolicy {
  /** The family's sliding lifetime, renewed by every rotation. */
  readonly ttlSeconds: number;
  /** The service clock's now, ms since the epoch: recorded as the rotation's time and compared with it. */
  readonly nowMs: number;
  /** How long after a rotation its spent token may rotate again; 0: never (strict). */
  readonly reuseGraceMs: number;
}

/**
 * Refresh-token families. A family starts at login and holds exactly one current token; each refresh replaces it.
 * Only hashes of tokens are stored.
 */
export abstract class RefreshTokensRepository {
  abstract start(familyId: string, userId: string, tokenHash: string, ttlSeconds: number): Promise<void>;

  /**
   * Atomically swaps the current token for the next one. The previous token (the one the last rotation of the current
   * token spent) also rotates while less than `reuseGraceMs` have passed since that rotation, because its answer may
   * have been lost (a reload, a dropped connection): the new token becomes current, the previous token and the time of
   * that rotation stay, so repeating it never extends the window. Presenting anything else of a live family (an older
   * token, the previous one after the grace, a successor that a grace rotation superseded) revokes the family, so a
   * stolen token that was already used stops its newer siblings too. Running the same rotation twice (a client library
   * re-sending after a reconnect) answers the same and does not revoke.
   */
  abstract rotate(
    familyId: string,
    presentedHash: string,
    nextHash: string,
    policy: RotatePolicy,
  ): Promise<RotateOutcome>;

  /** Ends the family if the presented token is its current one; anything else is ignored. */
  abstract revoke(familyId: string, presentedHash: string): Promise<void>;
}
