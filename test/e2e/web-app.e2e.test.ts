import { startWebApp } from '../browser/support/web-app.js';
import { expectProblem } from '../support/test-app.js';
import type { TestApp } from '../support/test-app.js';

/** The service serves the built web app at / and keeps its own paths (and their problem+json 404s) as they were. */
describe('web app served at /', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startWebApp();
  });
  afterAll(() => t.close());

  it('serves index.html at / with a CSP that allows its own scripts, styles and connections only', async () => {
    const res = await t.http().get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    // No inline script: the policy's script-src 'self' would refuse it.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const csp = Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );
    expect(csp['default-src']).toBe("'self'");
    expect(csp['script-src']).toBe("'self'");
    expect(csp['script-src-attr']).toBe("'none'");
    expect(csp['object-src']).toBe("'none'");
    // fetch, EventSource and WebSocket fall back to default-src: 'self' (same host, http/ws alike) and nothing else.
    expect(csp['connect-src']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the hashed assets with a long cache life', async () => {
    const page = await t.http().get('/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(page.text)![1]!;
    const js = await t.http().get(script);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await t.http().get(style);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers a page request for any other path with the app (SPA fallback)', async () => {
    const res = await t.http().get('/events/some-event').set('Accept', 'text/html,application/xhtml+xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<script type="module"');
  });

  it('keeps problem+json 404s for the API, for non-page requests and for other methods', async () => {
    expectProblem(await t.http().get('/v1/no-such-route').set('Accept', 'text/html'), 404, 'NOT_FOUND');
    expectProblem(await t.http().get('/metrics/nope').set('Accept', 'text/html'), 404, 'NOT_FOUND');
    expectProblem(await t.http().get('/no-such-file.js').set('Accept', 'application/json'), 404, 'NOT_FOUND');
    expectProblem(await t.http().post('/').set('Accept', 'text/html').send({}), 404, 'NOT_FOUND');
  });

  it('leaves the API, Swagger UI and health where they were', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    expect((await t.http().get('/docs/openapi.json')).status).toBe(200);
    const events = await t.http().get('/v1/events').set('Accept', 'text/html');
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^application\/json/);
  });
});
