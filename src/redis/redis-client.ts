import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';

/**
 * The injection token and type of the one Redis connection. Declaration merging makes it carry ioredis' command
 * typings while being a class Nest can use as a token; only src/redis and redis-*.repository.ts files use it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class RedisClient {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RedisClient extends Redis {}

export interface RedisClientOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly name?: string;
  readonly autoPipelining?: boolean;
}

export function redisOptionsFrom(config: AppConfig): RedisClientOptions {
  if (!config.redisUrl) throw new Error('REDIS_URL must be resolved before the app is created');
  return {
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    autoPipelining: config.redisAutoPipelining,
  };
}

/**
 * A client that fails fast instead of hanging: every command has a timeout (a paused Redis never answers), and a
 * command waiting for a reconnect gives up after one retry, so callers see 503 within a bounded time and the client
 * keeps reconnecting in the background until Redis is back.
 */
export function createRedisClient(options: RedisClientOptions, onError?: (error: Error) => void): RedisClient {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs, 1000),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    lazyConnect: true,
    connectionName: options.name ?? 'booking-service',
    enableAutoPipelining: options.autoPipelining ?? false,
  });
  client.on('error', (error: Error) => onError?.(error));
  return client as RedisClient;
}

/**
 * Registers every `<name>-<numberOfKeys>.lua` file of a folder as a custom command named after the file in
 * camelCase, with `--!include <name>` lines replaced by the folder's include/<name>.lua. ioredis then runs it with EVALSHA and reloads it after a Redis restart (NOSCRIPT).
 */
export function defineLuaScripts(client: RedisClient, folder: URL): void {
  for (const file of readdirSync(folder)) {
    const match = /^([a-z][a-z0-9-]*)-(\d+)\.lua$/.exec(file);
    if (!match) continue;
    const name = match[1].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    // `--!include <name>` lines pull in include/<name>.lua: EVALSHA scripts cannot call each other.
    const lua = readFileSync(new URL(file, folder), 'utf8').replace(/^--!include ([a-z-]+)$/gm, (_, name: string) =>
      readFileSync(new URL(`include/${name}.lua`, folder), 'utf8'),
    );
    client.defineCommand(name, { numberOfKeys: Number(match[2]), lua });
  }
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
