import { createHash } from 'node:crypto';
import { ERRORS, ErrorCode, SOCKET_ONLY_CODES, codeOfSlug, problemSlug, problemType } from '../common/error-codes.js';
import { varyWith } from '../common/vary.js';

/** One problem type as GET /problems/{code} answers it in JSON, built from the error table (common/error-codes.ts). */
export interface ProblemTypeDescription {
  readonly type: string;
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly when: string;
  readonly action: string;
  /** Only a WebSocket `error` message carries it, never a problem+json answer. */
  readonly socketOnly: boolean;
}

export function describeProblemType(code: ErrorCode, publicBaseUrl: string | undefined): ProblemTypeDescription {
  const { status, title, when, action } = ERRORS[code];
  return {
    type: problemType(code, publicBaseUrl),
    code,
    status,
    title,
    when,
    action,
    socketOnly: SOCKET_ONLY_CODES.has(code),
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The table's texts use Markdown code spans only: escaped, then each `span` becomes <code>. */
function inlineHtml(markdown: string): string {
  return escapeHtml(markdown).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}' +
  'code{background:#f2f2f2;padding:0 .2em;border-radius:3px}dt{font-weight:600;margin-top:1rem}' +
  'td,th{text-align:left;vertical-align:top;padding:.3rem .6rem;border-bottom:1px solid #ddd}table{border-collapse:collapse}';

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`
  );
}

/** The HTML page of one problem type. */
export function problemTypeHtml(problem: ProblemTypeDescription): string {
  const carried = problem.socketOnly
    ? 'Sent in a WebSocket <code>error</code> message (never as an HTTP answer); the HTTP status it would have is'
    : 'Sent as an <code>application/problem+json</code> answer with HTTP status';
  return page(
    `${problem.code}: ${problem.title}`,
    // Relative links, so the pages also work behind a path prefix.
    `<p><a href="../problems">All problem types</a></p>\n` +
      `<h1><code>${problem.code}</code></h1>\n<p>${escapeHtml(problem.title)}. ${carried} ${problem.status}.</p>\n` +
      `<dl>\n<dt>When</dt><dd>${inlineHtml(problem.when)}</dd>\n` +
      `<dt>What to do</dt><dd>${inlineHtml(problem.action)}</dd>\n</dl>`,
  );
}

/** The HTML index of every problem type. */
export function problemTypesHtml(problems: readonly ProblemTypeDescription[]): string {
  const rows = problems.map(
    (p) =>
      `<tr><td><a href="problems/${problemSlug(p.code)}"><code>${p.code}</code></a></td><td>${p.status}</td>` +
      `<td>${escapeHtml(p.title)}</td></tr>`,
  );
  return page(
    'Problem types',
    `<h1>Problem types</h1>\n<p>Every error of the API is an RFC 9457 problem whose <code>type</code> leads to one of ` +
      `these pages, and whose <code>code</code> names it.</p>\n` +
      `<table><thead><tr><th>code</th><th>status</th><th>title</th></tr></thead><tbody>\n${rows.join('\n')}\n` +
      `</tbody></table>`,
  );
}

function markdownTable(codes: readonly ErrorCode[]): string {
  const rows = codes.map((code) => {
    const { status, title, when, action } = ERRORS[code];
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    return `| \`${code}\` | ${status} | ${cell(title)} | ${cell(when)} | ${cell(action)} |`;
  });
  return [
    '| code | status | title | when | what the client should do |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export const GENERATED_BEGIN =
  '<!-- generated from src/common/error-codes.ts by `npm run openapi`: edit the table there -->';
export const GENERATED_END = '<!-- end of generated part -->';

/**
 * The generated part of docs/errors.md: the problem codes, then the WebSocket-only ones (before Prettier formats it;
 * the generator and the drift test both format it the same way).
 */
export function errorsMarkdown(): string {
  const http = Object.values(ErrorCode).filter((code) => !SOCKET_ONLY_CODES.has(code));
  const socket = Object.values(ErrorCode).filter((code) => SOCKET_ONLY_CODES.has(code));
  return [
    GENERATED_BEGIN,
    '',
    '## Problem codes',
    '',
    markdownTable(http),
    '',
    '## WebSocket error messages',
    '',
    'A socket of `/v1/live` answers a message it cannot act on with `{"type":"error","code":…,"eventId"?:…,"message":…}`',
    'and stays open ([live-updates.md](live-updates.md)). `code` is `NOT_FOUND` (no such event) or `SERVICE_UNAVAILABLE`',
    '(retry shortly) from the table above, or one of the three below, which only a socket sends. They are in the same',
    '`ErrorCode` enum as the rest; the status is the one the error would have over HTTP (a socket message carries none),',
    'and the OpenAPI document leaves these codes out of `ProblemDoc`.',
    '',
    markdownTable(socket),
    '',
    GENERATED_END,
  ].join('\n');
}

/** docs/errors.md with its generated part replaced by `generated` (the hand-written introduction is kept). */
export function withGeneratedPart(doc: string, generated: string): string {
  const begin = doc.indexOf(GENERATED_BEGIN);
  const end = doc.indexOf(GENERATED_END);
  if (begin < 0 || end < begin)
    throw new Error(`docs/errors.md lacks the markers ${GENERATED_BEGIN} … ${GENERATED_END}`);
  return doc.slice(0, begin) + generated.trim() + doc.slice(end + GENERATED_END.length);
}

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

/** What a request for a problem page asks: `slug` is null for the index (GET /problems). */
export interface ProblemPageRequest {
  readonly slug: string | null;
  readonly accept: string | undefined;
  readonly ifNoneMatch: string | undefined;
  /** A `Vary` the answer already carries (CORS's `Origin`), as getHeader answers it: kept, `Accept` is added to it. */
  readonly vary: string | number | readonly string[] | undefined;
}

export interface ProblemPageAnswer {
  readonly status: 200 | 304;
  readonly headers: Record<string, string>;
  /** Absent for a 304. */
  readonly body: string | undefined;
}

/**
 * GET /problems and /problems/{code} without a framework, so that the API (problems.controller.ts) and the worker's
 * health port (health/worker-health.server.ts) answer them alike. Undefined: no such code (a 404 for the caller).
 */
export function answerProblemPage(
  request: ProblemPageRequest,
  publicBaseUrl: string | undefined,
): ProblemPageAnswer | undefined {
  let html: () => string;
  let json: object;
  if (request.slug === null) {
    const items = Object.values(ErrorCode).map((code) => describeProblemType(code, publicBaseUrl));
    html = () => problemTypesHtml(items);
    json = { items };
  } else {
    const code = codeOfSlug(request.slug);
    if (code === undefined) return undefined;
    const problem = describeProblemType(code, publicBaseUrl);
    html = () => problemTypeHtml(problem);
    json = problem;
  }
  const asHtml = wantsHtml(request.accept);
  const body = asHtml ? html() : JSON.stringify(json);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  // Appended, never replaced: with CORS_ORIGINS set the answer also varies by Origin (kept a day by shared caches).
  const vary = varyWith(request.vary, 'Accept');
  const headers = {
    'content-type': asHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': CACHE_CONTROL,
    vary,
    etag,
  };
  const tags = request.ifNoneMatch?.split(',').map((tag) => tag.trim());
  if (tags?.some((tag) => tag.replace(/^W\//, '') === etag || tag === '*')) {
    return { status: 304, headers, body: undefined };
  }
  return { status: 200, headers, body };
}
