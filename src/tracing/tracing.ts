import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import type { RequestTracer } from './request-tracer.js';

/** At most one "spans lost" warning per this many milliseconds: a collector that is down fails every batch. */
const EXPORT_WARNING_INTERVAL_MS = 60_000;

/**
 * OpenTelemetry traces of HTTP requests and their Redis commands, on when OTEL_EXPORTER_OTLP_ENDPOINT is set. When it
 * is not, this is all there is: the SDK is not even loaded (it costs a few hundred milliseconds and tens of MB at
 * start), no hook is added and ioredis' tracing channel gets no subscriber from it.
 */
@Injectable()
export class Tracing implements OnApplicationShutdown {
  private readonly logger = new Logger('Tracing');
  private tracer: RequestTracer | undefined;
  private lastWarning = -Infinity;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** Called by createApp before it adds any other hook. */
  async register(fastify: FastifyInstance): Promise<void> {
    const endpoint = this.config.otelExporterOtlpEndpoint;
    if (endpoint === undefined || this.tracer !== undefined) return;
    const { RequestTracer } = await import('./request-tracer.js');
    this.tracer = new RequestTracer({
      endpoint,
      serviceName: this.config.otelServiceName,
      onExportFailure: (error) => this.warnExportFailure(error),
    });
    this.tracer.register(fastify);
    this.logger.log(`tracing on: spans go to ${endpoint} as ${this.config.otelServiceName}`);
  }

  /** Sends the spans of finished requests now, instead of within the next 5 s (tests). */
  async flush(): Promise<void> {
    await this.tracer?.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracer?.shutdown();
  }

  private warnExportFailure(error: Error | undefined): void {
    const now = performance.now();
    if (now - this.lastWarning < EXPORT_WARNING_INTERVAL_MS) return;
    this.lastWarning = now;
    this.logger.warn(`spans could not be sent to the collector and were dropped: ${error?.message ?? 'unknown error'}`);
  }
}
