import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { NotRateLimited } from '../auth/request-rate-limit.guard.js';
import { ApiProblems } from '../common/api-docs.js';
import { DomainError } from '../common/domain-error.js';
import { ErrorCode, codeOfSlug } from '../common/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import { describeProblemType, problemTypeHtml, problemTypesHtml } from './problem-pages.js';
import { ProblemTypeListView, ProblemTypeView } from './problems.dto.js';

/** The pages change only with a release: a day in shared caches, revalidated by ETag after that. */
const CACHE_CONTROL = 'public, max-age=86400';

/** The weight the most specific media range of an Accept header gives `type` (RFC 9110 §12.5.1; 0: not acceptable). */
function quality(accept: string, type: string): number {
  const major = type.split('/')[0];
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
    best = { specificity, q: q ? Number(q[1]) : 1 };
  }
  return best.q;
}

/** HTML for a browser (it ranks text/html above JSON); JSON otherwise, also when Accept is absent or says nothing. */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && quality(accept, 'text/html') > quality(accept, 'application/json');
}

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
    const items = Object.values(ErrorCode).map((code) => describeProblemType(code, this.config.publicBaseUrl));
    return this.answer(accept, ifNoneMatch, reply, () => problemTypesHtml(items), { items });
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
    const code = codeOfSlug(slug);
    if (code === undefined) {
      throw new DomainError(ErrorCode.NotFound, 'No such problem type; GET /problems lists them all');
    }
    const problem = describeProblemType(code, this.config.publicBaseUrl);
    return this.answer(accept, ifNoneMatch, reply, () => problemTypeHtml(problem), problem);
  }

  private answer(
    accept: string | undefined,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
    html: () => string,
    json: object,
  ): string | undefined {
    const asHtml = wantsHtml(accept);
    const body = asHtml ? html() : JSON.stringify(json);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    void reply
      .header('content-type', asHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8')
      .header('cache-control', CACHE_CONTROL)
      .header('vary', 'Accept')
      .header('etag', etag);
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
      void reply.status(304);
      return undefined;
    }
    return body;
  }
}
