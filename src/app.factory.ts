import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import type { Duplex } from 'node:stream';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { Clock } from './common/clock.js';
import { ProblemDoc } from './common/api-docs.js';
import { LazyRequestLogger, PinoNestLogger, createLogger } from './common/logger.js';
import { answerClientError } from './common/client-error.js';
import { ProblemFilter, sendProblem } from './common/problem.filter.js';
import { requestIdOf } from './common/request-id.js';
import { IdempotencyHooks } from './idempotency/idempotency.hooks.js';
import { Metrics } from './metrics/metrics.js';
import { Tracing } from './tracing/tracing.js';
import { serveWebApp } from './web/web-app.js';
import { WEBHOOK_DATA_SCHEMAS, webhookPayloadDocs } from './webhooks/webhook-payloads.js';
import { DomainError, ValidationFailedError } from './common/domain-error.js';
import { ErrorCode } from './common/error-codes.js';
import { AppValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';

export interface CreateAppOptions {
  readonly clock?: Clock;
}

/** No API body nests more than a few levels; deeper ones would only exhaust recursive validators. */
const MAX_JSON_DEPTH = 16;

/** Depth of a parsed JSON value, iteratively (a recursive walk would itself overflow on hostile input). */
function nestingDepth(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

type SecurityRequestHook = Parameters<FastifyAdapter['registerSecurityHook']>[0];

/**
 * Knows when the application begins to shut down: Nest calls beforeClose() first thing in app.close(), before any
 * lifecycle hook, and the hooks of createApp() read `draining` from then on. Also keeps the hook of
 * `app.useSecurityHeaders()`, for the answers written before Fastify's hooks run (router errors, client errors).
 */
class AppFastifyAdapter extends FastifyAdapter {
  draining = false;
  private headersHook: SecurityRequestHook | undefined;

  override beforeClose(): void {
    this.draining = true;
    super.beforeClose();
  }

  override registerSecurityHook(hook: SecurityRequestHook): void {
    this.headersHook = hook;
    super.registerSecurityHook(hook);
  }

  /** Sets the security headers on a response that Fastify's onRequest hooks never saw. */
  applySecurityHeaders(request: FastifyRequest | undefined, response: Parameters<SecurityRequestHook>[1]): void {
    // Without a request only the header part of the hook can run; no cross-origin protection is enabled here.
    this.headersHook?.(request as FastifyRequest, response);
  }

  /** The security headers as name → value, for an answer written straight to a socket. */
  securityHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    this.applySecurityHeaders(undefined, {
      setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
      removeHeader: (name: string) => delete headers[name.toLowerCase()],
    });
    return headers;
  }
}

/** One log line per request, when it completes (Fastify's default writes two, with whole header objects). */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log.info(line, 'request completed');
  }
}

/**
 * Builds the whole application (not yet listening). main.ts, the tests and the OpenAPI generator all use it.
 * The steps run in this order: each hook is registered after the ones before it, and Fastify runs them in that order.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const adapter = fastifyAdapter(config, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, clock: options.clock }),
    adapter,
    { logger: new PinoNestLogger(logger), bodyParser: false, abortOnError: false },
  );

  const fastify = app.getHttpAdapter().getInstance();
  // First, so that every later hook runs inside the request's span; adds nothing when tracing is off.
  await app.get(Tracing).register(fastify);
  parseJsonBodiesOnly(fastify);
  addDrainAndExpectHooks(fastify, adapter, config);
  app.get(IdempotencyHooks).register(fastify);
  observeRequests(fastify, app.get(Metrics));
  setSecurityHeadersAndCors(app, config);
  routeValidateAndAnswerProblems(app, config);
  serveApiDocs(app);
  await serveWebApp(app, logger);
  await app.init();
  return app;
}

/** Fastify with our logging, limits, proxy trust, and problem+json for what it refuses before any route. */
function fastifyAdapter(config: AppConfig, logger: Logger): AppFastifyAdapter {
  const adapter: AppFastifyAdapter = new AppFastifyAdapter({
    loggerInstance: logger,
    logController: new OneLinePerRequest({ requestIdLogLabel: 'requestId' }),
    childLoggerFactory: (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) =>
      new LazyRequestLogger(parent as Logger, bindings, options) as unknown as FastifyBaseLogger,
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
    // Errors Fastify's router raises before any route (over-long or malformed paths) answer problem+json too, with
    // the security headers (its onRequest hooks, which set them otherwise, never run for these).
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      adapter.applySecurityHeaders(request, reply.raw);
      sendProblem(error, request, reply, config);
    },
    // Requests Node's HTTP parser refuses (a control character in a header, Content-Length with Transfer-Encoding,
    // headers over 16 KiB) never become requests: answered on the socket, in the same form as everything else.
    clientErrorHandler: (error: Error, socket: Duplex) => {
      const answered = answerClientError(error, socket, adapter.securityHeaders(), config);
      // debug, as Fastify's own: one client sending junk must not fill the log.
      if (answered) logger.debug({ code: (error as { code?: string }).code, ...answered }, 'client error');
    },
    // Only the configured number of proxy hops may tell us the client address (rate limits key on it).
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    // Fastify's own 503 while closing is not problem+json and has no Retry-After; the onRequest hook below answers.
    return503OnClosing: false,
  });
  return adapter;
}

/** Bodies are JSON (or absent), parsed by Fastify's poisoning-safe parser and refused when nested too deep. */
function parseJsonBodiesOnly(fastify: FastifyInstance): void {
  // JSON only: without a parser for text/plain, such bodies are a 415 instead of a string reaching a DTO.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  // Many clients send "Content-Type: application/json" with no body on action routes (hold, reserve): an empty
  // body is no body, not a parse error. Anything else goes through Fastify's own (poisoning-safe) JSON parser.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') return done(null, undefined);
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      if (nestingDepth(value) > MAX_JSON_DEPTH) {
        return done(
          ValidationFailedError.field('body', `must not nest deeper than ${MAX_JSON_DEPTH} levels`),
          undefined,
        );
      }
      done(null, value);
    });
  });
}

/**
 * Every answer carries the request id; while the app shuts down, requests are turned away with 503 and their
 * connection closed; an `Expect` other than 100-continue is refused.
 */
function addDrainAndExpectHooks(fastify: FastifyInstance, adapter: AppFastifyAdapter, config: AppConfig): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // Shutting down: a request that arrives on a connection opened before (new ones are refused, see main.ts) is
    // turned away with 503 and the connection closed, so the client retries on another instance.
    if (adapter.draining) {
      void reply.header('connection', 'close');
      const error = new DomainError(ErrorCode.ServiceUnavailable, 'The service is shutting down; retry shortly');
      sendProblem(error, request, reply, config);
      return;
    }
    const expectation = request.headers.expect;
    if (expectation !== undefined && expectation.toLowerCase() !== '100-continue') {
      const error = new DomainError(ErrorCode.ExpectationFailed, 'Only "Expect: 100-continue" is supported');
      sendProblem(error, request, reply, config);
      return;
    }
    done();
  });
  // Node answers any other expectation with a bare 417 of its own unless told otherwise: hand such requests to
  // Fastify, whose hook above refuses them in the usual form.
  const server = fastify.server;
  server.on('checkExpectation', (request, response) => server.emit('request', request, response));
  // Requests already running when the shutdown began finish normally, but their connection is closed after the
  // answer: a kept-alive connection would otherwise hold the shutdown until it timed out.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (adapter.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/** One duration observation per answered request, by method, route pattern and status. */
function observeRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

function setSecurityHeadersAndCors(app: NestFastifyApplication, config: AppConfig): void {
  // helmet 8's headers (built into Nest 12). Swagger UI's page needs inline styles and data: images; the API sends
  // JSON only, so the policy is otherwise as strict as helmet's default. The web app at / fits in it as it is: its
  // scripts and styles are files from 'self' (no inline script), and its WebSocket and fetches go to 'self' (which
  // covers ws: and wss: of the same host), so nothing else is allowed.
  app.useSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // Served over plain HTTP on a LAN or localhost, forcing https would break Swagger UI's own scripts.
        'upgrade-insecure-requests': null,
      },
    },
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'idempotency-key',
        'if-match',
        'if-none-match',
        'x-request-id',
        'last-event-id',
      ],
      exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'x-trace-id', 'idempotent-replayed'],
      maxAge: 600,
    });
  }
}

/** Routes under /v1 (health, metrics and the problem type pages outside it), validated DTOs, and every error as problem+json. */
function routeValidateAndAnswerProblems(app: NestFastifyApplication, config: AppConfig): void {
  app.setGlobalPrefix('v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'problems', method: RequestMethod.GET },
      { path: 'problems/:code', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new ProblemFilter(config));
}

/** Swagger UI at /docs and the document at /docs/openapi.json and .yaml. */
function serveApiDocs(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Booking service')
    .setDescription(
      'Events and seats, appointments, restaurants and holiday bookings on one Redis. ' +
        'Errors are RFC 9457 application/problem+json with a stable `code` (see docs/errors.md). ' +
        'Date-times are ISO 8601; inputs must carry an offset or Z, responses are in UTC.',
    )
    .setVersion('1')
    // 3.1 for the `webhooks` section: what registered endpoints receive (webhooks/webhook-payloads.ts).
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDoc] });
  Object.assign(document.components!.schemas!, WEBHOOK_DATA_SCHEMAS);
  return { ...document, webhooks: webhookPayloadDocs() } as OpenAPIObject;
}
