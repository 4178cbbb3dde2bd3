import { readFileSync } from 'node:fs';
import { generateOpenApiYaml } from '../../src/scripts/generate-openapi.js';
import { TestApp } from '../support/test-app.js';

describe('OpenAPI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('the committed openapi.yaml is what the code generates (run `npm run openapi` after changing the API)', async () => {
    const committed = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');
    expect(committed).toBe(await generateOpenApiYaml());
  });

  it('serves Swagger UI at /docs and the document at /docs/openapi.json', async () => {
    const ui = await t.http().get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.text).toContain('swagger-ui');

    const doc = await t.http().get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/register',
        '/v1/auth/login',
        '/v1/auth/refresh',
        '/v1/auth/logout',
        '/v1/auth/me',
        '/health/live',
        '/health/ready',
      ]),
    );
    expect(doc.body.components.schemas.ProblemDoc).toBeDefined();
  });
});
