import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { NotRateLimited } from '../auth/request-rate-limit.guard.js';
import { ApiProblems } from '../common/api-docs.js';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { answerProblemPage } from './problem-pages.js';
import { ProblemTypeListView, ProblemTypeView } from './problems.dto.js';

/**
 * GET /problems and /problems/{code}: what each error code means and what a client should do, as HTML or JSON by
 * Accept. Every problem's `type` is the URI of its page here. Public and free of Redis (a 503's type must resolve
 * while Redis is down), not rate limited, cacheable.
 */
@ApiTags('problems')
@Public()
@NotRateLimited()
@Controller('problems')
export class ProblemsController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'Every problem type (error code): HTML for browsers, JSON otherwise' })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: ProblemTypeListView })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({ status: 304, description: 'Not modified' })
  list(
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | undefined {
    return this.answer(null, accept, ifNoneMatch, reply);
  }

  @Get(':code')
  @ApiOperation({
    summary: 'One problem type: what the code means and what the client should do (HTML for browsers, JSON otherwise)',
  })
  @ApiParam({ name: 'code', description: 'The code in lower case with dashes', example: 'seat-unavailable' })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: ProblemTypeView })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @ApiProblems(404)
  get(
    @Param('code') slug: string,
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | undefined {
    return this.answer(slug, accept, ifNoneMatch, reply);
  }

  private answer(
    slug: string | null,
    accept: string | undefined,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
  ): string | undefined {
    const answer = answerProblemPage(
      { slug, accept, ifNoneMatch, vary: reply.getHeader('vary') },
      this.config.publicBaseUrl,
    );
    if (!answer) throw new DomainError(ErrorCode.NotFound, 'No such problem type; GET /problems lists them all');
    void reply.status(answer.status).headers(answer.headers);
    return answer.body;
  }
}
