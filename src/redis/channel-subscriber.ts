import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { RedisClient, duplicateClient } from './redis-client.js';

/** Given a channel as keys.ts builds it (without the client's key prefix) and the message published on it. */
export type ChannelDispatch = (channel: string, message: string) => void;

interface Route {
  readonly pattern: string;
  readonly dispatch: ChannelDispatch;
  /** Whether anyone still listens: a failed subscription is only retried then. */
  readonly wanted: () => boolean;
}

/**
 * One pattern subscription per instance for every channel pattern its modules route here (the seat channels of
 * events, the user channels of notifications), on one connection opened at the first listener, so instances without
 * listeners hold no extra connection. Pub/sub messages reach every instance (and every node of a Redis Cluster),
 * which is what lets a change made through instance A reach a client connected to instance B.
 */
@Injectable()
export class ChannelSubscriber implements OnModuleDestroy {
  private readonly logger = new Logger('LiveEvents');
  private readonly prefix: string;
  private readonly routes: Route[] = [];
  private subscriber: RedisClient | undefined;
  private subscribed: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  /** Set at shutdown: a subscription that fails then (the disconnect rejects it) is not retried. */
  private destroyed = false;

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    this.prefix = redis.options.keyPrefix ?? '';
  }

  /** Sends the messages of the channels matching `pattern` (keys.ts' builder given '*') to `dispatch`. */
  route(pattern: string, dispatch: ChannelDispatch, wanted: () => boolean): void {
    this.routes.push({ pattern, dispatch, wanted });
    // Routes are added as their owners are built, before any listener; a late one joins the open subscription.
    this.subscriber?.psubscribe(this.prefix + pattern).catch((error: Error) => {
      this.logger.warn(`could not subscribe to ${pattern}: ${error.message}`);
    });
  }

  /** Opens the subscription unless it is open (or opening). */
  ensureSubscribed(): void {
    if (this.subscriber) return;
    const subscriber = duplicateClient(this.redis, { keyPrefix: '', lazyConnect: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.debug(`subscriber: ${error.message}`));
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      const route = this.routes.find((r) => this.prefix + r.pattern === pattern);
      route?.dispatch(channel.slice(this.prefix.length), message);
    });
    this.subscribed = subscriber.psubscribe(...this.routes.map((r) => this.prefix + r.pattern)).then(
      () => undefined,
      (error: Error) => {
        // ioredis re-subscribes after a reconnect only what Redis confirmed: a subscription that failed is gone.
        // Start over with a new connection, now if listeners are waiting (and again until it works).
        this.logger.warn(`could not subscribe (${error.message}); retrying in 1 s`);
        subscriber.disconnect();
        this.subscriber = undefined;
        clearTimeout(this.retry);
        if (this.destroyed) throw error;
        this.retry = setTimeout(() => {
          if (this.routes.some((r) => r.wanted())) this.ensureSubscribed();
        }, 1000);
        this.retry.unref();
        // Whoever waits for it learns it failed: a stream that took the failure for "listening" would call itself
        // caught up and then miss every change published before the retry.
        throw error;
      },
    );
    this.subscribed.catch(() => undefined); // nobody waiting is no unhandled rejection
  }

  /**
   * Resolves once what is published from now on reaches the listeners registered so far (the first listener of an
   * instance opens the subscription, which takes a round trip, longer on Redis Cluster). Rejects when that
   * subscription failed: it is retried (a new listener starts a new attempt at once), and the caller says "try again".
   */
  listening(): Promise<void> {
    return this.subscribed;
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    clearTimeout(this.retry);
    this.subscriber?.disconnect();
  }
}

/** Listeners by id (an event's, a user's), for the owner of a channel to dispatch its messages to. */
export class ListenersById<T> {
  private readonly byId = new Map<string, Set<(value: T) => void>>();

  get size(): number {
    return this.byId.size;
  }

  add(id: string, listener: (value: T) => void): () => void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byId.delete(id);
    };
  }

  emit(id: string, value: T): void {
    for (const listener of this.byId.get(id) ?? []) listener(value);
  }
}
