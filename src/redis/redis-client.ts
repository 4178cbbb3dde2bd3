import { createHash } from 'node:crypto';
import { Cluster, Command, Redis } from 'ioredis';
import type { ChainableCommander, RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { scriptLabel } from './lua-scripts.js';

/**
 * The injection token and type of the one Redis connection. Declaration merging makes it carry ioredis' command
 * typings while being a class Nest can use as a token; only src/redis and redis-*.repository.ts files use it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class RedisClient {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RedisClient extends Redis {}

export interface RedisClientOptions {
  /** One Redis, or (when clusterNodes is not empty) ignored. */
  readonly url: string;
  /** Redis Cluster seed nodes: host:port or redis[s]:// URLs. */
  readonly clusterNodes?: readonly string[];
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly name?: string;
  readonly autoPipelining?: boolean;
}

export function redisOptionsFrom(config: AppConfig): RedisClientOptions {
  const clusterNodes = config.redisClusterNodes;
  if (!config.redisUrl && clusterNodes.length === 0)
    throw new Error('REDIS_URL must be resolved before the app is created');
  return {
    url: config.redisUrl ?? '',
    clusterNodes,
    keyPrefix: config.redisKeyPrefix,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    autoPipelining: config.redisAutoPipelining,
  };
}

/**
 * A client that fails fast instead of hanging: every command has a timeout (a paused Redis never answers), and a
 * command waiting for a reconnect gives up after one retry, so callers see 503 within a bounded time and the client
 * keeps reconnecting in the background until Redis is back. With cluster nodes it is an ioredis Cluster client with
 * the same bounds; every multi-key script, MULTI and pipeline of the service stays within one hash slot.
 */
export function createRedisClient(options: RedisClientOptions, onError?: (error: Error) => void): RedisClient {
  const connection: ConnectionOptions = {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs, 1000),
    maxRetriesPerRequest: 1,
    connectionName: options.name ?? 'booking-service',
  };
  const client = options.clusterNodes?.length
    ? createCluster(options.clusterNodes, connection, options)
    : new CoalescingRedis(options.url, {
        ...connection,
        keyPrefix: options.keyPrefix,
        retryStrategy: backoff,
        lazyConnect: true,
        enableAutoPipelining: options.autoPipelining ?? false,
      });
  client.on('error', (error: Error) => onError?.(error));
  // A cluster reports a failing node as 'node error' ('error' only when the whole cluster fails).
  client.on('node error', (error: Error) => onError?.(error));
  return client as RedisClient;
}

/**
 * Writes the commands issued during one turn of the event loop in one socket write: the socket is corked at the
 * first command of a turn and uncorked by setImmediate, after every I/O callback of the turn has run (under load,
 * many requests' commands; at rest, one request's). A write is a syscall, and syscalls were the largest single cost
 * of a hold (docs/performance.md). Unlike ioredis' auto-pipelining nothing else changes: each command is sent, and
 * gets its timeout, as it is issued, in its own async context, with no wait for an earlier batch's answers.
 */
class CoalescingRedis extends Redis {
  private corked: { uncork(): void } | undefined;
  observer: CommandObserver | undefined;

  override sendCommand(...args: Parameters<Redis['sendCommand']>): ReturnType<Redis['sendCommand']> {
    const [command, stream] = args;
    const observer = this.observer;
    // Only what ioredis would write now (and trace): a command refused while Redis is away is not a round trip.
    if (observer !== undefined && !stream && this.status === 'ready' && this.stream?.writable && !command.isTraced) {
      // ioredis traces a command only when it is not marked traced yet: this one is timed here instead.
      command.isTraced = true;
      const startedAt = performance.now();
      command.promise.then(
        () => observer(command.name, command.args[0], startedAt),
        (error: Error) => observer(command.name, command.args[0], startedAt, error),
      );
    }
    if (!this.corked && !stream && this.status === 'ready') {
      const socket = this.stream;
      socket.cork();
      this.corked = socket;
      setImmediate(() => {
        this.corked = undefined;
        socket.uncork();
      });
    }
    return super.sendCommand(...args);
  }
}

/**
 * Told of a command the client wrote once it settled: its name and first argument (a script's SHA) as sent, and
 * performance.now() when it was sent.
 */
export type CommandObserver = (name: string, firstArg: unknown, startedAt: number, error?: Error) => void;

/**
 * Times the commands of `client` with `observer` instead of ioredis' `ioredis:command` tracing channel, which then
 * skips them (undefined: back to the channel). The channel costs several µs per command (two promises, a context with
 * every argument turned into a string, five publishes; docs/performance.md), a then() on the command's own promise a
 * fraction of that. Only the single-Redis client can: false for a cluster client, whose node connections are
 * ioredis' own.
 */
export function observeCommands(client: RedisClient, observer: CommandObserver | undefined): boolean {
  if (!(client instanceof CoalescingRedis)) return false;
  client.observer = observer;
  return true;
}

/** Reconnect delays: 100 ms, 200 ms, ... up to 2 s between attempts, forever. */
function backoff(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}

/** The part of ioredis' Cluster offline queue (a Denque) that BoundedCluster uses. */
interface OfflineQueue {
  readonly length: number;
  peekAt(index: number): { command: object } | undefined;
  removeOne(index: number): unknown;
}

type ConnectionOptions = Pick<
  RedisOptions,
  'commandTimeout' | 'connectTimeout' | 'maxRetriesPerRequest' | 'connectionName'
>;

function createCluster(nodes: readonly string[], connection: ConnectionOptions, options: RedisClientOptions): Cluster {
  const { startupNodes, auth } = clusterSeeds(nodes);
  const commandTimeoutMs = options.commandTimeoutMs;
  /**
   * ioredis applies commandTimeout only once a command is written to a node; while the cluster is (re)connecting,
   * commands wait in its offline queue. Starting the timer as the command enters keeps the 503-within-timeout promise,
   * and a command that timed out leaves the queue: otherwise the queue would grow for as long as the cluster is away,
   * and a write the client was told failed (503) would still run when it comes back.
   */
  class BoundedCluster extends Cluster {
    override sendCommand(...args: Parameters<Cluster['sendCommand']>): ReturnType<Cluster['sendCommand']> {
      const [command] = args;
      command.setTimeout(commandTimeoutMs);
      const result = super.sendCommand(...args);
      command.promise.catch(() => this.forget(command));
      return result;
    }

    private forget(command: object): void {
      const queue = (this as unknown as { offlineQueue: OfflineQueue }).offlineQueue;
      for (let i = 0; i < queue.length; i++) {
        if (queue.peekAt(i)?.command === command) {
          queue.removeOne(i);
          return;
        }
      }
    }
  }
  return new BoundedCluster(startupNodes, {
    keyPrefix: options.keyPrefix,
    lazyConnect: true,
    enableAutoPipelining: options.autoPipelining ?? false,
    clusterRetryStrategy: backoff,
    slotsRefreshTimeout: Math.max(commandTimeoutMs, 1000),
    redisOptions: { ...connection, ...auth },
  });
}

interface SeedNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
  db: number;
}

/** A Redis address as `host:port` or a `redis[s]://[user:pass@]host:port[/db]` URL. */
export function parseNode(node: string): SeedNode {
  const url = new URL(/^rediss?:\/\//.test(node) ? node : `redis://${node}`);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:',
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
  };
}

/**
 * What every cluster client of the service starts from (the service's own, BullMQ's): the seed nodes, and the first
 * entry's user, password and TLS, which apply to every node.
 */
export function clusterSeeds(nodes: readonly string[]): {
  startupNodes: { host: string; port: number }[];
  auth: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
} {
  const seeds = nodes.map(parseNode);
  const { username, password, tls } = seeds[0];
  return {
    startupNodes: seeds.map(({ host, port }) => ({ host, port })),
    auth: { username, password, tls: tls ? {} : undefined },
  };
}

/** A second connection like `client` (same nodes, options), e.g. for pub/sub, with some options replaced. */
export function duplicateClient(client: RedisClient, overrides: Partial<RedisOptions>): RedisClient {
  const source = client as unknown as Redis | Cluster;
  if (source instanceof Cluster) return source.duplicate([], overrides) as unknown as RedisClient;
  return source.duplicate(overrides) as RedisClient;
}

/** The connections a command can be sent to directly: the masters of a cluster, or the one Redis. */
export function masterNodes(client: RedisClient): RedisClient[] {
  const source = client as unknown as Redis | Cluster;
  return (source instanceof Cluster ? source.nodes('master') : [source]) as RedisClient[];
}

/** Whether a command blocks until data arrives (BullMQ's wait for jobs): its duration is a wait, not latency. */
export function isBlockingCommand(name: string): boolean {
  return Command.checkFlag('BLOCKING_COMMANDS', name);
}

/** What a command is called in metrics: its name, or for EVALSHA the name of the service's script it runs. */
export function commandLabel(command: string, firstArg: unknown): string {
  const name = command.toLowerCase();
  if (name === 'evalsha') return scriptLabel(String(firstArg)) ?? name;
  // EVAL is what ioredis sends once after NOSCRIPT (a Redis that restarted or a new connection): same script.
  if (name === 'eval') return scriptLabel(createHash('sha1').update(String(firstArg)).digest('hex')) ?? name;
  return name;
}

/**
 * Several reads in one round trip, as a pipeline: their results in order, or the first command's error (a pipeline
 * resolves with per-command errors instead of rejecting). Not MULTI: Redis out of memory refuses every command queued
 * in a MULTI, reads included, and reading must keep working then.
 */
export async function readAll(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
