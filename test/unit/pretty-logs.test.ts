// @ts-expect-error a plain ESM tool of the repo, without type declarations
import { prettyLine } from '../../tools/pretty-logs.mjs';

/** `npm run start:dev`'s readable logs (tools/pretty-logs.mjs): pino's JSON lines as one readable line each. */
describe('pretty logs', () => {
  const pretty = prettyLine as (line: string, options?: { colour?: boolean }) => string;

  it('shows time, level, context and message first, then the other fields as key=value', () => {
    const line = JSON.stringify({
      level: 30,
      time: '2026-11-29T14:02:03.456Z',
      service: 'booking-service',
      context: 'NestApplication',
      msg: 'request completed',
      requestId: 'abc',
      status: 200,
      url: '/v1/events',
    });
    expect(pretty(line)).toBe(
      '14:02:03.456 INFO  [NestApplication] request completed requestId=abc status=200 url=/v1/events',
    );
  });

  it('quotes values with spaces, adds an error stack below, colours only on request', () => {
    const line = JSON.stringify({
      level: 50,
      time: '2026-11-29T14:02:03.456Z',
      msg: 'unexpected error',
      detail: 'two words',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(pretty(line)).toBe('14:02:03.456 ERROR unexpected error detail="two words"\nError: boom\n    at x');
    expect(pretty(line, { colour: true })).toContain('\u001b[31mERROR');
  });

  it('passes other lines through unchanged', () => {
    for (const line of ['plain text', '{"not":"pino"}', '[1,2]', 'null', '']) expect(pretty(line)).toBe(line);
  });
});
