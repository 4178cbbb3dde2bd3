import { ERRORS, ErrorCode, SOCKET_ONLY_CODES, problemSlug, problemType } from '../common/error-codes.js';

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
