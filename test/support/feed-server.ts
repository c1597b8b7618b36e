// A tiny local HTTP server for network-edge tests: routes by path, counts requests, records headers.
// Binds 127.0.0.1 on an ephemeral port; close() also tears down connections that handlers left hanging.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import { rss, type Article } from './articles.js';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FeedServer {
  /** Origin without trailing slash, e.g. http://127.0.0.1:54321 */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL for a path on this server. */
  url(path: string): string;
  /** Adds or replaces a route (exact pathname match, query ignored). */
  route(path: string, handler: RouteHandler): void;
  /** How many requests reached `path`. */
  count(path: string): number;
  /** Every request in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Headers of the most recent request to `path`. */
  lastHeaders(path: string): http.IncomingHttpHeaders | undefined;
  close(): Promise<void>;
}

export async function startFeedServer(routes: Record<string, RouteHandler> = {}): Promise<FeedServer> {
  const table = new Map<string, RouteHandler>(Object.entries(routes));
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    requests.push({ method: req.method ?? 'GET', path, headers: { ...req.headers } });
    const handler = table.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (path, handler) => void table.set(path, handler),
    count: (path) => counts.get(path) ?? 0,
    requests,
    lastHeaders: (path) => requests.filter((r) => r.path === path).at(-1)?.headers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves `rss(title, items)` as application/rss+xml. `items` may be a function, read on every request, so a
 * test can change what the feed holds. With `etag`, the response carries an ETag derived from the body and a
 * matching If-None-Match gets a 304 (which still counts as a request to the path).
 */
export function rssRoute(title: string, items: readonly Article[] | (() => readonly Article[]), options: { etag?: boolean } = {}): RouteHandler {
  return (req, res) => {
    const list = typeof items === 'function' ? items() : items;
    const body = rss(title, [...list]);
    if (!options.etag) return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    const etag = `"${body.length}-${list.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
  };
}

const MiB = 1024 * 1024;

/** Gzips `mebibytes` of zeros chunk by chunk, so building the bomb never holds the inflated bytes. */
export async function gzipZeros(mebibytes: number): Promise<Buffer> {
  const gz = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < mebibytes; i += 1) {
    if (!gz.write(zeros)) await new Promise<void>((resolve) => gz.once('drain', resolve));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

/**
 * A gzip bomb streamed on the fly: `mebibytes` of zeros, gzipped as they are sent, with backpressure, stopped
 * when the client goes away. `headers` are added to `content-encoding: gzip`.
 */
export function gzipBombRoute(mebibytes: number, headers: http.OutgoingHttpHeaders = {}): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', ...headers });
    const gz = zlib.createGzip();
    gz.pipe(res);
    const zeros = Buffer.alloc(MiB);
    let n = 0;
    const pump = () => {
      while (n < mebibytes) {
        n += 1;
        if (!gz.write(zeros)) return void gz.once('drain', pump);
      }
      gz.end();
    };
    pump();
    res.on('close', () => gz.destroy());
  };
}
