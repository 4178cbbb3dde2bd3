import { Controller, Get, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { NotRateLimited } from '../auth/request-rate-limit.guard.js';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { LiveGateway } from './live.gateway.js';

/**
 * `GET /v1/live` over plain HTTP: where LiveGateway sends the handshakes it refuses (bad token, too many sockets), so
 * that they are answered by the same pipeline as every request (problem+json, request id, security headers). A GET
 * that is no WebSocket handshake at all finds no resource here.
 */
@ApiExcludeController()
@Public()
@NotRateLimited()
@Controller('live')
export class LiveHandshakeController {
  constructor(private readonly gateway: LiveGateway) {}

  @Get()
  refuse(@Req() request: FastifyRequest): never {
    throw (
      this.gateway.refusalOf(request.raw) ??
      new DomainError(ErrorCode.NotFound, 'This is a WebSocket endpoint: connect with a WebSocket client')
    );
  }
}
