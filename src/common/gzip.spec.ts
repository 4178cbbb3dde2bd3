import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GzipCopies, acceptsGzip } from './gzip.js';

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['br, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['identity', false],
    ['deflate, br', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['*, gzip;q=0', false],
    ['gzip;q=abc', false],
  ])('%p → %p', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('GzipCopies', () => {
  it('compresses a content once per key, and the copy inflates to the content', async () => {
    const copies = new GzipCopies(1024 * 1024);
    const content = Buffer.from('{"seats":' + JSON.stringify(Array.from({ length: 500 }, (_, i) => i)) + '}');
    const [a, b] = await Promise.all([copies.of('"one"', content), copies.of('"one"', content)]);
    expect(a).toBe(b);
    expect(await copies.of('"one"', Buffer.from('ignored: the key names the content'))).toBe(a);
    expect(gunzipSync(a).equals(content)).toBe(true);
    expect(copies.size).toBe(a.length);
  });

  it('keeps at most maxBytes of copies, dropping the least recently used first', async () => {
    // Random bytes do not compress: each copy is a little over 4 KiB, so two fit in 10,000 bytes and three do not.
    const copies = new GzipCopies(10_000);
    const a = randomBytes(4096);
    const b = randomBytes(4096);
    const firstA = await copies.of('a', a);
    const firstB = await copies.of('b', b);
    expect(await copies.of('a', a)).toBe(firstA); // a is now the most recently used
    await copies.of('c', randomBytes(4096)); // over 10,000: b goes, a stays
    expect(copies.size).toBeLessThanOrEqual(10_000);
    expect(await copies.of('a', a)).toBe(firstA);
    // b was dropped: asked again with other content under its key, it is made anew from that content.
    const other = randomBytes(4096);
    const secondB = await copies.of('b', other);
    expect(secondB).not.toBe(firstB);
    expect(gunzipSync(secondB).equals(other)).toBe(true);
    expect(copies.size).toBeLessThanOrEqual(10_000);
  });
});
