import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { TestApp } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

/**
 * A large chart is sent gzipped to clients that accept it, with the weak form of its ETag, and a small one as it is.
 * Requests go through node:http, which decodes nothing (supertest and fetch inflate and hide what was sent).
 */
describe('GET /layout: gzip for large charts (HTTP)', () => {
  let t: TestApp;
  let base: string;
  let large: string;
  let small: string;

  /** The raw bytes sent, with the headers: node:http, which decodes nothing. */
  const get = (path: string, headers: Record<string, string>) => {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(`${base}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      },
    );
  };

  beforeAll(async () => {
    t = await TestApp.start({ corsOrigins: ['https://app.example.com'] });
    base = t.url;
    const manager = await t.register('manager');
    const layout = {
      categories: [{ id: 'stand', name: 'Stand', price: { amount: 3000, currency: 'EUR' } }],
      sections: [
        {
          name: 'North',
          categoryId: 'stand',
          rows: Array.from({ length: 20 }, (_, r) => ({ label: `R${r}`, count: 100 })),
        },
      ],
    };
    const created = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Large', layout }).expect(201);
    large = `/v1/events/${created.body.id as string}/layout`;
    const theatre = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Small', layout: THEATRE })
      .expect(201);
    small = `/v1/events/${theatre.body.id as string}/layout`;
  });
  afterAll(() => t.close());

  it('sends a large chart gzipped with the weak ETag, the same chart as the plain one', async () => {
    const plain = await get(large, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const etag = plain.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);

    const zipped = await get(large, { 'accept-encoding': 'br, gzip;q=0.8' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.headers.etag).toBe(`W/${etag}`);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // The seat ids (random UUIDs) are most of what remains: about a quarter of the plain size.
    expect(zipped.body.length * 3).toBeLessThan(plain.body.length);
    // Served from the one compressed copy the second time too.
    const again = await get(large, { 'accept-encoding': 'gzip' });
    expect(again.body.equals(zipped.body)).toBe(true);
  });

  it('answers 304 to If-None-Match with either form of the ETag, in either encoding', async () => {
    const etag = (await get(large, {})).headers.etag as string;
    for (const [tag, encoding] of [
      [etag, 'gzip'],
      [`W/${etag}`, 'gzip'],
      [`W/${etag}`, 'identity'],
    ]) {
      const res = await get(large, { 'if-none-match': tag, 'accept-encoding': encoding });
      expect({ tag, encoding, status: res.status, body: res.body.length }).toEqual({
        tag,
        encoding,
        status: 304,
        body: 0,
      });
    }
  });

  it('keeps the CORS Vary: a shared cache keeps the chart per origin and per encoding', async () => {
    const res = await get(large, { origin: 'https://app.example.com', 'accept-encoding': 'gzip' });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const vary = String(res.headers.vary)
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(vary).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
    const notModified = await get(large, { 'if-none-match': String(res.headers.etag), 'accept-encoding': 'gzip' });
    expect({ status: notModified.status, etag: notModified.headers.etag }).toEqual({
      status: 304,
      etag: res.headers.etag,
    });
  });

  it('sends it plain when gzip is refused or not offered, and a small chart always plain', async () => {
    for (const header of ['gzip;q=0', 'identity', 'deflate', '*;q=0', 'gzip;q=0, *']) {
      const res = await get(large, { 'accept-encoding': header });
      expect({ header, encoding: res.headers['content-encoding'] }).toEqual({ header, encoding: undefined });
    }
    expect((await get(large, { 'accept-encoding': '*' })).headers['content-encoding']).toBe('gzip');
    const res = await get(small, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
  });
});
