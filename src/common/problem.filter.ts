import { Catch } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem.js';
import type { ProblemSettings } from './problem.js';

/** Writes any error as problem+json, logging unexpected ones in full (the client sees only the request id). */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, settings: ProblemSettings) {
  const path = request.url.split('?', 1)[0];
  const { problem, headers, unexpected } = toProblem(error, path, String(request.id), settings);
  if (unexpected) request.log.error({ err: error }, 'unexpected error');
  else if (problem.status >= 500) request.log.warn({ err: error, code: problem.code }, 'request failed');
  if (reply.sent) return;
  // Set here too: errors of Fastify's router come before the hook that normally sets it.
  void reply
    .status(problem.status)
    .headers(headers)
    .header('x-request-id', String(request.id))
    .send(JSON.stringify(problem));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly settings: ProblemSettings) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.settings);
  }
}
