import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { tracingChannel } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_STORED_PROCEDURE_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_HEADER,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
} from 'fastify';
import { commandLabel } from '../redis/redis-client.js';

export interface RequestTracerOptions {
  /** The collector's OTLP/HTTP base URL; spans go to `<endpoint>/v1/traces` as JSON. */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Told when a batch of spans could not be delivered (the spans are then dropped). */
  readonly onExportFailure: (error: Error | undefined) => void;
}

/** Probes and scrapes: traced, they would be most of the traces and say nothing. */
const UNTRACED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/** Methods semantic conventions call known; anything else is recorded as `_OTHER`. */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/** The longest attribute value exported (a path can be as long as Node's header limit allows). */
const ATTRIBUTE_VALUE_LIMIT = 1024;

/** How long shutdown waits for the last spans to reach the collector. */
const SHUTDOWN_FLUSH_MS = 2000;

const SPAN: unique symbol = Symbol('redis command span');

/** What ioredis 6 publishes on `ioredis:command` (built/tracing.js), plus the span this class adds. */
interface TracedRequest {
  readonly span: Span;
  readonly response: ServerResponse;
}

interface CommandContext {
  command: string;
  /** Argument values: never recorded (they hold user data); only a script's SHA1 is read, to name it. */
  args: unknown[];
  database?: number;
  serverAddress?: string;
  serverPort?: number;
  error?: Error;
  [SPAN]?: Span;
}

/**
 * Spans of HTTP requests and of the Redis commands they send, exported over OTLP/HTTP (JSON). Only loaded, and only
 * constructed, when an endpoint is configured (see tracing.ts): when tracing is off, no hook and no channel
 * subscriber of it exists.
 *
 * A request's server span is kept in an AsyncLocalStorage from its first hook on, so the Redis commands its handler
 * sends (seen on ioredis' tracing channel, which publishes in the caller's async context) become children of that
 * span and of no other request's. The store is this instance's own: nothing is registered globally with the
 * OpenTelemetry API, so several apps in one process (the tests) keep apart.
 */
export class RequestTracer {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly current = new AsyncLocalStorage<Context>();
  private readonly requests = new WeakMap<FastifyRequest, TracedRequest>();
  private readonly channel = tracingChannel<unknown, CommandContext>('ioredis:command');
  private readonly handlers = {
    start: (command: CommandContext) => this.startCommand(command),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (command: CommandContext) => this.endCommand(command),
    error: () => undefined,
  };
  private subscribed = false;

  constructor(options: RequestTracerOptions) {
    const exporter = new ReportingExporter(
      new OTLPTraceExporter({ url: new URL('v1/traces', withTrailingSlash(options.endpoint)).href }),
      options.onExportFailure,
    );
    this.provider = new TracerProvider({
      resource: defaultResource().merge(
        resourceFromAttributes({
          [ATTR_SERVICE_NAME]: options.serviceName,
          // Tells apart the processes of one service (instances, CLUSTER_WORKERS copies).
          [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
        }),
      ),
      spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT },
      spanProcessors: [new BatchSpanProcessor({ exporter })],
    });
    this.tracer = this.provider.getTracer('booking-service');
  }

  /** Adds the request hooks (before every other hook, so that they all run in the request's context). */
  register(fastify: FastifyInstance): void {
    const startServerSpan: onRequestHookHandler = (request, reply, done) => {
      const route = request.routeOptions.url;
      if (route !== undefined && UNTRACED_ROUTES.has(route)) return done();
      const parent = this.propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
      const known = KNOWN_METHODS.has(request.method);
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: known ? request.method : '_OTHER',
        [ATTR_URL_PATH]: pathOf(request.url),
        [ATTR_URL_SCHEME]: request.protocol,
        [ATTR_HTTP_RESPONSE_HEADER('x-request-id')]: [request.id],
      };
      if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
      if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
      const method = known ? request.method : 'HTTP';
      const span = this.tracer.startSpan(
        route === undefined ? method : `${method} ${route}`,
        { kind: SpanKind.SERVER, attributes },
        parent,
      );
      void reply.header('x-trace-id', span.spanContext().traceId);
      // A caller that did not sample its trace gets its trace id back, and nothing is recorded.
      if (!span.isRecording()) return done();
      this.requests.set(request, { span, response: reply.raw });
      // Everything after this hook runs in the request's context: the later hooks and the handler directly, and a
      // body that arrives later too (Fastify's body parser carries the request's async context over to it).
      this.current.run(trace.setSpan(parent, span), done);
    };
    const endServerSpan: onResponseHookHandler = (request, reply, done) => {
      this.endRequest(request, reply.statusCode);
      done();
    };
    // The client went away before the answer was complete: no onResponse follows.
    const endAbortedSpan: onRequestAbortHookHandler = (request, done) => {
      this.endRequest(request, 'aborted');
      done();
    };
    fastify.addHook('onRequest', startServerSpan);
    fastify.addHook('onResponse', endServerSpan);
    fastify.addHook('onRequestAbort', endAbortedSpan);
    this.channel.subscribe(this.handlers);
    this.subscribed = true;
  }

  /** Sends every ended span now (tests; shutdown does it too). */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.subscribed) this.channel.unsubscribe(this.handlers);
    this.subscribed = false;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref();
    });
    // An unreachable collector must not hold the shutdown up for the exporter's whole timeout.
    await Promise.race([this.provider.shutdown().catch(() => undefined), bound]);
    clearTimeout(timer);
  }

  private endRequest(request: FastifyRequest, status: number | 'aborted'): void {
    const traced = this.requests.get(request);
    if (traced === undefined) return;
    this.requests.delete(request);
    const { span, response } = traced;
    // A stream the client closes (SSE) had its answer: that is its normal end, not an abort.
    if (status === 'aborted' && response.headersSent) status = response.statusCode;
    if (status === 'aborted') {
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    } else {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // Semantic conventions: a 4xx is the client's doing, not a failed server span.
      if (status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end();
  }

  private startCommand(command: CommandContext): void {
    // Commands outside a traced request (sweepers, the reminder worker, another app in the process) get no span.
    const parent = this.current.getStore();
    if (parent === undefined) return;
    const operation = command.command.toUpperCase();
    const attributes: Attributes = {
      [ATTR_DB_SYSTEM_NAME]: 'redis',
      [ATTR_DB_OPERATION_NAME]: operation,
      [ATTR_DB_NAMESPACE]: String(command.database ?? 0),
      [ATTR_SERVER_ADDRESS]: command.serverAddress,
      [ATTR_SERVER_PORT]: command.serverPort,
    };
    const script = scriptName(command);
    if (script !== undefined) attributes[ATTR_DB_STORED_PROCEDURE_NAME] = script;
    command[SPAN] = this.tracer.startSpan(
      script === undefined ? operation : `${operation} ${script}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
  }

  private endCommand(command: CommandContext): void {
    const span = command[SPAN];
    if (span === undefined) return;
    const error = command.error;
    if (error !== undefined) {
      // Only the error's class: a message may quote a value.
      const prefix = error.name === 'ReplyError' ? /^[A-Z]+/.exec(error.message)?.[0] : undefined;
      if (prefix !== undefined) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, prefix);
      span.setAttribute(ATTR_ERROR_TYPE, prefix ?? (error.message === 'Command timed out' ? 'timeout' : error.name));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/**
 * The Lua script a command runs: the service's scripts by name (commandLabel), another EVALSHA (BullMQ's) by its
 * SHA1 digest, as semantic conventions allow. An unknown EVAL's first argument is the script's source: not recorded.
 */
function scriptName(command: CommandContext): string | undefined {
  const name = command.command.toLowerCase();
  if (name !== 'evalsha' && name !== 'eval') return undefined;
  const label = commandLabel(name, command.args[0]);
  if (label !== name) return label;
  return name === 'evalsha' ? String(command.args[0]) : undefined;
}

/** The path without the query string (which may carry tokens: `?access_token=` of live updates). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Passes spans on to the OTLP exporter and tells when a batch is lost (the SDK itself only logs to its diag API). */
class ReportingExporter implements SpanExporter {
  constructor(
    private readonly exporter: SpanExporter,
    private readonly onFailure: (error: Error | undefined) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.onFailure(result.error);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
