// A tiny local HTTP server for network-edge tests: routes by path, counts requests, records headers.
// Binds 127.0.0.1 on an ephemeral port; close() also tears down connections that handlers left hanging.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
