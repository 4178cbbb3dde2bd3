import type { Slot } from './appointment.js';

/** Where a page of open slots starts and ends. */
export interface OpenSlotsRange {
  /** Earliest start, inclusive (ms). */
  readonly from: number;
  /** Latest start, exclusive (ms). */
  readonly to: number;
  /** What "open" is judged at: a pending reservation lapsed at or before it no longer holds its slot. */
  readonly now: number;
  /** The opaque position of the previous page's last slot, or null. */
  readonly after: string | null;
  readonly limit: number;
}

/** A page of slots; `next` is the opaque position after it, null at the end. */
export interface OpenSlotsPage {
  readonly slots: Slot[];
  readonly next: string | null;
}

/**
 * Open slots across providers (GET /v1/slots), read from the index of every provider's open slots and checked
 * against each provider's schedule, so a stale entry is never answered. The cost of a page is bounded by `limit`
 * (and, with providers named, by how many), never by the number of providers.
 */
export abstract class OpenSlotsRepository {
  /** Open slots of every provider, by start (then provider and slot id). A page may be short; `next` says if more. */
  abstract page(range: OpenSlotsRange): Promise<OpenSlotsPage>;

  /** Open slots of the named providers only, by start: the first `limit` of each, merged. */
  abstract pageOf(providerIds: readonly string[], range: OpenSlotsRange): Promise<OpenSlotsPage>;

  /**
   * Builds the index from the providers' schedules (the open-slots migration): every slot open at `now` and starting
   * after it. Idempotent; answers how many slots it listed.
   */
  abstract rebuild(now: number): Promise<number>;

  /** Drops index entries of slots that started before `before` (they can never be listed again). */
  abstract prune(before: number): Promise<number>;

  /** True once `markMigrated(name)` ran in this keyspace (the one-off migration markers, `{migrations}:<name>`). */
  abstract isMigrated(name: string): Promise<boolean>;

  abstract markMigrated(name: string, at: number): Promise<void>;
}
