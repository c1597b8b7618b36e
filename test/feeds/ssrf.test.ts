// The SSRF guard: the address table, then the guard wired into fetchSource against local servers, where the
// interesting property is not the verdict but that no byte ever reaches a refused server (direct, after a
// redirect, or through a name that resolves to a private address).
import dns from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FeedError, fetchSource } from '../../src/feeds/fetch.js';
import { checkFeedScheme, createAddressGuard, isBlockedAddress } from '../../src/feeds/ssrf.js';
import { rss, EVENT_RAID } from '../support/articles.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

describe('isBlockedAddress', () => {
  const blocked: Array<[string, RegExp]> = [
    // IPv4
    ['0.0.0.0', /^unspecified$/u],
    ['0.1.2.3', /^unspecified$/u],
    ['10.0.0.1', /^private$/u],
    ['10.255.255.255', /^private$/u],
    ['100.64.0.1', /^CGNAT$/u],
    ['100.127.255.254', /^CGNAT$/u],
    ['100.100.100.200', /^cloud metadata$/u],
    ['127.0.0.1', /^loopback$/u],
    ['127.255.255.254', /^loopback$/u],
    ['169.254.0.1', /^link-local$/u],
    ['169.254.169.254', /^cloud metadata$/u],
    ['169.254.170.2', /^cloud metadata$/u],
    ['172.16.0.1', /^private$/u],
    ['172.31.255.255', /^private$/u],
    ['192.0.0.8', /^reserved$/u],
    ['192.0.2.10', /^documentation$/u],
    ['192.168.1.1', /^private$/u],
    ['198.18.0.1', /^reserved$/u],
    ['198.19.255.255', /^reserved$/u],
    ['198.51.100.7', /^documentation$/u],
    ['203.0.113.9', /^documentation$/u],
    ['224.0.0.1', /^multicast$/u],
    ['239.255.255.250', /^multicast$/u],
    ['240.0.0.1', /^reserved$/u],
    ['255.255.255.255', /^broadcast$/u],
    // IPv6, including spellings that must normalise to the same address
    ['::', /^unspecified$/u],
    ['0:0:0:0:0:0:0:0', /^unspecified$/u],
    ['::1', /^loopback$/u],
    ['0:0:0:0:0:0:0:1', /^loopback$/u],
    ['0000::0001', /^loopback$/u],
    ['[::1]', /^loopback$/u],
    ['fc00::1', /^private$/u],
    ['fd12:3456:789a::1', /^private$/u],
    ['FD12:3456:789A::1', /^private$/u],
    ['fe80::1', /^link-local$/u],
    ['fe80::1%eth0', /^link-local$/u],
    ['febf:ffff::1', /^link-local$/u],
    ['ff02::1', /^multicast$/u],
    ['ff05::1:3', /^multicast$/u],
    ['::ffff:127.0.0.1', /^IPv4-mapped loopback$/u],
    ['::ffff:7f00:1', /^IPv4-mapped loopback$/u],
    ['::FFFF:7F00:0001', /^IPv4-mapped loopback$/u],
    ['0:0:0:0:0:ffff:127.0.0.1', /^IPv4-mapped loopback$/u],
    ['::ffff:10.0.0.1', /^IPv4-mapped private$/u],
    ['::ffff:a9fe:a9fe', /^IPv4-mapped cloud metadata$/u],
    ['::ffff:0.0.0.0', /^IPv4-mapped unspecified$/u],
    ['::127.0.0.1', /^IPv4-compatible loopback$/u],
    ['64:ff9b::127.0.0.1', /^NAT64 loopback$/u],
    ['64:ff9b::a00:1', /^NAT64 private$/u],
    ['64:ff9b::169.254.169.254', /^NAT64 cloud metadata$/u],
    ['2002:7f00:1::', /^6to4 loopback$/u],
    ['2001:db8::1', /^documentation$/u],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', /^documentation$/u],
    ['fd00:ec2::254', /^cloud metadata$/u],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /^Teredo$/u],
    ['100::1', /^reserved$/u],
    ['4000::1', /^reserved$/u],
    // Not an address at all: the guard only ever sees resolved addresses, so this fails closed.
    ['', /^not an IP address$/u],
    ['localhost', /^not an IP address$/u],
    ['0x7f000001', /^not an IP address$/u],
    ['1.2.3.4.5', /^not an IP address$/u],
  ];
  it.each(blocked)('blocks %s', (address, reason) => {
    expect(isBlockedAddress(address)).toMatch(reason);
  });

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255', // just below CGNAT
    '100.128.0.0', // just above CGNAT
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '192.169.0.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ];
  it.each(allowed)('allows %s', (address) => {
    expect(isBlockedAddress(address)).toBeNull();
  });
});

describe('checkFeedScheme', () => {
  it.each(['http://example.org/feed', 'https://example.org/feed', 'HTTPS://EXAMPLE.ORG/feed'])('accepts %s', (url) => {
    expect(() => checkFeedScheme(url)).not.toThrow();
  });

  it.each(['file:///etc/passwd', 'ftp://example.org/feed.xml', 'javascript:alert(1)', 'data:text/xml,<rss/>', 'gopher://x/', '/etc/passwd', 'not a url', 'http//missing-colon'])(
    'refuses %s with a one-line bad_scheme error',
    (url) => {
      let caught: unknown;
      try {
        checkFeedScheme(url);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FeedError);
      expect((caught as FeedError).code).toBe('bad_scheme');
      expect((caught as FeedError).message).not.toMatch(/\n/u);
    },
  );

  it('keeps a hostile URL from breaking the message onto several lines', () => {
    expect(() => checkFeedScheme('ftp://x/\n@everyone')).toThrow(/^unsupported URL scheme ftp: in feed URL [^\n]*$/u);
  });
});

describe('createAddressGuard', () => {
  it('is absent when private feeds are allowed', () => {
    expect(createAddressGuard({ allowPrivate: true })).toBeUndefined();
  });

  it('throws a FeedError naming host, address, reason and the way out', () => {
    const guard = createAddressGuard({ allowPrivate: false });
    expect(guard).toBeDefined();
    expect(() => guard?.('169.254.169.254', 4, 'metadata.example')).toThrow(
      'refused: metadata.example resolves to 169.254.169.254 (cloud metadata); set ALLOW_PRIVATE_FEEDS=true to allow private feeds',
    );
    try {
      guard?.('::1', 6, 'x');
    } catch (err) {
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).code).toBe('blocked_address');
    }
    expect(() => guard?.('93.184.216.34', 4, 'example.com')).not.toThrow();
  });
});

describe('the guard inside fetchSource', () => {
  let target: FeedServer;
  let front: FeedServer;
  const guard = createAddressGuard({ allowPrivate: false });
  const body = rss('Target', [EVENT_RAID]);

  beforeAll(async () => {
    target = await startFeedServer({
      '/feed': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body),
    });
    front = await startFeedServer({
      '/go': (_req, res) => void res.writeHead(302, { location: target.url('/feed') }).end(),
      '/go-mapped': (_req, res) => void res.writeHead(301, { location: `http://[::ffff:127.0.0.1]:${target.port}/feed` }).end(),
      '/go-hex': (_req, res) => void res.writeHead(307, { location: `http://0x7f.0.0.1:${target.port}/feed` }).end(),
      '/go-file': (_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    });
  });

  afterAll(async () => {
    await front.close();
    await target.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function refusal(url: string, checkAddress: typeof guard): Promise<FeedError> {
    const result = await fetchSource(url, { ...(checkAddress ? { checkAddress } : {}), totalTimeoutMs: 3000 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(result).toBeInstanceOf(FeedError);
    return result as FeedError;
  }

  function expectOneLine(err: FeedError): void {
    expect(err.code).toBe('blocked_address');
    expect(err.message).not.toMatch(/\n/u);
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toMatch(/ALLOW_PRIVATE_FEEDS=true/u);
  }

  it('still fetches a local feed when no guard is installed (ALLOW_PRIVATE_FEEDS=true)', async () => {
    const result = await fetchSource(target.url('/feed'), { totalTimeoutMs: 3000 });
    expect(result.kind).toBe('ok');
  });

  it('refuses a direct http://127.0.0.1 feed before sending anything', async () => {
    const before = target.count('/feed');
    const err = await refusal(target.url('/feed'), guard);
    expectOneLine(err);
    expect(err.message).toMatch(/127\.0\.0\.1.*\(loopback\)/u);
    expect(target.count('/feed')).toBe(before);
  });

  it.each([
    ['IPv4-mapped literal', (port: number) => `http://[::ffff:127.0.0.1]:${port}/feed`, /IPv4-mapped loopback/u],
    ['hex IPv4 spelling', (port: number) => `http://0x7f.0.0.1:${port}/feed`, /loopback/u],
    ['single-number IPv4 spelling', (port: number) => `http://2130706433:${port}/feed`, /loopback/u],
    ['IPv6 loopback literal', (port: number) => `http://[0:0::1]:${port}/feed`, /loopback/u],
  ])('refuses the %s of a loopback address', async (_name, make, reason) => {
    const before = target.requests.length;
    const err = await refusal(make(target.port), guard);
    expectOneLine(err);
    expect(err.message).toMatch(reason);
    expect(target.requests.length).toBe(before);
  });

  // The front server is itself on 127.0.0.1, so it stands for "a public host": the wrapper lets the first
  // connection through and applies the real guard from the second one (the redirect target) on.
  function allowFirstConnection(): NonNullable<typeof guard> {
    let connections = 0;
    return (address, family, host) => {
      connections += 1;
      if (connections > 1) guard?.(address, family, host);
    };
  }

  it.each(['/go', '/go-mapped', '/go-hex'])('refuses a public-looking feed that redirects to loopback (%s)', async (path) => {
    const before = target.requests.length;
    const frontBefore = front.count(path);
    const err = await refusal(front.url(path), allowFirstConnection());
    expectOneLine(err);
    expect(err.message).toMatch(/loopback/u);
    expect(front.count(path)).toBe(frontBefore + 1);
    expect(target.requests.length).toBe(before);
  });

  it('refuses a redirect to a file: URL', async () => {
    const err = await refusal(front.url('/go-file'), allowFirstConnection());
    expect(err.code).toBe('bad_scheme');
  });

  it('refuses localhost because it is the resolved address that is checked', async () => {
    const before = target.requests.length;
    const err = await refusal(`http://localhost:${target.port}/feed`, guard);
    expectOneLine(err);
    expect(err.message).toMatch(/localhost/u);
    expect(err.message).toMatch(/loopback/u);
    expect(target.requests.length).toBe(before);
  });

  // DNS rebinding: an attacker's name that answers with a public address when "validated" and 127.0.0.1 when
  // connected to. fetch.ts has no separate validation lookup, so the one lookup that matters is the socket's own;
  // we make the resolver return the hostile answers and check that the connection is refused.
  function fakeResolver(answers: (hostname: string, call: number) => Array<{ address: string; family: number }>): void {
    let calls = 0;
    const real = dns.lookup;
    vi.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback: unknown) => {
      const cb = (typeof options === 'function' ? options : callback) as (
        err: NodeJS.ErrnoException | null,
        address: string | dns.LookupAddress[],
        family?: number,
      ) => void;
      const opts = (typeof options === 'object' && options !== null ? options : {}) as dns.LookupOptions;
      if (!hostname.endsWith('.rebind.test')) return (real as (...args: unknown[]) => void)(hostname, options, callback);
      calls += 1;
      const list = answers(hostname, calls);
      process.nextTick(() => {
        if (opts.all) cb(null, list);
        else cb(null, list[0]?.address ?? '', list[0]?.family ?? 4);
      });
      return undefined;
    }) as unknown as typeof dns.lookup);
  }

  it('refuses a rebinding name whose answer at connect time is 127.0.0.1', async () => {
    // First answer public (what a pre-flight check would have seen), every later one loopback.
    let validated = false;
    fakeResolver((_host, call) => (call === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]));
    // A pre-flight lookup, as a naive guard would do it: public, so it "passes".
    await new Promise<void>((resolve) =>
      dns.lookup('feeds.rebind.test', {}, (_e, address) => {
        validated = isBlockedAddress(address as string) === null;
        resolve();
      }),
    );
    expect(validated).toBe(true);
    const before = target.requests.length;
    const err = await refusal(`http://feeds.rebind.test:${target.port}/feed`, guard);
    expectOneLine(err);
    expect(err.message).toMatch(/feeds\.rebind\.test.*127\.0\.0\.1.*loopback/u);
    expect(target.requests.length).toBe(before);
  });

  it('refuses a name with one public and one private address among its answers', async () => {
    fakeResolver(() => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ]);
    const err = await refusal(`http://mixed.rebind.test:${target.port}/feed`, guard);
    expectOneLine(err);
    expect(err.message).toMatch(/cloud metadata/u);
  });
});
