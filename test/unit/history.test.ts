import { checkLinearizable, mutexModel } from '../support/history.js';
import type { Model, MutexInput, MutexOutput, Operation } from '../support/history.js';

const op = (
  client: string,
  kind: MutexInput['op'],
  output: MutexOutput,
  start: number,
  end: number,
): Operation<MutexInput, MutexOutput> => ({ client, input: { op: kind, client }, output, start, end });

describe('the linearizability check', () => {
  it('accepts overlapping attempts with one winner, whichever order they were sent in', () => {
    const history = [op('a', 'take', 'refused', 0, 10), op('b', 'take', 'ok', 1, 9), op('c', 'take', 'refused', 2, 3)];
    const verdict = checkLinearizable(history, mutexModel);
    expect(verdict.linearizable).toBe(true);
    if (verdict.linearizable) expect(verdict.order[0].client).toBe('b');
  });

  it('refuses two concurrent winners', () => {
    expect(checkLinearizable([op('a', 'take', 'ok', 0, 10), op('b', 'take', 'ok', 1, 9)], mutexModel)).toEqual({
      linearizable: false,
    });
  });

  it('accepts a second winner after the first gave back, even while the give-back was still in flight', () => {
    const history = [op('a', 'take', 'ok', 0, 1), op('a', 'give-back', 'ok', 2, 10), op('b', 'take', 'ok', 3, 4)];
    expect(checkLinearizable(history, mutexModel).linearizable).toBe(true);
  });

  it('refuses a refusal that ended before anyone had taken it (real-time order matters)', () => {
    // c was refused, but its request was over before b's began: at that time no one could have had it.
    const history = [op('c', 'take', 'refused', 0, 1), op('b', 'take', 'ok', 2, 3)];
    expect(checkLinearizable(history, mutexModel).linearizable).toBe(false);
  });

  it('refuses a winner whose give-back came back refused', () => {
    const history = [op('a', 'take', 'ok', 0, 1), op('a', 'give-back', 'refused', 2, 3)];
    expect(checkLinearizable(history, mutexModel).linearizable).toBe(false);
  });

  it('handles hundreds of overlapping operations', () => {
    const history = Array.from({ length: 300 }, (_, i) =>
      op(`c${i}`, 'take', i === 150 ? 'ok' : 'refused', i, 1000 + i),
    );
    expect(checkLinearizable(history, mutexModel).linearizable).toBe(true);
  });

  it('finds two winners among hundreds of refusals quickly', () => {
    const history = Array.from({ length: 300 }, (_, i) =>
      op(`c${i}`, 'take', i === 100 || i === 200 ? 'ok' : 'refused', i, 1000 + i),
    );
    expect(checkLinearizable(history, mutexModel).linearizable).toBe(false);
  });

  it('does not place a renewal early just because it changes nothing at that point', () => {
    // c holds, holds again (a renewal, in flight for long), releases, and reserves: a reservation needs a hold, so
    // the second hold must come after the release: hold, release, hold, reserve.
    type In = { op: 'hold' | 'release' | 'reserve' };
    const seat: Model<string, In, number> = {
      init: 'free',
      step: (state, { op }) => {
        if (op === 'hold') return state === 'reserved' ? { state, output: 409 } : { state: 'held', output: 200 };
        if (op === 'release') return state === 'held' ? { state: 'free', output: 204 } : { state, output: 404 };
        return state === 'held' ? { state: 'reserved', output: 201 } : { state, output: 409 };
      },
      key: (state) => state,
      readOnly: (_, output) => output === 409 || output === 404,
    };
    const at = (op: In['op'], output: number, start: number, end: number): Operation<In, number> => ({
      client: 'c',
      input: { op },
      output,
      start,
      end,
    });
    const history = [
      at('hold', 200, 0, 1),
      at('hold', 200, 2, 10),
      at('release', 204, 3, 4),
      at('reserve', 201, 11, 12),
    ];
    expect(checkLinearizable(history, seat).linearizable).toBe(true);
  });
});
