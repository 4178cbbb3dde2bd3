export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type ClaimOutcome =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'reused' }
  | { readonly outcome: 'in-flight' };

/** Idempotency-Key records: one per caller and key. Each method is one atomic step. */
export abstract class IdempotencyRepository {
  /** Claims the key for a request, unless it was used (same request: replay; other request: reused) or is busy. */
  abstract claim(
    callerId: string,
    key: string,
    fingerprint: string,
    owner: string,
    lockMs: number,
  ): Promise<ClaimOutcome>;

  /** Keeps the answer of the owner's request for ttlMs. */
  abstract complete(
    callerId: string,
    key: string,
    owner: string,
    response: StoredResponse,
    ttlMs: number,
  ): Promise<void>;

  /** Frees the key after a failed request, so it can be retried. */
  abstract release(callerId: string, key: string, owner: string): Promise<void>;
}
