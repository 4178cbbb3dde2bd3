/**
 * A `Vary` value with `value` added to what the answer already carries (CORS's `Origin`), never replacing it: a shared
 * cache that kept an answer for any origin would hand one origin's Access-Control-Allow-Origin to the others.
 * `current` is the header as Fastify's getHeader answers it.
 */
export function varyWith(current: string | number | readonly string[] | undefined, value: string): string {
  const existing = Array.isArray(current) ? current.join(', ') : current?.toString();
  return existing?.trim() ? `${existing}, ${value}` : value;
}
