import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point (SSRF): never at the service's own network. Refused: loopback, "this network",
 * private (RFC 1918, unique local fc00::/7), carrier-grade NAT, link-local (with the cloud metadata address
 * 169.254.169.254), benchmarking, multicast and reserved ranges, in IPv4 and IPv6; an IPv6 address that carries an
 * IPv4 one (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by that IPv4 address, and the
 * IPv6 ranges that only tunnel or translate to IPv4 without saying where plainly (IPv4-compatible ::/96,
 * IPv4-translated ::ffff:0:0:0/96, local NAT64 64:ff9b:1::/48, Teredo 2001::/32) are refused whole. Decimal, octal
 * and hex IPv4 forms (http://2130706433/, http://0x7f.1/) are normalised by the URL parser before the check.
 * Checked at registration and again at every delivery on the addresses DNS gives then (a name may be re-pointed after
 * registration), and the request goes to the address that was checked (no second lookup).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b:1::', 48],
  ['2001::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The 16 bytes of a valid IPv6 address (with or without a trailing dotted IPv4 part). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const [front, back] = [groups(head), groups(tail)];
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((g) => [g >> 8, g & 255]);
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  let v4: number[] | null = null;
  if (zeros(0, 10) && b[10] === 255 && b[11] === 255) v4 = b.slice(12, 16);
  else if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) v4 = b.slice(12, 16);
  else if (b[0] === 0x20 && b[1] === 0x02) v4 = b.slice(2, 6);
  return v4 ? v4.join('.') : null;
}

/** Whether an IP address is on a network a webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4 !== null) return blocked.check(v4, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export interface ResolvedTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/** The address to send to, or why the URL is refused (words for a problem's detail; retryable: DNS failed). */
export type AddressVerdict =
  | { readonly ok: true; readonly target: ResolvedTarget }
  | { readonly ok: false; readonly reason: string; readonly retryable: boolean };

/**
 * Parses and resolves a webhook URL and checks every address it resolves to. `allowPrivate` (WEBHOOK_ALLOW_PRIVATE)
 * lets private addresses and plain http through, for tests and private deployments. The lookup is bounded by
 * `timeoutMs` (WEBHOOK_TIMEOUT_MS): a resolver that hangs counts as not resolving (retried at delivery).
 */
export async function resolveWebhookUrl(
  raw: string,
  allowPrivate: boolean,
  timeoutMs: number,
): Promise<AddressVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL', retryable: false };
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return { ok: false, reason: 'must be an https URL', retryable: false };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials', retryable: false };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await withinTime(lookup(host, { all: true, verbatim: true }), timeoutMs);
  } catch {
    return { ok: false, reason: `has a host that does not resolve (${host})`, retryable: true };
  }
  if (addresses.length === 0)
    return { ok: false, reason: `has a host that does not resolve (${host})`, retryable: true };
  if (!allowPrivate) {
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) {
      const reason = `points at a private, loopback or link-local address (${refused.address})`;
      return { ok: false, reason, retryable: false };
    }
  }
  const [first] = addresses;
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}

/** The promise's value, or a rejection once `ms` passed first. */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
