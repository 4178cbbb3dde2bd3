import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

/**
 * Property-based: for every operation of the OpenAPI document, requests generated from its schema, valid-looking and
 * mutated (wrong types, huge numbers, odd unicode, nulls, missing and extra fields, broken JSON, odd ids), with and
 * without a token. No answer may be a 5xx, and every 4xx must be problem+json with a code.
 */
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
};
interface Operation {
  method: string;
  path: string;
  query: { name: string; schema: Schema }[];
  body: Schema | undefined;
}

const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
const resolve = (schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
const operations: Operation[] = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)
  .filter(([path]) => path.startsWith('/v1/') && !path.endsWith('/stream'))
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method,
      path,
      query: ((op.parameters as { in: string; name: string; schema: Schema }[]) ?? []).filter((p) => p.in === 'query'),
      body: resolve(
        (op.requestBody as { content?: Record<string, { schema: Schema }> })?.content?.['application/json']?.schema,
      ),
    })),
  );

const oddStrings = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '𝕏'.repeat(300),
  'x'.repeat(5000),
  '../../etc/passwd',
  "' OR 1=1 --",
  '{}',
  '2030-02-30T10:00:00Z',
  'NaN',
];
const odd = fc.oneof(
  fc.constantFrom<unknown>(null, true, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, [], {}, [[[[]]]], ...oddStrings),
  fc.jsonValue({ maxDepth: 3 }),
);

function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (!s || depth > 3) return odd;
  if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), odd);
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time') {
        return fc.oneof(
          fc
            .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          odd,
        );
      }
      if (s.format === 'uuid') return fc.oneof(fc.uuid(), odd);
      return fc.oneof(fc.string({ maxLength: 30 }), odd);
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 2000 }), odd);
    case 'boolean':
      return fc.oneof(fc.boolean(), odd);
    case 'array':
      return fc.oneof(fc.array(valueFor(s.items, depth + 1), { maxLength: 12 }), odd);
    case 'object':
    default:
      if (!s.properties) return odd;
      return fc
        .record(Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valueFor(v, depth + 1)])), {
          requiredKeys: [],
        })
        .chain((body) => fc.oneof(fc.constant(body), fc.constant({ ...body, unexpected: 1 }), odd));
  }
}

describe('fuzzing every route from its OpenAPI schema', () => {
  let t: TestApp;
  let admin: Account;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    admin = await t.register('admin');
    const event = await createEvent(t, admin);
    ids.push(event.id, event.seats[0].id, admin.id);
  });
  afterAll(() => t.close());

  it('covers every operation', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s', async (_, op) => {
    const pathParams = op.path.match(/\{[^}]+\}/g) ?? [];
    const idArb = fc.oneof(
      fc.constantFrom(...ids),
      fc.uuid(),
      fc.constantFrom('x', '0', '%F0%9F%98%80', 'a'.repeat(250), 'NULL'),
    );
    const request = fc.record({
      params: fc.array(idArb, { minLength: pathParams.length, maxLength: pathParams.length }),
      query: fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueFor(q.schema)])), { requiredKeys: [] }),
      body: op.body ? valueFor(op.body) : fc.constant(undefined),
      rawBody: fc.option(fc.constantFrom('{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"x":1}}'), { freq: 8 }),
      signedIn: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let url = op.path;
        pathParams.forEach((p, i) => (url = url.replace(p, encodeURIComponent(r.params[i]))));
        const query = new URLSearchParams(
          Object.entries(r.query).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        );
        let call = t.http()[op.method as 'get'](`${url}?${query}`).set('Idempotency-Key', randomUUID());
        if (r.signedIn) call = call.set(admin.auth);
        if (op.method !== 'get' && op.method !== 'delete') {
          call = call.set('Content-Type', 'application/json').send(r.rawBody ?? JSON.stringify(r.body ?? {}));
        }
        const res = await call;
        const context = `${op.method} ${url}?${query} -> ${res.status} ${res.text.slice(0, 300)}`;
        expect({ serverError: res.status >= 500, context }).toEqual({ serverError: false, context });
        if (res.status >= 400) {
          expect({ type: res.headers['content-type'], context }).toEqual({
            type: expect.stringMatching(/^application\/problem\+json/),
            context,
          });
          expect(typeof res.body.code).toBe('string');
        }
      }),
      { numRuns: 25 },
    );
  });
});
