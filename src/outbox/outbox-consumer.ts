import { Injectable } from '@nestjs/common';
import type { OutboxEvent } from './outbox.codec.js';

/** One attempt at one delivery: which try it is, and since when the delivery has been tried (for consumers' records). */
export interface DeliveryAttempt {
  /** 1 on the first try. */
  readonly number: number;
  /** What the consumer split the event into (targets()): e.g. a webhook endpoint id; '' for a single delivery. */
  readonly target: string;
  /** When the delivery was handed over (epoch ms). */
  readonly since: number;
}

/**
 * What a delivery came to: done; failed for now (tried again with exponential backoff and jitter, or after
 * `retryAfterMs` when the receiver said so, for OUTBOX_RETRY_FOR_MS); or failed for good (never tried again).
 * A delivery that throws counts as `retry`.
 */
export type DeliveryResult =
  | { readonly status: 'done' }
  | { readonly status: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly status: 'final'; readonly reason: string };

/**
 * A way out of the service for domain events (webhooks, email), fed by the outbox relay. Each consumer gets one
 * delivery job per event it wants (per target, when it splits events), with its own retries; a job is keyed by
 * consumer, target and event id, so handing an event over twice delivers it once. Delivery is at least once: a
 * process that dies during `deliver` has the job run again, so `deliver` must be safe to repeat (receivers
 * deduplicate by the event id, email by its Message-ID).
 */
export abstract class OutboxConsumer {
  /** Names its jobs: lowercase letters, digits and dashes. */
  abstract readonly name: string;

  /** Whether this consumer has anything to do with the event at all (cheap: no I/O). */
  abstract wants(event: OutboxEvent): boolean;

  /**
   * The event types this consumer may want now (a superset of what wants() accepts is fine); null: any type. The
   * relay asks after it has fixed which entries it reads (the last one in each stream), so what was registered before
   * those entries were appended is counted, and removes the entries no consumer wants without reading them
   * (take-outbox-1.lua): a service nobody listens to pays almost nothing for its outbox.
   */
  interest(): Promise<readonly string[] | null> {
    return Promise.resolve(null);
  }

  /**
   * The independent deliveries of one event (e.g. one per subscribed webhook endpoint), each retried on its own.
   * Called by the relay at hand-over; the default is one delivery with target ''.
   */
  targets(event: OutboxEvent): Promise<readonly string[]> {
    void event;
    return Promise.resolve(['']);
  }

  /**
   * The targets of several events at once (the relay calls this once per batch it read): a consumer whose targets
   * need a lookup (webhooks: the endpoints) overrides it to look up once per batch, not once per event. The lookup
   * runs after the batch was read, so it sees everything registered before those events were appended.
   */
  targetsOf(events: readonly OutboxEvent[]): Promise<readonly (readonly string[])[]> {
    return Promise.all(events.map((event) => this.targets(event)));
  }

  abstract deliver(event: OutboxEvent, attempt: DeliveryAttempt): Promise<DeliveryResult>;

  /** Told when a delivery is given up after failing for OUTBOX_RETRY_FOR_MS (not after a `final` result). */
  gaveUp(event: OutboxEvent, attempt: DeliveryAttempt, reason: string): Promise<void> {
    void event;
    void attempt;
    void reason;
    return Promise.resolve();
  }
}

/**
 * The consumers this process delivers for, registered by their modules at init (like ReminderChecks); a module that
 * is loaded only under some configuration (mail, with SMTP_URL) registers only there. Which consumers exist at all is
 * what processes announce in Redis (OutboxDeliveries), not this list: the relay hands over for every announced one.
 */
@Injectable()
export class OutboxConsumers {
  private readonly consumers = new Map<string, OutboxConsumer>();
  private readonly listeners: ((consumer: OutboxConsumer) => void)[] = [];

  register(consumer: OutboxConsumer): void {
    if (!/^[a-z0-9-]+$/.test(consumer.name)) throw new Error(`outbox consumer name ${consumer.name}: [a-z0-9-]+`);
    this.consumers.set(consumer.name, consumer);
    for (const listener of this.listeners) listener(consumer);
  }

  /** Called for each consumer registered from now on (the delivery worker starts one for it). */
  onRegister(listener: (consumer: OutboxConsumer) => void): void {
    this.listeners.push(listener);
  }

  get(name: string): OutboxConsumer | undefined {
    return this.consumers.get(name);
  }

  all(): OutboxConsumer[] {
    return [...this.consumers.values()];
  }
}
