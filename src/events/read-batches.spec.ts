import { ReadBatches } from './read-batches.js';

/** Readers of one key share the next read, never one sent before they arrived. */
describe('ReadBatches', () => {
  function controlled() {
    const sent: { resolve: (value: number) => void; reject: (error: unknown) => void }[] = [];
    const read = () => new Promise<number>((resolve, reject) => sent.push({ resolve, reject }));
    return { sent, read };
  }

  it('sends one read, then one more for everyone who arrived while it ran', async () => {
    const batches = new ReadBatches<number>();
    const { sent, read } = controlled();
    const first = batches.run('e', read);
    const later = [batches.run('e', read), batches.run('e', read), batches.run('e', read)];
    expect(sent).toHaveLength(1);
    sent[0].resolve(1);
    expect(await first).toBe(1);
    await Promise.resolve();
    expect(sent).toHaveLength(2);
    sent[1].resolve(2);
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
    // Nothing running: the next caller sends its own read at once.
    const again = batches.run('e', read);
    expect(sent).toHaveLength(3);
    sent[2].resolve(3);
    expect(await again).toBe(3);
  });

  it('keeps keys apart and passes a failure to the batch it belongs to only', async () => {
    const batches = new ReadBatches<number>();
    const { sent, read } = controlled();
    const a = batches.run('a', read);
    const b = batches.run('b', read);
    const a2 = batches.run('a', read);
    expect(sent).toHaveLength(2);
    sent[0].reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    sent[1].resolve(7);
    expect(await b).toBe(7);
    await Promise.resolve();
    sent[2].resolve(8);
    expect(await a2).toBe(8);
  });
});
