import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { DEFAULT_USER_AGENT, FeedError, fetchSource } from '../../src/feeds/fetch.js';
import { gzipZeros, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { REAL_FEEDS_DIR } from '../support/shared.js';

const REAL = REAL_FEEDS_DIR;
const FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Müller – 柬埔寨 ខ្មែរ</title><item><title>x</title></item></channel></rss>`;

async function fetchError(promise: Promise<unknown>): Promise<FeedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FeedError);
    return err as FeedError;
  }
  throw new Error('expected a FeedError');
}

function drainOrClose(res: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

describe('fetchSource over HTTP', () => {
  let server: FeedServer;
  let bomb: Buffer;

  beforeAll(async () => {
    // 256 MiB of zeros gzip to ~260 KB: far past the 5 MiB cap once inflated.
    bomb = await gzipZeros(256);
    server = await startFeedServer({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { etag: '"v1"' }).end();
          return;
        }
        res
          .writeHead(200, {
            'content-type': 'application/rss+xml; charset=utf-8',
            etag: '"v1"',
            'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
            'cache-control': 'public, max-age=300',
          })
          .end(FEED);
      },
      '/silent': () => {
        // Never answers: only the total timeout can end this.
      },
      '/drip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
      },
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(6 * 1024 * 1024) }).end(Buffer.alloc(6 * 1024 * 1024, 0x20));
      },
      '/big-chunked': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 96 && !res.destroyed; i++) {
          if (!res.write(chunk)) await drainOrClose(res);
        }
        res.end();
      },
      '/bomb': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(bomb);
      },
      '/loop-a': (_req, res) => void res.writeHead(302, { location: '/loop-b' }).end(),
      '/loop-b': (_req, res) => void res.writeHead(301, { location: '/loop-a' }).end(),
      '/hop/1': (_req, res) => void res.writeHead(307, { location: '2' }).end(),
      '/hop/2': (_req, res) => void res.writeHead(308, { location: '/feed' }).end(),
      '/to-ftp': (_req, res) => void res.writeHead(302, { location: 'ftp://example.org/feed' }).end(),
      '/wrong-charset': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml; charset=iso-8859-1' }).end(Buffer.from(FEED, 'utf8'));
      },
      '/gzip': (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(FEED)),
      '/deflate': (_req, res) => void res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(FEED)),
      '/br': (_req, res) => void res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(FEED)),
      '/busy': (_req, res) => void res.writeHead(429, { 'retry-after': '120' }).end('slow down'),
      '/down': (_req, res) => {
        res.writeHead(503, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }).end();
      },
      '/gone': (_req, res) => void res.writeHead(404, { 'content-type': 'text/plain' }).end('nope'),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('returns the body and validators, then not_modified when the validators are sent back', async () => {
    const first = await fetchSource(server.url('/feed'));
    expect(first.kind).toBe('ok');
    if (first.kind !== 'ok') return;
    expect(first.body).toContain('Müller – 柬埔寨 ខ្មែរ');
    expect(first.validators).toEqual({ etag: '"v1"', lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' });
    expect(first.maxAgeMs).toBe(300_000);
    expect(first.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(server.lastHeaders('/feed')?.['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(server.lastHeaders('/feed')?.['accept-encoding']).toBe('gzip, deflate, br');

    const second = await fetchSource(server.url('/feed'), { validators: first.validators });
    expect(second.kind).toBe('not_modified');
    expect(second.status).toBe(304);
    expect(second.validators.etag).toBe('"v1"');
    const headers = server.lastHeaders('/feed');
    expect(headers?.['if-none-match']).toBe('"v1"');
    expect(headers?.['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const err = await fetchError(fetchSource(server.url('/silent'), { totalTimeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timed out after 0.3 s');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await fetchError(fetchSource(server.url('/silent'), { signal: controller.signal }));
    expect(err.code).toBe('network');
    expect(err.message).toBe('fetch aborted');
  });

  it('times out on a body that drips forever', async () => {
    const err = await fetchError(fetchSource(server.url('/drip'), { totalTimeoutMs: 400 }));
    expect(err.code).toBe('timeout');
  });

  it('refuses a 6 MiB body (declared length and chunked)', async () => {
    const declared = await fetchError(fetchSource(server.url('/big')));
    expect(declared.code).toBe('too_large');
    expect(declared.message).toBe('body exceeds 5 MiB limit (FEED_MAX_BYTES=5242880)');
    const chunked = await fetchError(fetchSource(server.url('/big-chunked')));
    expect(chunked.code).toBe('too_large');
  });

  it('stops a gzip bomb early with bounded memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const err = await fetchError(fetchSource(server.url('/bomb')));
    expect(err.code).toBe('too_large');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('detects redirect loops and follows relative redirects', async () => {
    const err = await fetchError(fetchSource(server.url('/loop-a')));
    expect(err.code).toBe('redirect_loop');
    expect(err.message).toBe('redirect loop (more than 5 redirects)');
    const ok = await fetchSource(server.url('/hop/1'));
    expect(ok.kind).toBe('ok');
    expect(ok.finalUrl).toBe(server.url('/feed'));
  });

  it('refuses non-http schemes, directly and via redirect', async () => {
    expect((await fetchError(fetchSource('ftp://example.org/feed'))).code).toBe('bad_scheme');
    expect((await fetchError(fetchSource(server.url('/to-ftp')))).code).toBe('bad_scheme');
  });

  it('decodes UTF-8 correctly despite a wrong ISO-8859-1 charset header', async () => {
    const res = await fetchSource(server.url('/wrong-charset'));
    expect(res.kind === 'ok' && res.body).toContain('Müller – 柬埔寨 ខ្មែរ');
  });

  it.each(['/gzip', '/deflate', '/br'])('decompresses %s bodies', async (path) => {
    const res = await fetchSource(server.url(path));
    expect(res.kind === 'ok' && res.body).toBe(FEED);
  });

  it('reports Retry-After on 429 and 503', async () => {
    const busy = await fetchError(fetchSource(server.url('/busy')));
    expect(busy.code).toBe('http_status');
    expect(busy.status).toBe(429);
    expect(busy.retryAfterMs).toBe(120_000);
    const down = await fetchError(fetchSource(server.url('/down')));
    expect(down.status).toBe(503);
    expect(down.retryAfterMs).toBeGreaterThan(50_000);
    expect(down.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('reports other statuses in one line', async () => {
    const err = await fetchError(fetchSource(server.url('/gone')));
    expect(err.code).toBe('http_status');
    expect(err.message).toBe(`HTTP 404 Not Found from ${server.url('/gone')}`);
  });

  it('never puts the login of a feed URL into its error message', async () => {
    const withLogin = server.url('/gone').replace('http://', 'http://advocacy:hunter2-S3cret@');
    const err = await fetchError(fetchSource(withLogin));
    expect(err.message).toBe(`HTTP 404 Not Found from ${server.url('/gone')}`);
  });

  it('calls checkAddress with the connected address and refuses when it throws', async () => {
    const seen: Array<[string, number, string]> = [];
    const ok = await fetchSource(server.url('/feed'), { checkAddress: (a, f, h) => void seen.push([a, f, h]) });
    expect(ok.kind).toBe('ok');
    expect(seen).toEqual([['127.0.0.1', 4, '127.0.0.1']]);

    const before = server.count('/feed');
    const err = await fetchError(
      fetchSource(server.url('/feed'), {
        checkAddress: () => {
          throw new Error('loopback is private');
        },
      }),
    );
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('loopback is private');
    expect(server.count('/feed')).toBe(before);
  });

  it('checks addresses that come from DNS resolution too (localhost)', async () => {
    const seen: string[] = [];
    const err = await fetchError(
      fetchSource(`http://localhost:${server.port}/feed`, {
        checkAddress: (address) => {
          seen.push(address);
          throw new Error('no');
        },
      }),
    );
    expect(err.code).toBe('blocked_address');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
  });

  it('maps connection failures to network errors', async () => {
    const closed = await startFeedServer();
    const url = closed.url('/feed');
    await closed.close();
    expect((await fetchError(fetchSource(url))).code).toBe('network');
  });
});

describe('fetchSource on files', () => {
  it('reads and decodes a file path (gb2312 feed)', async () => {
    const res = await fetchSource(`${REAL}/netnewswire__kc0011.rss`);
    expect(res.kind).toBe('ok');
    if (res.kind !== 'ok') return;
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(res.body).toMatch(/\p{Script=Han}/u);
    expect(res.body).not.toContain('\uFFFD');
    expect(res.finalUrl).toBe(pathToFileURL(`${REAL}/netnewswire__kc0011.rss`).href);
  });

  it('reads file: URLs and caps their size', async () => {
    const url = pathToFileURL(`${REAL}/feed-rs__rss_1.0_iso8859.xml`).href;
    const res = await fetchSource(url);
    expect(res.kind === 'ok' && res.body).toContain('Glasfaserförderung');
    expect((await fetchError(fetchSource(url, { maxBytes: 100 }))).code).toBe('too_large');
  });

  it('reports a missing file', async () => {
    const err = await fetchError(fetchSource(`${REAL}/does-not-exist.xml`));
    expect(err.code).toBe('file');
    expect(err.message).toContain('ENOENT');
  });
});
