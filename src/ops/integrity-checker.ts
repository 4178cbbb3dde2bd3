import type { RedisClient } from '../redis/redis-client.js';
import { scanKeys } from '../redis/scan-keys.js';
import { ENGINE_INVARIANTS } from './integrity.js';
import type { Finding, IntegrityContribution, IntegrityReader, KeyCheck } from './integrity.js';

export interface IntegrityCheckOptions {
  /** The time holds and pending appointments are judged at (ms); the service's clock. Default: Date.now. */
  readonly now?: () => number;
  /**
   * A hold or pending appointment counts as live only when it ends more than this after `now`: the instances that
   * wrote the data run on their own clocks (kept in sync by NTP, see docs/architecture.md).
   */
  readonly clockToleranceMs?: number;
  /**
   * How long a suspicious key is left alone before it is read again. Writes that span several keys (a script, then
   * the lookups in other slots) are briefly half done on a live system; only what is still wrong after this is
   * reported.
   */
  readonly settleMs?: number;
  /** How many keys are checked at once. */
  readonly concurrency?: number;
}

export interface IntegrityReport {
  readonly findings: Finding[];
  /** Findings per invariant, every invariant present (0 when clean), in the order the modules list them. */
  readonly counts: Record<string, number>;
  readonly keysScanned: number;
  readonly durationMs: number;
}

/** Entries read per command (ZRANGE, HSCAN): no single read holds Redis up, whatever the size of a key. */
const PAGE = 500;
/**
 * Entries checked together (their lookups sent at once): small enough that building the commands and parsing the
 * answers never holds this process's event loop for long, which matters when the check runs inside the API.
 */
const BATCH = 100;

function* slices<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

type Multi = ReturnType<RedisClient['multi']>;

interface Suspect {
  readonly key: string;
  readonly check: () => Promise<Finding[]>;
  readonly findings: Finding[];
  readonly at: number;
}

/**
 * Scans a live Redis for broken invariants of the data layout (docs/architecture.md, docs/operations.md). Every key
 * of the prefix is visited once through SCAN; each kind of key has a check, contributed by the module that owns the
 * key, that reads it in pages and looks up what its entries point to (in its own hash slot with MULTI, elsewhere
 * with single commands, so it works on Redis Cluster). A key whose check finds something is checked again after
 * `settleMs`, and only findings seen both times are reported: a write in progress is not a broken invariant. Read
 * only: it never changes anything.
 */
export class IntegrityChecker implements IntegrityReader {
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly toleranceMs: number;
  private readonly settleMs: number;
  private readonly concurrency: number;
  /** Every invariant (the modules' in their order, then the engine's) -> description. */
  readonly invariants: Readonly<Record<string, string>>;
  /** Key kinds by the shape of their name (without the prefix); the first match wins. */
  private readonly keyChecks: readonly KeyCheck[];
  /** Keys the running (or last) check has seen so far: progress for long scans. One run at a time per instance. */
  keysScanned = 0;

  constructor(
    readonly redis: RedisClient,
    contributions: readonly IntegrityContribution[],
    options: IntegrityCheckOptions = {},
  ) {
    this.prefix = redis.options.keyPrefix ?? '';
    this.now = options.now ?? Date.now;
    this.toleranceMs = options.clockToleranceMs ?? 1000;
    this.settleMs = options.settleMs ?? 1000;
    this.concurrency = options.concurrency ?? 8;
    this.invariants = Object.assign({}, ...contributions.map((c) => c.invariants), ENGINE_INVARIANTS);
    const named = [...contributions.map((c) => c.invariants), ENGINE_INVARIANTS].flatMap((i) => Object.keys(i));
    if (new Set(named).size !== named.length) throw new Error('two modules contribute an invariant of one name');
    this.keyChecks = contributions.flatMap((c) => c.keyChecks);
  }

  /** Runs the whole check and collects the result; `onFinding` sees each finding as soon as it is confirmed. */
  async run(onFinding?: (finding: Finding) => void): Promise<IntegrityReport> {
    const started = performance.now();
    const findings: Finding[] = [];
    for await (const finding of this.findings()) {
      findings.push(finding);
      onFinding?.(finding);
    }
    const counts: Record<string, number> = Object.fromEntries(Object.keys(this.invariants).map((name) => [name, 0]));
    for (const f of findings) counts[f.invariant]++;
    return { findings, counts, keysScanned: this.keysScanned, durationMs: performance.now() - started };
  }

  /** Every confirmed finding, as soon as it is confirmed (the CLI prints them as they come). */
  async *findings(): AsyncGenerator<Finding> {
    this.keysScanned = 0;
    const suspects: Suspect[] = [];
    const reported = new Set<string>();
    for await (const page of scanKeys(this.redis, '*')) {
      this.keysScanned += page.length;
      const checks = page.flatMap((key) => {
        const check = this.checkOf(key);
        return check ? [{ key, check }] : [];
      });
      await this.pool(checks, async ({ key, check }) => {
        const findings = await check();
        if (findings.length > 0) suspects.push({ key, check, findings, at: performance.now() });
      });
      while (suspects.length > 0 && performance.now() - suspects[0].at >= this.settleMs) {
        yield* this.confirm(suspects.shift()!, reported);
      }
    }
    for (const suspect of suspects) {
      await this.settle(suspect.at + this.settleMs - performance.now());
      yield* this.confirm(suspect, reported);
    }
  }

  /** Waits before suspicious keys are read again (a seam for tests). */
  protected async settle(ms: number): Promise<void> {
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async *confirm(suspect: Suspect, reported: Set<string>): AsyncGenerator<Finding> {
    const identity = (f: Finding) => JSON.stringify([f.invariant, f.keys, f.detail]);
    const first = new Set(suspect.findings.map(identity));
    for (const finding of await suspect.check()) {
      const id = identity(finding);
      if (!first.has(id) || reported.has(id)) continue;
      reported.add(id);
      yield finding;
    }
  }

  private checkOf(key: string): (() => Promise<Finding[]>) | null {
    for (const { match, check } of this.keyChecks) {
      const ids = match(key);
      if (!ids) continue;
      return async () => {
        try {
          return await check(this, ids);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('WRONGTYPE')) {
            return [this.finding('key-wrong-type', [key], 'the key is not the Redis type the layout has for it')];
          }
          throw error;
        }
      };
    }
    return null;
  }

  private async pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  // ---- reading helpers -------------------------------------------------------------------------------------------

  finding<J extends string>(invariant: J, keyNames: string[], detail: string): Finding<J> {
    return { invariant, keys: keyNames.map((k) => this.prefix + k), detail };
  }

  /** A hold or pending reservation ending at `at` counts as live for sure (clock tolerance included). */
  live(at: number): boolean {
    return at > this.now() + this.toleranceMs;
  }

  /** A sorted set in batches of [member, score], by rank (read PAGE at a time). */
  async *zpages(key: string): AsyncGenerator<[string, number][]> {
    for (let start = 0; ; start += PAGE) {
      const flat = await this.redis.zrange(key, String(start), String(start + PAGE - 1), 'WITHSCORES');
      const page: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2) page.push([flat[i], Number(flat[i + 1])]);
      yield* slices(page);
      if (page.length < PAGE) return;
    }
  }

  /** A hash in batches of [field, value] (HSCAN, PAGE at a time). */
  async *hpages(key: string): AsyncGenerator<[string, string][]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', PAGE);
      cursor = next;
      const page: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) page.push([flat[i], flat[i + 1]]);
      yield* slices(page);
    } while (cursor !== '0');
  }

  /** Reads keys of one hash slot in one atomic step (MULTI works on Redis Cluster within one hash tag). */
  async atomically(build: (multi: Multi) => void): Promise<unknown[]> {
    const multi = this.redis.multi();
    build(multi);
    const results = await multi.exec();
    if (!results) throw new Error('MULTI was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }
}
