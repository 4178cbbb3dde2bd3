import { tracingChannel } from 'node:diagnostics_channel';
import { Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RedisClient, commandLabel, isBlockingCommand, observeCommands } from '../redis/redis-client.js';
import { Metrics } from './metrics.js';

/** What ioredis publishes on its `ioredis:command` tracing channel, plus the start time this class adds. */
interface CommandContext {
  command: string;
  args: string[];
  error?: Error;
  startedAt?: number;
}

/**
 * Redis command latency and errors. The service's own single-Redis client reports each command it writes when it
 * settles (observeCommands); everything else comes from ioredis' diagnostics channel, which is process-wide, so
 * BullMQ's own commands show up too, under their names (its blocking wait is `bzpopmin`), as do a cluster's. The
 * service's Lua scripts are labelled by script name. Either way a command counts once it is written, so commands
 * refused while Redis is unreachable are not in it: the client's connection errors are counted for that.
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

  /** The service's own commands on one Redis, timed by the client itself (see onModuleInit). */
  private readonly onCommand = (name: string, firstArg: unknown, startedAt: number, error?: Error) => {
    if (isBlockingCommand(name)) return;
    const label = commandLabel(name, firstArg);
    this.metrics.observeRedisCommand(label, (performance.now() - startedAt) / 1000, error);
  };

  private readonly onConnectionError = () => this.metrics.countRedisConnectionError();

  constructor(
    private readonly metrics: Metrics,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.channel.subscribe(this.handlers);
    // The service's own client on one Redis reports its commands directly, which costs a fraction of the channel
    // (docs/performance.md, issue 15); BullMQ's connections and a cluster's nodes stay on the channel. With tracing on,
    // every command stays on the channel, where the tracer makes its spans.
    if (this.config.otelExporterOtlpEndpoint === undefined) observeCommands(this.redis, this.onCommand);
    // A cluster client reports a failing node as 'node error' (its 'error' is for the whole cluster failing).
    this.redis.on('error', this.onConnectionError);
    this.redis.on('node error', this.onConnectionError);
  }

  onApplicationShutdown(): void {
    this.channel.unsubscribe(this.handlers);
    observeCommands(this.redis, undefined);
    this.redis.off('error', this.onConnectionError);
    this.redis.off('node error', this.onConnectionError);
  }
}
