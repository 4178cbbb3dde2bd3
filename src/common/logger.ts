import type { LoggerService } from '@nestjs/common';
import { pino } from 'pino';
import type { Bindings, ChildLoggerOptions, LevelWithSilent, Logger, LogFn } from 'pino';
import type { LogLevel } from '../config/app-config.js';

/**
 * One pino logger for the process: Fastify logs requests through it (every line of a request carries its
 * requestId) and Nest's own messages go through the adapter below, so all output is one JSON stream.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'booking-service' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

type LineLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * The per-request logger Fastify asks for (its `childLoggerFactory`): pino's child(), made only when a line is
 * written. pino serialises a child's bindings (through the redaction) the moment it is made, about 1.5 µs per request
 * on the hold path (docs/performance.md), while at LOG_LEVEL=warn almost no request writes a line. Lines that are
 * written are the child's own: same bindings (requestId), same level, same output.
 */
export class LazyRequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  readonly fatal = this.method('fatal');
  readonly error = this.method('error');
  readonly warn = this.method('warn');
  readonly info = this.method('info');
  readonly debug = this.method('debug');
  readonly trace = this.method('trace');
  readonly silent: LogFn = () => undefined;

  get level(): LevelWithSilent | string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: LevelWithSilent | string) {
    this.logger().level = level;
  }

  isLevelEnabled(level: string): boolean {
    const values = this.parent.levels.values;
    return (values[level] ?? Infinity) >= (values[this.level] ?? Infinity);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }

  private logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  private method(level: LineLevel): LogFn {
    return ((...args: Parameters<LogFn>) => {
      if (this.isLevelEnabled(level)) this.logger()[level](...args);
    }) as LogFn;
  }
}
