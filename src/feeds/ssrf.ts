// SSRF guard for feed fetching. Anyone who can add a feed URL can make the bot issue GET requests, so by default
// we refuse to connect to addresses that reach the host itself, the local network or a cloud metadata service.
// The check runs on the address actually connected to (fetch.ts calls it from inside the socket's DNS lookup and
// for every redirect hop), which is what defeats DNS rebinding and "public URL that redirects to 127.0.0.1".
import net from 'node:net';
import { FeedError } from './fetch.js';

interface Range<T> {
  base: T;
  bits: number;
  reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// IPv4

/** Dotted quad → unsigned 32-bit number; only the canonical form that `net.isIP` accepts is taken. */
function parseIPv4(address: string): number | null {
  if (net.isIP(address) !== 4) return null;
  const parts = address.split('.');
  let value = 0;
  for (const part of parts) value = value * 256 + Number(part);
  return value;
}

function v4(cidr: string, reason: string): Range<number> {
  const [addr = '', bits = '32'] = cidr.split('/');
  const base = parseIPv4(addr);
  if (base === null) throw new Error(`bad IPv4 range ${cidr}`);
  return { base, bits: Number(bits), reason };
}

// Most specific first: the first match gives the reason, so 169.254.169.254 says "cloud metadata", not "link-local".
const IPV4_BLOCKED: ReadonlyArray<Range<number>> = [
  v4('169.254.169.254/32', 'cloud metadata'), // AWS, GCP, Azure, OpenStack, Oracle…
  v4('169.254.170.2/32', 'cloud metadata'), // AWS ECS task credentials
  v4('100.100.100.200/32', 'cloud metadata'), // Alibaba Cloud
  v4('168.63.129.16/32', 'cloud metadata'), // Azure WireServer: a public-looking address only VMs can reach
  v4('255.255.255.255/32', 'broadcast'),
  v4('0.0.0.0/8', 'unspecified'), // "this network"; connecting to 0.0.0.0 reaches the local host on Linux
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'CGNAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'), // deprecated 6to4 relay anycast
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'), // benchmarking
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

function inRange4(value: number, range: Range<number>): boolean {
  const size = 2 ** (32 - range.bits);
  return value >= range.base && value < range.base + size;
}

function blockedIPv4(value: number): string | null {
  for (const range of IPV4_BLOCKED) if (inRange4(value, range)) return range.reason;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// IPv6

/**
 * IPv6 text → 128-bit BigInt. Handles "::" compression, a trailing dotted IPv4 part and any case; the caller has
 * already checked the syntax with `net.isIP`, so this only has to expand, not validate.
 */
function parseIPv6(address: string): bigint | null {
  if (net.isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const groups: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let tailGroups: number[] = [];
  if (tail.includes('.')) {
    const embedded = parseIPv4(tail);
    if (embedded === null) return null;
    tailGroups = [Math.floor(embedded / 0x10000), embedded % 0x10000];
    // Keep the colon so "::1.2.3.4" still splits into a "::" and an empty tail.
    text = text.slice(0, lastColon + 1) + '0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const head = toGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  // The placeholder "0" stands in for the two IPv4 groups; drop it before counting.
  if (tailGroups.length > 0) (halves.length === 2 ? rest : head).pop();
  const explicit = head.length + rest.length + tailGroups.length;
  const zeros = halves.length === 2 ? 8 - explicit : 0;
  if (zeros < 0) return null;
  groups.push(...head, ...new Array<number>(zeros).fill(0), ...rest, ...tailGroups);
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function v6(cidr: string, reason: string): Range<bigint> {
  const [addr = '', bits = '128'] = cidr.split('/');
  const base = parseIPv6(addr);
  if (base === null) throw new Error(`bad IPv6 range ${cidr}`);
  return { base, bits: Number(bits), reason };
}

function inRange6(value: bigint, range: Range<bigint>): boolean {
  const shift = BigInt(128 - range.bits);
  return value >> shift === range.base >> shift;
}

/** Low 32 bits as an IPv4 number (for the mapped/translated forms that embed one). */
function low32(value: bigint): number {
  return Number(value & 0xffffffffn);
}

const MAPPED = v6('::ffff:0:0/96', 'IPv4-mapped');
const NAT64 = v6('64:ff9b::/96', 'NAT64');
const SIX_TO_FOUR = v6('2002::/16', '6to4');
const COMPAT = v6('::/96', 'IPv4-compatible');
const GLOBAL_UNICAST = v6('2000::/3', 'global unicast');

const IPV6_BLOCKED: ReadonlyArray<Range<bigint>> = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('fd00:ec2::254/128', 'cloud metadata'), // AWS instance metadata over IPv6
  v6('64:ff9b:1::/48', 'private'), // local-use NAT64 (RFC 8215)
  v6('100::/64', 'reserved'), // discard-only
  v6('2001::/32', 'Teredo'), // tunnels to an obfuscated IPv4 address we would have to decode to vet
  v6('2001:2::/48', 'reserved'), // benchmarking
  v6('2001:10::/28', 'reserved'), // ORCHID
  v6('2001:db8::/32', 'documentation'),
  v6('3fff::/20', 'documentation'),
  v6('fc00::/7', 'private'), // unique local
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'private'), // deprecated site-local
  v6('ff00::/8', 'multicast'),
];

function blockedIPv6(value: bigint): string | null {
  // Forms that carry an IPv4 address are judged by that address: ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
  if (inRange6(value, MAPPED)) {
    const reason = blockedIPv4(low32(value));
    return reason === null ? null : `IPv4-mapped ${reason}`;
  }
  if (inRange6(value, NAT64)) {
    const reason = blockedIPv4(low32(value));
    return reason === null ? null : `NAT64 ${reason}`;
  }
  if (inRange6(value, SIX_TO_FOUR)) {
    const reason = blockedIPv4(Number((value >> 80n) & 0xffffffffn));
    return reason === null ? null : `6to4 ${reason}`;
  }
  for (const range of IPV6_BLOCKED) if (inRange6(value, range)) return range.reason;
  // The deprecated IPv4-compatible form ::a.b.c.d: refused either way, but the embedded address makes a better reason.
  if (inRange6(value, COMPAT)) {
    const reason = blockedIPv4(low32(value));
    return reason === null ? 'reserved' : `IPv4-compatible ${reason}`;
  }
  // Everything routable on the internet today is in 2000::/3; the rest is reserved or special, so failing closed
  // costs no real feed.
  if (!inRange6(value, GLOBAL_UNICAST)) return 'reserved';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** "[fe80::1%eth0]" → "fe80::1": brackets and a zone id are spelling, not part of the address. */
function normalise(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0 && a.includes(':')) a = a.slice(0, zone);
  return a;
}

/**
 * Why connecting to `address` is refused ("loopback", "private", "cloud metadata", "IPv4-mapped loopback"…), or
 * null for a public address. Anything that is not an IP address is refused too: the guard is only ever given
 * resolved addresses, so an unparseable one means something unexpected, and failing closed is the safe side.
 */
export function isBlockedAddress(address: string): string | null {
  const a = normalise(address);
  const v4value = parseIPv4(a);
  if (v4value !== null) return blockedIPv4(v4value);
  const v6value = parseIPv6(a);
  if (v6value !== null) return blockedIPv6(v6value);
  return 'not an IP address';
}

export type AddressGuard = (address: string, family: number, host: string) => void;

/** The `checkAddress` hook for fetchSource, or undefined when private feeds are allowed (nothing to check). */
export function createAddressGuard(options: { allowPrivate: boolean }): AddressGuard | undefined {
  if (options.allowPrivate) return undefined;
  return (address, _family, host) => {
    const reason = isBlockedAddress(address);
    if (reason === null) return;
    throw new FeedError(
      'blocked_address',
      `refused: ${oneLine(host, 120)} resolves to ${oneLine(address, 60)} (${reason}); set ALLOW_PRIVATE_FEEDS=true to allow private feeds`,
    );
  };
}

/** Throws unless `url` is an absolute http(s) URL: feeds users add must never be file:, ftp:, javascript:… */
export function checkFeedScheme(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new FeedError('bad_scheme', `invalid feed URL ${JSON.stringify(oneLine(url, 120))} (expected an http or https URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FeedError(
      'bad_scheme',
      `unsupported URL scheme ${oneLine(parsed.protocol, 20)} in feed URL ${oneLine(url.trim(), 120)} (only http and https are allowed)`,
    );
  }
}

/** User-supplied text inside an error message: one line, bounded, so logs and Discord replies stay readable. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
