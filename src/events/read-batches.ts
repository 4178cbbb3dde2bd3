interface Slot<T> {
  /** The read that callers arriving now will share, sent when the running one ends. */
  queued?: {
    read: () => Promise<T>;
    resolve: (value: T) => void;
    reject: (error: unknown) => void;
    promise: Promise<T>;
  };
}

/**
 * One read per key at a time: callers that arrive while a read of their key runs share the next one, which is sent
 * when the running one ends. Each caller's answer comes from a read sent after it arrived, so it includes every
 * change acknowledged before it asked (joining the running read could miss one); and a crowd of readers of one
 * large event (50 requests for 20,000 seat states) costs two reads instead of fifty.
 */
export class ReadBatches<T> {
  private readonly slots = new Map<string, Slot<T>>();

  run(key: string, read: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) {
      const fresh: Slot<T> = {};
      this.slots.set(key, fresh);
      return this.send(key, fresh, read);
    }
    if (!slot.queued) {
      let resolve!: (value: T) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      slot.queued = { read, resolve, reject, promise };
    }
    return slot.queued.promise;
  }

  private send(key: string, slot: Slot<T>, read: () => Promise<T>): Promise<T> {
    const sent = read();
    const next = () => {
      const queued = slot.queued;
      if (!queued) {
        this.slots.delete(key);
        return;
      }
      slot.queued = undefined;
      this.send(key, slot, queued.read).then(queued.resolve, queued.reject);
    };
    sent.then(next, next);
    return sent;
  }
}
