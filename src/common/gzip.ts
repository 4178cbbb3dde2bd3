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
 * Gzipped copies of immutable content (a venue's chart), by a key that names the content (its ETag), each made once in
 * the thread pool (a 20,000-seat chart takes tens of milliseconds to compress, too long for the event loop), kept in
 * least-recently-used order up to `maxBytes` of compressed bytes. Keyed by name rather than by the buffer, so a chart
 * read again after its plan left the plan cache is not compressed again; bounded, so many large events cost at most
 * `maxBytes`.
 */
export class GzipCopies {
  private readonly copies = new Map<string, { readonly copy: Promise<Buffer>; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  of(key: string, content: Buffer): Promise<Buffer> {
    const known = this.copies.get(key);
    if (known) {
      this.copies.delete(key);
      this.copies.set(key, known);
      return known.copy;
    }
    const entry = { copy: gzipAsync(content), bytes: 0 };
    this.copies.set(key, entry);
    entry.copy.then(
      (copy) => {
        if (this.copies.get(key) !== entry) return;
        entry.bytes = copy.length;
        this.bytes += copy.length;
        this.evict(key);
      },
      // A failed compression is tried again next time rather than remembered.
      () => {
        if (this.copies.get(key) === entry) this.copies.delete(key);
      },
    );
    return entry.copy;
  }

  /** Compressed bytes kept now (copies still being made count once they are made). */
  get size(): number {
    return this.bytes;
  }

  private evict(keep: string): void {
    for (const [key, entry] of this.copies) {
      if (this.bytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.copies.delete(key);
      this.bytes -= entry.bytes;
    }
  }
}
