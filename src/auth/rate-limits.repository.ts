/** Attempt counters in fixed windows, shared by all instances. */
export abstract class RateLimitsRepository {
  /** Counts one attempt of a client in a bucket; answers the attempts in the current window and when it ends. */
  abstract hit(bucket: string, client: string, windowMs: number): Promise<{ attempts: number; resetInMs: number }>;
  /**
   * Records that this instance let `count` requests of a client through so far (`bucket` names the window); answers
   * the total of all instances. Idempotent: a repeated or late report changes nothing.
   */
  abstract report(bucket: string, client: string, instanceId: string, count: number, ttlMs: number): Promise<number>;
}
