import { ERRORS, ErrorCode } from '../../src/common/error-codes.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

/** Issue 18, item 4: every problem's `type` leads to a page saying what its code means and what to do. */
describe('problem types resolve', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.close());

  it("a problem's type is a relative URI whose JSON page describes its code, cacheable and public", async () => {
    const problem = await t.http().post('/v1/auth/register').send({ email: 'not-an-email' });
    expect(problem.body.type).toBe('/problems/validation-failed');

    // Resolved against the service's address, as a client would; no token.
    const page = await t.http().get(problem.body.type).set('Accept', 'application/json');
    expect({ status: page.status, type: page.headers['content-type'], body: page.body }).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: {
        type: '/problems/validation-failed',
        code: 'VALIDATION_FAILED',
        status: 400,
        title: ERRORS[ErrorCode.ValidationFailed].title,
        when: ERRORS[ErrorCode.ValidationFailed].when,
        action: ERRORS[ErrorCode.ValidationFailed].action,
        socketOnly: false,
      },
    });
    expect(page.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(page.headers.vary).toMatch(/accept/i);
    const etag = page.headers.etag;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await t.http().get(problem.body.type).set('Accept', 'application/json').set('If-None-Match', etag);
    expect(again.status).toBe(304);
  });

  it('answers HTML to a browser, with the meaning and the advice, escaped', async () => {
    const page = await t
      .http()
      .get('/problems/precondition-failed')
      .set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<code>PRECONDITION_FAILED</code>');
    expect(page.text).toContain('<code>If-Match</code>');
    expect(page.text).toContain('Read the resource again');
    expect(page.text).not.toContain('`');
    // A client that ranks JSON first, or says nothing, gets JSON.
    for (const accept of ['application/json, text/html;q=0.5', '*/*', 'application/problem+json']) {
      const json = await t.http().get('/problems/precondition-failed').set('Accept', accept);
      expect({ accept, type: json.headers['content-type'] }).toEqual({
        accept,
        type: 'application/json; charset=utf-8',
      });
    }
  });

  it('GET /problems lists every code of the table, each of which resolves', async () => {
    const list = await t.http().get('/problems').set('Accept', 'application/json');
    expect(list.status).toBe(200);
    const items = list.body.items as { code: string; type: string; status: number; title: string }[];
    expect(items.map((i) => i.code).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const item of items) {
      expect(item.type).toBe(`/problems/${slug(item.code)}`);
      const page = await t.http().get(item.type);
      expect({ code: item.code, status: page.status, body: page.body.status }).toEqual({
        code: item.code,
        status: 200,
        body: ERRORS[item.code as ErrorCode].status,
      });
    }
    const html = await t.http().get('/problems').set('Accept', 'text/html');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('href="problems/seat-unavailable"');
  });

  it('an unknown code, or a code not spelled as in its type, is a 404 problem', async () => {
    for (const path of ['/problems/no-such-code', '/problems/VALIDATION_FAILED', '/problems/%3Cscript%3E']) {
      const res = await t.http().get(path).set('Accept', 'text/html');
      expectProblem(res, 404, 'NOT_FOUND');
    }
    const post = await t.http().post('/problems/not-found').send({});
    expect(post.status).toBe(404);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('problem types with PUBLIC_BASE_URL', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start({ publicBaseUrl: 'https://booking.example.com/api' })));
  afterAll(() => t.close());

  it('are absolute URIs under it, in the problem and on its page', async () => {
    const problem = await t.http().post('/v1/auth/register').send({ email: 'not-an-email' });
    expect(problem.body.type).toBe('https://booking.example.com/api/problems/validation-failed');
    expect(problem.body.code).toBe('VALIDATION_FAILED');
    const page = await t.http().get('/problems/validation-failed');
    expect(page.body.type).toBe('https://booking.example.com/api/problems/validation-failed');
  });
});
