import { Periodic } from './periodic.js';

describe('Periodic', () => {
  it('keeps running passes after a work that throws at once (not through a rejected promise)', async () => {
    let calls = 0;
    const periodic = new Periodic('test', () => {
      calls++;
      if (calls === 1) throw new Error('thrown before any await');
      return Promise.resolve();
    });
    await periodic.runOnce();
    await periodic.runOnce();
    await periodic.runOnce();
    expect(calls).toBe(3);
  });

  it('answers the running pass to a second call, and stop() waits for it; no pass starts after stop()', async () => {
    let finish!: () => void;
    let calls = 0;
    const periodic = new Periodic('test', () => {
      calls++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = periodic.runOnce();
    const second = periodic.runOnce();
    await Promise.resolve();
    expect(calls).toBe(1);
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    expect(periodic.stopping).toBe(true);
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await Promise.all([first, second, stopping]);
    expect(stopped).toBe(true);
    await periodic.runOnce();
    expect(calls).toBe(1);
  });
});
