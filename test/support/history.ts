/**
 * Histories of concurrent operations and a linearizability check (Wing & Gong's search with memoisation, as in
 * Knossos and Porcupine): is there one-at-a-time order of the operations, consistent with real time (an operation
 * that ended before another began comes first), in which a sequential model of the object gives every operation the
 * result it really got? Counting winners misses answers that are each plausible but impossible together; this does not.
 */

export interface Operation<I, O> {
  readonly client: string;
  readonly input: I;
  readonly output: O;
  /** When the client sent the request and when it saw the answer (performance.now()). */
  readonly start: number;
  readonly end: number;
}

export interface Model<S, I, O> {
  readonly init: S;
  step(state: S, input: I): { state: S; output: O };
  /** Identifies a state, for memoisation: equal keys must mean equal states. */
  key(state: S): string;
  /**
   * Whether an operation with this answer never changes the state, whatever the state (a refusal). Such operations
   * are placed as soon as they fit, without branching on them.
   */
  readOnly(input: I, output: O): boolean;
}

export class History<I, O> {
  readonly operations: Operation<I, O>[] = [];

  /** Runs one operation and records it with its real-time interval and its result. */
  async record(client: string, input: I, run: () => Promise<O>): Promise<O> {
    const start = performance.now();
    const output = await run();
    this.operations.push({ client, input, output, start, end: performance.now() });
    return output;
  }
}

export type Verdict<I, O> = { linearizable: true; order: Operation<I, O>[] } | { linearizable: false };

export function checkLinearizable<S, I, O>(
  operations: readonly Operation<I, O>[],
  model: Model<S, I, O>,
): Verdict<I, O> {
  const ops = [...operations].sort((a, b) => a.start - b.start);
  if (ops.length === 0) return { linearizable: true, order: [] };
  const failed = new Set<string>();
  const order: number[] = [];

  const pending = (done: bigint, i: number) => !(done & (1n << BigInt(i)));
  /** Only an operation that began before every pending one ended can come next. */
  const candidates = (done: bigint): number[] => {
    let firstEnd = Infinity;
    for (let i = 0; i < ops.length; i++) if (pending(done, i)) firstEnd = Math.min(firstEnd, ops[i].end);
    const result: number[] = [];
    for (let i = 0; i < ops.length && ops[i].start <= firstEnd; i++) if (pending(done, i)) result.push(i);
    return result;
  };
  const matches = (i: number, state: S) => {
    const next = model.step(state, ops[i].input);
    return JSON.stringify(next.output) === JSON.stringify(ops[i].output) ? next.state : undefined;
  };

  const search = (start: bigint, state: S): boolean => {
    // An operation that never changes the state (a refusal) and fits now can be placed now without losing any order:
    // no branching on those, which keeps a race of hundreds of refusals linear to check. Only operations the model
    // declares read-only: one that merely leaves this state as it is (a renewal) may change another state.
    let done = start;
    const depth = order.length;
    for (let again = true; again;) {
      again = false;
      for (const i of candidates(done)) {
        if (!model.readOnly(ops[i].input, ops[i].output)) continue;
        if (matches(i, state) !== undefined) {
          order.push(i);
          done |= 1n << BigInt(i);
          again = true;
        }
      }
    }
    if (order.length === ops.length) return true;
    const memo = `${done.toString(36)}|${model.key(state)}`;
    if (!failed.has(memo)) {
      for (const i of candidates(done)) {
        const next = matches(i, state);
        if (next === undefined) continue;
        order.push(i);
        if (search(done | (1n << BigInt(i)), next)) return true;
        order.pop();
      }
      failed.add(memo);
    }
    order.length = depth;
    return false;
  };

  return search(0n, model.init) ? { linearizable: true, order: order.map((i) => ops[i]) } : { linearizable: false };
}

/** Something only one client can have at a time (an appointment slot, a table at a time): take and give back. */
export type MutexInput = { op: 'take' | 'give-back'; client: string };
export type MutexOutput = 'ok' | 'refused';

export const mutexModel: Model<string | null, MutexInput, MutexOutput> = {
  init: null,
  step(owner, { op, client }) {
    if (op === 'take') return owner === null ? { state: client, output: 'ok' } : { state: owner, output: 'refused' };
    return owner === client ? { state: null, output: 'ok' } : { state: owner, output: 'refused' };
  },
  key: (owner) => owner ?? '',
  readOnly: (_, output) => output === 'refused',
};
