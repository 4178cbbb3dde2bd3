export type RotateOutcome =
  | { readonly outcome: 'rotated'; readonly userId: string }
  /** The token was valid once but has been used already: the whole family is now revoked. */
  | { readonly outcome: 'reused' }
  | { readonly outcome: 'invalid' };

/**
 * Refresh-token families. A family starts at login and holds exactly one current token; each refresh replaces it.
 * Only hashes of tokens are stored.
 */
export abstract class RefreshTokensRepository {
  abstract start(familyId: string, userId: string, tokenHash: string, ttlSeconds: number): Promise<void>;

  /**
   * Atomically swaps the current token for the next one. Presenting anything but the current token of a live family
   * revokes the family, so a stolen token that was already used stops its newer siblings too. Running the same
   * rotation twice (a client library re-sending after a reconnect) answers the same and does not revoke.
   */
  abstract rotate(
    familyId: string,
    presentedHash: string,
    nextHash: string,
    ttlSeconds: number,
  ): Promise<RotateOutcome>;

  /** Ends the family if the presented token is its current one; anything else is ignored. */
  abstract revoke(familyId: string, presentedHash: string): Promise<void>;
}
