// Our own HTTP client for feeds: conditional GET, bounded size after decompression, connect and total timeouts,
// manual redirects, and an address check on every connection (the hook the SSRF guard plugs into).
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import zlib from 'node:zlib';
import { open } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Transform, Writable, type Readable } from 'node:stream';
import { withoutCredentials } from '../core/credentials.js';
import { pipeline } from 'node:stream/promises';
import { decodeFeedBytes } from './decode.js';

export type FeedErrorCode =
  | 'timeout'
  | 'too_large'
  | 'redirect_loop'
  | 'bad_scheme'
  | 'http_status'
  | 'network'
  | 'not_a_feed'
  | 'invalid_xml'
  | 'unsafe_xml'
  | 'file'
  | 'blocked_address';

/** An expected failure of one feed: its message is one line fit for logs and the `feeds[].error` field. */
export class FeedError extends Error {
  override name = 'FeedError';
  readonly code: FeedErrorCode;
  retryAfterMs?: number;
  status?: number;

  constructor(code: FeedErrorCode, message: string, extra: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
    if (extra.status !== undefined) this.status = extra.status;
  }
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  validators?: Validators;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** Cap on the body, after decompression (and on the raw bytes). Default 5 MiB. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
  /** Called with the resolved IP of every connection (redirects included) before any bytes are sent; throw to refuse. */
  checkAddress?: (address: string, family: number, host: string) => void;
}

export type FetchResult =
  | { kind: 'not_modified'; status: 304; finalUrl: string; validators: Validators; retryAfterMs?: number; maxAgeMs?: number }
  | {
      kind: 'ok';
      status: number;
      finalUrl: string;
      body: string;
      bytes: number;
      contentType: string | null;
      validators: Validators;
      maxAgeMs?: number;
    };

export const DEFAULT_USER_AGENT = 'compound-watch/0.1 (+https://github.com/compound-watch/compound-watch; news monitor)';

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  // Two decimals, not one: a limit one byte under 6 MiB must not read "6.0 MiB".
  if (n >= 1024 * 1024) return `${(Math.floor((n / (1024 * 1024)) * 100) / 100).toFixed(2)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function tooLarge(maxBytes: number): FeedError {
  return new FeedError('too_large', `body exceeds ${formatBytes(maxBytes)} limit (FEED_MAX_BYTES=${maxBytes})`);
}

/** Fetches a feed from an http(s) URL, a `file:` URL or a file path. */
export async function fetchSource(source: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const trimmed = source.trim();
  if (/^https?:\/\//i.test(trimmed)) return fetchHttp(trimmed, opts);
  if (/^file:/i.test(trimmed)) {
    let path: string;
    try {
      path = fileURLToPath(trimmed);
    } catch (err) {
      throw new FeedError('file', `invalid file URL ${trimmed}`, { cause: err });
    }
    return readFileSource(path, opts);
  }
  // Any other scheme (ftp:, gopher:, javascript:…) is refused; "C:\feeds\x.xml" is a Windows path, not a scheme.
  if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed)) {
    throw new FeedError('bad_scheme', `unsupported URL scheme in ${trimmed} (only http, https and files)`);
  }
  return readFileSource(trimmed, opts);
}

async function readFileSource(path: string, opts: FetchOptions): Promise<FetchResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const abs = resolvePath(path);
  let handle;
  try {
    handle = await open(abs, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new FeedError('file', `cannot read feed file ${abs}: ${code}`, { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FeedError('file', `cannot read feed file ${abs}: not a regular file`);
    if (stat.size > maxBytes) throw tooLarge(maxBytes);
    // Read one byte past the cap so a file that grew after stat() is still caught.
    // Uninitialised is fine: only the bytes read are ever looked at.
    const buf = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled >= buf.length) break;
    }
    if (filled > maxBytes) throw tooLarge(maxBytes);
    const bytes = buf.subarray(0, filled);
    return {
      kind: 'ok',
      status: 200,
      finalUrl: pathToFileURL(abs).href,
      body: decodeFeedBytes(bytes),
      bytes: filled,
      contentType: null,
      validators: {},
    };
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new FeedError('file', `cannot read feed file ${abs}: ${code}`, { cause: err });
  } finally {
    await handle.close();
  }
}

/** Cache-Control max-age in ms, if given. */
export function parseMaxAge(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?/i.exec(header);
  return m?.[1] ? Number(m[1]) * 1000 : undefined;
}

/** Retry-After (delta-seconds or HTTP date) in ms from `now`, if given and sensible. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const v = header.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function validatorsFrom(res: http.IncomingMessage, fallback: Validators): Validators {
  const etag = headerString(res.headers.etag);
  const lastModified = headerString(res.headers['last-modified']);
  if (!etag && !lastModified) return { ...fallback };
  const out: Validators = {};
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  return out;
}

interface Hop {
  res: http.IncomingMessage;
  url: URL;
}

async function fetchHttp(source: string, opts: FetchOptions): Promise<FetchResult> {
  const totalMs = opts.totalTimeoutMs ?? 30_000;
  const maxRedirects = opts.maxRedirects ?? 5;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FeedError('timeout', `timed out after ${seconds(totalMs)}`)), totalMs);
  const onOuterAbort = (): void => controller.abort(new FeedError('network', 'fetch aborted'));
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  try {
    let url: URL;
    try {
      url = new URL(source);
    } catch (err) {
      throw new FeedError('bad_scheme', `invalid URL ${source}`, { cause: err });
    }
    for (let redirects = 0; ; redirects++) {
      const { res } = await requestOnce(url, opts, controller.signal);
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.destroy();
        if (redirects >= maxRedirects) {
          throw new FeedError('redirect_loop', `redirect loop (more than ${maxRedirects} redirects)`, { status });
        }
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch (err) {
          throw new FeedError('http_status', `HTTP ${status} with an invalid Location from ${withoutCredentials(url.href)}`, { status, cause: err });
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new FeedError('bad_scheme', `redirect to unsupported scheme ${next.protocol} from ${withoutCredentials(url.href)}`, { status });
        }
        url = next;
        continue;
      }
      return await finish({ res, url }, opts, maxBytes, controller.signal);
    }
  } catch (err) {
    // Whatever surfaced (ECONNRESET, AbortError…), an abort we caused explains it better.
    if (controller.signal.aborted && controller.signal.reason instanceof FeedError) throw controller.signal.reason;
    if (err instanceof FeedError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new FeedError('network', `network error fetching ${source}: ${e.code ?? e.message}`, { cause: err });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function finish(hop: Hop, opts: FetchOptions, maxBytes: number, signal: AbortSignal): Promise<FetchResult> {
  const { res, url } = hop;
  const status = res.statusCode ?? 0;
  const maxAgeMs = parseMaxAge(headerString(res.headers['cache-control']));
  const retryAfterMs = parseRetryAfter(headerString(res.headers['retry-after']));
  if (status === 304) {
    res.destroy();
    const result: FetchResult = { kind: 'not_modified', status: 304, finalUrl: url.href, validators: validatorsFrom(res, opts.validators ?? {}) };
    if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
    if (maxAgeMs !== undefined) result.maxAgeMs = maxAgeMs;
    return result;
  }
  if (status < 200 || status > 299) {
    res.destroy();
    const reason = res.statusMessage || http.STATUS_CODES[status] || 'error';
    const extra: { status: number; retryAfterMs?: number } = { status };
    let suffix = '';
    if ((status === 429 || status === 503) && retryAfterMs !== undefined) {
      extra.retryAfterMs = retryAfterMs;
      suffix = ` (retry after ${seconds(Math.round(retryAfterMs / 1000) * 1000)})`;
    }
    throw new FeedError('http_status', `HTTP ${status} ${reason} from ${withoutCredentials(url.href)}${suffix}`, extra);
  }
  const declared = Number(headerString(res.headers['content-length']) ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(maxBytes);
  }
  const body = await readBody(res, url, maxBytes, signal);
  const contentType = headerString(res.headers['content-type']) ?? null;
  const result: FetchResult = {
    kind: 'ok',
    status,
    finalUrl: url.href,
    body: decodeFeedBytes(body, contentType),
    bytes: body.length,
    contentType,
    validators: validatorsFrom(res, {}),
  };
  if (maxAgeMs !== undefined) result.maxAgeMs = maxAgeMs;
  return result;
}

function decoderFor(encoding: string, url: URL): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      // SYNC_FLUSH: keep what a truncated-but-otherwise-fine gzip stream gave us instead of failing the feed.
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      throw new FeedError('network', `unsupported Content-Encoding "${encoding}" from ${withoutCredentials(url.href)}`);
  }
}

/** Streams the body through its decoders, stopping as soon as either the raw or the decoded size passes the cap. */
async function readBody(res: http.IncomingMessage, url: URL, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encodings = (headerString(res.headers['content-encoding']) ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  let raw = 0;
  const rawCounter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      raw += chunk.length;
      if (raw > maxBytes) cb(tooLarge(maxBytes));
      else cb(null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) {
        cb(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
      cb();
    },
  });
  // Encodings are listed in the order applied, so they are undone in reverse.
  const decoders = encodings.reverse().map((e) => decoderFor(e, url));
  const stages: Array<Readable | Transform | Writable> = [res, rawCounter, ...decoders, sink];
  try {
    await pipeline(stages, { signal });
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || code.includes('BROTLI') || code.startsWith('ERR__ERROR')) {
      throw new FeedError('network', `could not decompress ${encodings.join(', ')} body: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  return Buffer.concat(chunks, size);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

function requestOnce(url: URL, opts: FetchOptions, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new FeedError('bad_scheme', `unsupported URL scheme ${url.protocol} in ${withoutCredentials(url.href)}`));
      return;
    }
    const host = stripBrackets(url.hostname);
    let refused: FeedError | null = null;
    const check = (address: string, family: number): void => {
      if (!opts.checkAddress) return;
      try {
        opts.checkAddress(address, family, host);
      } catch (err) {
        // The guard's own FeedError already names host, address and reason in one line.
        refused =
          err instanceof FeedError
            ? err
            : new FeedError('blocked_address', `refused to connect to ${host.slice(0, 100)} (${address}): ${(err as Error).message}`, { cause: err });
        throw refused;
      }
    };
    // net.connect skips the lookup for IP literals, so those are checked here, before any socket exists.
    const literalFamily = net.isIP(host);
    if (literalFamily) {
      try {
        check(host, literalFamily);
      } catch (err) {
        reject(err);
        return;
      }
    }
    // Checking inside lookup means we vet exactly the addresses the socket will connect to (no DNS rebinding gap).
    const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
      dns.lookup(hostname, options, (err, address, family) => {
        if (err) {
          callback(err, address as string, family);
          return;
        }
        try {
          if (Array.isArray(address)) for (const a of address) check(a.address, a.family);
          else check(address, family ?? (net.isIP(address) || 4));
        } catch (checkErr) {
          callback(checkErr as NodeJS.ErrnoException, address as string, family);
          return;
        }
        callback(null, address as string, family);
      });
    };
    const headers: Record<string, string> = {
      'User-Agent': opts.userAgent ?? DEFAULT_USER_AGENT,
      Accept: ACCEPT,
      'Accept-Encoding': 'gzip, deflate, br',
    };
    if (opts.validators?.etag) headers['If-None-Match'] = opts.validators.etag;
    if (opts.validators?.lastModified) headers['If-Modified-Since'] = opts.validators.lastModified;
    const mod = url.protocol === 'https:' ? https : http;
    let req: http.ClientRequest;
    try {
      req = mod.request(url, {
        method: 'GET',
        headers,
        // A fresh connection per fetch: every connection passes through `lookup`, and nothing lingers after close.
        agent: false,
        lookup: lookup as unknown as typeof dns.lookup,
        signal,
      });
    } catch (err) {
      reject(err);
      return;
    }
    const connectMs = opts.connectTimeoutMs ?? 10_000;
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => {
        req.destroy(new FeedError('timeout', `connect to ${host} timed out after ${seconds(connectMs)}`));
      }, connectMs);
      socket.once('connect', () => clearTimeout(t));
      socket.once('close', () => clearTimeout(t));
    });
    req.on('response', (res) => resolve({ res, url }));
    req.on('error', (err) => reject(refused ?? err));
    req.end();
  });
}
