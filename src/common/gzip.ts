import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Whether an Accept-Encoding header accepts gzip (RFC 9110, 12.5.3): `gzip` (or `x-gzip`) listed with a weight above
 * 0, or else `*` with one. No header, `identity` only, or `gzip;q=0` answer false.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let any = false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const accepted = Number.isFinite(weight) && weight > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') any = accepted;
  }
  return any;
}

/**
 * Gzipped copies of immutable buffers (a venue's chart), each made once, in the thread pool (a 20,000-seat chart
 * takes tens of milliseconds to compress, too long for the event loop), and kept as long as its buffer is.
 */
export class GzipCopies {
  private readonly copies = new WeakMap<Buffer, Promise<Buffer>>();

  of(bytes: Buffer): Promise<Buffer> {
    let copy = this.copies.get(bytes);
    if (!copy) {
      copy = gzipAsync(bytes);
      this.copies.set(bytes, copy);
      // A failed compression is tried again next time rather than remembered.
      copy.catch(() => this.copies.delete(bytes));
    }
    return copy;
  }
}
