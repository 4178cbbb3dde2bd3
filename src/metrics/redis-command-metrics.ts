import { tracingChannel } from 'node:diagnostics_channel';
import { Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisClient, commandLabel, isBlockingCommand } from '../redis/redis-client.js';
import { Metrics } from './metrics.js';

/** What ioredis publishes on its `ioredis:command` tracing channel, plus the start time this class adds. */
interface CommandContext {
  command: string;
  args: string[];
  error?: Error;
  startedAt?: number;
}

/**
 * Redis command latency and errors, from ioredis' diagnostics channel: no wrapper around the client, and nothing
 * runs when no one subscribes. The channel is process-wide, so BullMQ's own commands show up too, under their names
 * (its blocking wait is `bzpopmin`); the service's Lua scripts are labelled by script name. ioredis traces a command
 * when it is written, so commands refused while Redis is unreachable are not in it: the client's connection errors
 * are counted for that.
 */
@Injectable()
export class RedisCommandMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly channel = tracingChannel<unknown, CommandContext>('ioredis:command');
  private readonly handlers = {
    start: (context: CommandContext) => {
      context.startedAt = performance.now();
    },
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (context: CommandContext) => {
      // A blocking command (BullMQ's wait for the next job) takes as long as it was told to wait: not latency.
      if (context.startedAt === undefined || isBlockingCommand(context.command)) return;
      const command = commandLabel(context.command, context.args[0]);
      this.metrics.observeRedisCommand(command, (performance.now() - context.startedAt) / 1000, context.error);
    },
    error: () => undefined,
  };

  private readonly onConnectionError = () => this.metrics.countRedisConnectionError();

  constructor(
    private readonly metrics: Metrics,
    private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    this.channel.subscribe(this.handlers);
    // A cluster client reports a failing node as 'node error' (its 'error' is for the whole cluster failing).
    this.redis.on('error', this.onConnectionError);
    this.redis.on('node error', this.onConnectionError);
  }

  onApplicationShutdown(): void {
    this.channel.unsubscribe(this.handlers);
    this.redis.off('error', this.onConnectionError);
    this.redis.off('node error', this.onConnectionError);
  }
}
