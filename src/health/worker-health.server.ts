import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { DomainError, UnauthorizedError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { toProblem } from '../common/problem.js';
import type { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { ReminderWorker } from '../notifications/bull-reminders.js';
import { Reminders } from '../notifications/reminders.js';
import type { ReminderCounts } from '../notifications/reminders.js';
import { answerProblemPage } from '../problems/problem-pages.js';
import { RedisHealth } from '../redis/redis.module.js';

/** Longest a probe waits for Redis (BullMQ's own connection waits for Redis forever). */
const PROBE_TIMEOUT_MS = 1000;

function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The worker process (`npm run worker`) has no API, yet containers and orchestrators need to probe it: a small
 * node:http server on WORKER_PORT with /health/live, /health/ready (Redis answers, this process's reminder worker
 * runs and the reminder queue answers) and /metrics (the process's metrics, with the reminder queue's depths, runs and
 * processing times of notifications/reminder-metrics.ts, behind METRICS_TOKEN when set). It also serves the problem
 * type pages (/problems, /problems/{code}, the same as the API's): the `type` of its own problems is relative, so it
 * must resolve here too. Anything else is a problem+json 404 or 405.
 */
export async function serveWorkerHealth(app: INestApplicationContext, config: AppConfig): Promise<Server | undefined> {
  if (config.workerPort === 0) return undefined;
  const redis = app.get(RedisHealth);
  const worker = app.get(ReminderWorker);
  const reminders = app.get(Reminders);
  const metrics = app.get(Metrics);

  const send = (res: ServerResponse, status: number, contentType: string, body: string, extra = {}) => {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(body);
  };
  const problem = (req: IncomingMessage, res: ServerResponse, error: DomainError) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const requestId = randomUUID();
    const answer = toProblem(error, path, requestId, config);
    send(res, answer.problem.status, answer.headers['content-type'], JSON.stringify(answer.problem), {
      ...answer.headers,
      'x-request-id': requestId,
    });
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    '/health/live': async (_req, res) => send(res, 200, 'application/json', JSON.stringify({ status: 'ok' })),
    '/health/ready': async (_req, res) => {
      const [redisUp, counts] = await Promise.all([
        redis.isReady(PROBE_TIMEOUT_MS),
        within<ReminderCounts>(reminders.counts(), PROBE_TIMEOUT_MS),
      ]);
      const state = {
        redis: redisUp ? 'up' : 'down',
        queue: counts ? 'up' : 'down',
        worker: worker.running ? 'running' : 'stopped',
      };
      const ready = redisUp && counts !== undefined && worker.running;
      const retry = ready ? {} : { 'retry-after': String(config.retryAfterSeconds) };
      send(
        res,
        ready ? 200 : 503,
        'application/json',
        JSON.stringify({ status: ready ? 'ok' : 'unavailable', ...state }),
        retry,
      );
    },
    '/metrics': async (req, res) => {
      const token = config.metricsToken;
      if (token && req.headers.authorization !== `Bearer ${token}`) {
        return problem(req, res, new UnauthorizedError('Send the metrics token as a bearer token'));
      }
      send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
    },
  };

  const problemPage = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const slug = path === '/problems' ? null : path.slice('/problems/'.length);
    const answer = answerProblemPage(
      { slug, accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'], vary: undefined },
      config.publicBaseUrl,
    );
    if (!answer) {
      return problem(
        req,
        res,
        new DomainError(ErrorCode.NotFound, 'No such problem type; GET /problems lists them all'),
      );
    }
    const length = answer.body === undefined ? {} : { 'content-length': Buffer.byteLength(answer.body) };
    res.writeHead(answer.status, { ...answer.headers, ...length, 'x-content-type-options': 'nosniff' });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const route = routes[path] ?? (path === '/problems' || /^\/problems\/[^/]+$/.test(path) ? problemPage : undefined);
    if (!route)
      return problem(
        req,
        res,
        new DomainError(ErrorCode.NotFound, 'This port serves /health/live, /health/ready, /metrics and /problems'),
      );
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return problem(req, res, new DomainError(ErrorCode.MethodNotAllowed, 'Only GET is allowed here'));
    }
    route(req, res).catch(() => problem(req, res, new DomainError(ErrorCode.ServiceUnavailable, 'Try again shortly')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.workerPort, config.host, () => resolve());
  });
  return server;
}
