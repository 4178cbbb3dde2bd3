import type { RedisClient } from '../redis/redis-client.js';

/**
 * What a module gives the integrity check (src/ops/integrity-checker.ts is only the engine: SCAN, settle and confirm,
 * paging, snapshot reads, reporting). A module lists its invariants and, per kind of key it owns, how to recognise
 * such a key (the inverse of its key builder, `keyMatcher` of redis/key-match.ts) and how to check one. Its checks
 * read through the reader below and parse values with the module's own codec, so the engine knows no key and no
 * stored format. docs/architecture.md describes how to add one.
 */
export interface IntegrityContribution<I extends string = string> {
  /**
   * Invariant name (a finding's `invariant`, the gauge's label) -> one-line description; docs/operations.md explains
   * each in full. "orphan": an index entry pointing at nothing, or at a record that says otherwise; "missing": a
   * record its index (or lookup) does not list.
   */
  readonly invariants: Readonly<Record<I, string>>;
  /** The module's kinds of keys; a key matches at most one of all modules' kinds. */
  readonly keyChecks: readonly KeyCheck<I>[];
}

export interface KeyCheck<I extends string = string> {
  /** The ids the key was built from, or null when it is not of this kind. */
  readonly match: (key: string) => string[] | null;
  /** The findings of one key (key names without the prefix; `reader.finding` adds it). Read only. */
  readonly check: (reader: IntegrityReader<I>, ids: string[]) => Promise<Finding<I>[]>;
}

/** Declares a kind of key: `keyCheck(keyMatcher(<key builder>), (reader, ...ids) => findings)`. */
export function keyCheck<I extends string, A extends string[]>(
  match: (key: string) => A | null,
  check: (reader: IntegrityReader<I>, ...ids: A) => Promise<Finding<I>[]>,
): KeyCheck<I> {
  return { match, check: (reader, ids) => check(reader, ...(ids as A)) };
}

/** One broken invariant. `keys` are full Redis key names (with the key prefix), as redis-cli would show them. */
export interface Finding<I extends string = string> {
  readonly invariant: I;
  readonly keys: readonly string[];
  readonly detail: string;
}

/** The engine's reads, shared by every module's checks. */
export interface IntegrityReader<I extends string = string> {
  readonly redis: RedisClient;
  /** A finding naming keys as the code builds them. */
  finding<J extends I>(invariant: J, keyNames: string[], detail: string): Finding<J>;
  /** A hold or pending reservation ending at `at` counts as live for sure (clock tolerance included). */
  live(at: number): boolean;
  /** A sorted set in batches of [member, score], by rank: no single read holds Redis up. */
  zpages(key: string): AsyncGenerator<[string, number][]>;
  /** A hash in batches of [field, value] (HSCAN). */
  hpages(key: string): AsyncGenerator<[string, string][]>;
  /** Reads keys of one hash slot in one atomic step (MULTI, which Redis Cluster allows within one hash tag). */
  atomically(build: (multi: ReturnType<RedisClient['multi']>) => void): Promise<unknown[]>;
  exists(key: string): Promise<boolean>;
}

/** Invariants of no one module: the engine reports them. */
export const ENGINE_INVARIANTS = {
  'key-wrong-type': 'a key of the layout holding another Redis type than the layout says',
} as const;

/** A time in findings' details. */
export const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

/** The contributions the periodic job checks, as the composition root (app.module.ts) provides them. */
export class IntegrityContributions {
  constructor(readonly all: readonly IntegrityContribution[]) {}
}
