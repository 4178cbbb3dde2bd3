/** Attempt counters in fixed windows, shared by all instances. */
export abstract class RateLimitsRepository {
  /** Counts one attempt of a client in a bucket; answers the attempts in the current window and when it ends. */
  abstract hit(bucket: string, client: string, windowMs: number): Promise<{ attempts: number; resetInMs: number }>;
  /** Adds `count` requests to a client's counter (`bucket` names the window); answers the total of all instances. */
  abstract add(bucket: string, client: string, count: number, ttlMs: number): Promise<number>;
}
