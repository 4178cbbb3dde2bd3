import { jest } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { LazyRequestLogger } from './logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { parent: pino({ level }, stream), lines };
}

describe('LazyRequestLogger', () => {
  it('writes the lines of its level and above as the child would, with the bindings', async () => {
    const { parent, lines } = capture('warn');
    const log = new LazyRequestLogger(parent, { requestId: 'r-1' }, {});
    log.info({ step: 'skipped' }, 'not written');
    log.warn({ step: 'kept' }, 'written');
    log.error('also written');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.requestId, l.msg, l.step])).toEqual([
      ['r-1', 'written', 'kept'],
      ['r-1', 'also written', undefined],
    ]);
  });

  it('makes no child while nothing is written, and follows a per-route level', () => {
    const { parent } = capture('warn');
    const child = jest.spyOn(parent, 'child');
    const log = new LazyRequestLogger(parent, { requestId: 'r-2' }, {});
    log.info('nothing');
    log.debug('nothing');
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('warn')).toBe(true);
    expect(log.isLevelEnabled('info')).toBe(false);
    const verbose = new LazyRequestLogger(parent, { requestId: 'r-3' }, { level: 'debug' });
    expect(verbose.isLevelEnabled('debug')).toBe(true);
    verbose.child({ more: 1 }).warn('x');
    expect(child).toHaveBeenCalledWith({ requestId: 'r-3' }, { level: 'debug' });
  });
});
