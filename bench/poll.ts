// Section 5: one bot core (SQLite store, real fetcher) polling 500 feeds served over loopback.
//
// The politeness rule allows 2 concurrent requests per host:port, so 500 feeds on one server would measure
// that rule, not the bot: the feeds are spread over 50 servers of 10 feeds each. The servers run in a child
// process (this same file, started with --feed-servers), so the figures are the bot's own: the peak RSS is
// not inflated by the servers' copies of the documents, and serving does not compete for the bot's event loop.
//
// Cycle 1 primes (every item is new), cycle 2 must be all 304s, then every document changes (new ETag and
// Last-Modified, items reordered, channel description changed, no new items) and cycle 3 re-parses them all.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildCore, type Core } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { runPollCycle, type CycleResult } from '../src/pipeline/poll-cycle.js';
import { startFeedServer, type FeedServer } from '../test/support/feed-server.js';
import { compoundEvents, irrelevantArticles, relevantArticles, rssFeed, type Article } from './feeds.js';
import type { Measured, Row, SectionContext, SectionResult } from './run.js';

const SERVERS = 50;
const FEEDS_PER_SERVER = 10;
const FEEDS = SERVERS * FEEDS_PER_SERVER;
const ITEMS_PER_FEED = 50;
/** Topical items per feed; the rest is general news the relevance filter drops. */
const RELEVANT_PER_FEED = 3;
const CHILD_FLAG = '--feed-servers';

// ---------------------------------------------------------------------------------------------------------------------
// Child: the feed servers

type ToChild = { type: 'bump' } | { type: 'stats' } | { type: 'stop' };
type FromChild =
  | { type: 'ready'; urls: string[] }
  | { type: 'bumped' }
  | { type: 'stats'; ok: number; notModified: number; other: number };

interface Doc {
  etag: string;
  lastModified: string;
  gzip: Buffer;
  plain: Buffer;
}

function feedArticles(feed: number): Article[] {
  const events = compoundEvents(200, 7);
  const picked = Array.from({ length: RELEVANT_PER_FEED }, (_, k) => events[(feed * RELEVANT_PER_FEED + k) % events.length]);
  const relevant = relevantArticles(
    picked.filter((e) => e !== undefined),
    1,
    1000 + feed,
    `f${feed}`,
  );
  const noise = irrelevantArticles(ITEMS_PER_FEED - relevant.length, 5000 + feed, `f${feed}`);
  return [...relevant, ...noise].sort((a, b) => Date.parse(b.pubDate) - Date.parse(a.pubDate));
}

/** Version 1 is the first document; version 2 has the same items reordered and a changed channel description. */
function buildDoc(feed: number, version: number, articles: Article[]): Doc {
  const items = version === 1 ? articles : articles.slice().reverse();
  const xml = rssFeed(
    { title: `Bench feed ${feed}`, link: `https://outlet-${feed}.example/`, description: `General news, edition ${version}` },
    items,
  );
  const plain = Buffer.from(xml);
  return {
    etag: `"f${feed}-v${version}"`,
    lastModified: new Date(Date.UTC(2026, 5, 1) + version * 3_600_000).toUTCString(),
    plain,
    gzip: gzipSync(plain),
  };
}

function serve(req: IncomingMessage, res: ServerResponse, doc: Doc, counts: { ok: number; notModified: number }): void {
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  const fresh = inm !== undefined ? inm === doc.etag : ims !== undefined && Date.parse(ims) >= Date.parse(doc.lastModified);
  const headers = { etag: doc.etag, 'last-modified': doc.lastModified };
  if (fresh) {
    counts.notModified += 1;
    res.writeHead(304, headers).end();
    return;
  }
  counts.ok += 1;
  const gzip = /\bgzip\b/u.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? doc.gzip : doc.plain;
  res
    .writeHead(200, {
      ...headers,
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-length': String(body.length),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    })
    .end(body);
}

async function runFeedServers(): Promise<void> {
  const send = (m: FromChild): void => void process.send?.(m);
  const articles = Array.from({ length: FEEDS }, (_, i) => feedArticles(i));
  let docs = articles.map((a, i) => buildDoc(i, 1, a));
  const counts = { ok: 0, notModified: 0 };
  const servers: FeedServer[] = [];
  const urls: string[] = [];
  for (let s = 0; s < SERVERS; s++) {
    const server = await startFeedServer();
    servers.push(server);
    for (let j = 0; j < FEEDS_PER_SERVER; j++) {
      const feed = s * FEEDS_PER_SERVER + j;
      const route = `/feed-${feed}.xml`;
      server.route(route, (req, res) => {
        const doc = docs[feed];
        if (!doc) res.writeHead(404).end();
        else serve(req, res, doc, counts);
      });
      urls.push(server.url(route));
    }
  }
  process.on('message', (raw: ToChild) => {
    if (raw.type === 'bump') {
      // Built before answering, so the bot's timed cycle never waits for document generation.
      docs = articles.map((a, i) => buildDoc(i, 2, a));
      send({ type: 'bumped' });
    } else if (raw.type === 'stats') {
      send({ type: 'stats', ok: counts.ok, notModified: counts.notModified, other: 0 });
      counts.ok = 0;
      counts.notModified = 0;
    } else if (raw.type === 'stop') {
      void Promise.all(servers.map((s) => s.close())).finally(() => process.exit(0));
    }
  });
  // The parent going away (crash, Ctrl-C) must not leave 50 servers behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', urls });
}

// ---------------------------------------------------------------------------------------------------------------------
// Parent: the bench

class FeedServers {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<{ servers: FeedServers; urls: string[] }> {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const servers = new FeedServers(child);
    const ready = await servers.next('ready', 120_000);
    if (ready.type !== 'ready') throw new Error('feed servers did not start');
    return { servers, urls: ready.urls };
  }

  private next(type: FromChild['type'], timeoutMs = 60_000): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`feed servers: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (m: FromChild): void => {
        if (m.type !== type) return;
        cleanup();
        resolve(m);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`feed servers exited early (code ${code ?? 'null'})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  async bump(): Promise<void> {
    this.child.send({ type: 'bump' } satisfies ToChild);
    await this.next('bumped');
  }

  async stats(): Promise<{ ok: number; notModified: number }> {
    this.child.send({ type: 'stats' } satisfies ToChild);
    const m = await this.next('stats');
    return m.type === 'stats' ? { ok: m.ok, notModified: m.notModified } : { ok: 0, notModified: 0 };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToChild);
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

interface CycleFigures {
  measured: Measured<CycleResult>;
  statuses: Record<string, number>;
  newItems: number;
  entries: number;
  firstError: string | null;
}

async function timedCycle(ctx: SectionContext, core: Core, urls: string[]): Promise<CycleFigures> {
  globalThis.gc?.();
  const measured = await ctx.measure(() => runPollCycle(core.cycleDeps, urls, { force: true }));
  const statuses: Record<string, number> = {};
  for (const f of measured.result.feeds) statuses[f.status] = (statuses[f.status] ?? 0) + 1;
  return {
    measured,
    statuses,
    newItems: measured.result.feeds.reduce((n, f) => n + f.newItems, 0),
    entries: measured.result.feeds.reduce((n, f) => n + f.entries, 0),
    firstError: measured.result.feeds.find((f) => f.error)?.error ?? null,
  };
}

const statusText = (s: Record<string, number>): string =>
  Object.entries(s)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

export async function benchPoll(ctx: SectionContext): Promise<SectionResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-bench-poll-'));
  let servers: FeedServers | null = null;
  let core: Core | null = null;
  try {
    const started = await FeedServers.start();
    servers = started.servers;
    const urls = started.urls;
    core = await buildCore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ALLOW_PRIVATE_FEEDS: 'true' }), silentLogger);
    const notes: string[] = [];

    ctx.progress(`cycle 1: first poll of ${urls.length} feeds on ${SERVERS} servers (priming)`);
    const c1 = await timedCycle(ctx, core, urls);
    const s1 = await servers.stats();
    const relevant1 = c1.measured.result.feeds.reduce((n, f) => n + f.records.filter((r) => r.relevance.relevant).length, 0);
    if (c1.firstError) notes.push(`cycle 1 error example: ${c1.firstError}`);

    ctx.progress('cycle 2: nothing changed (expect 304s)');
    const c2 = await timedCycle(ctx, core, urls);
    const s2 = await servers.stats();
    if (c2.firstError) notes.push(`cycle 2 error example: ${c2.firstError}`);

    await servers.bump();
    ctx.progress('cycle 3: every document changed, no new items');
    const c3 = await timedCycle(ctx, core, urls);
    const s3 = await servers.stats();
    if (c3.firstError) notes.push(`cycle 3 error example: ${c3.firstError}`);

    const rows: Row[] = [
      { key: 'poll.feeds', label: `feeds (${SERVERS} servers × ${FEEDS_PER_SERVER})`, value: urls.length },
      { key: 'poll.concurrency', label: 'FETCH_CONCURRENCY (default) / per host', value: `${core.config.fetchConcurrency} / 2` },
      { key: 'poll.c1_s', label: 'cycle 1 (prime) time', value: c1.measured.ms / 1000, unit: 's' },
      { key: 'poll.c1_new_items', label: 'cycle 1 new items / relevant', value: `${c1.newItems} / ${relevant1}` },
      { key: 'poll.c1_statuses', label: 'cycle 1 feeds', value: statusText(c1.statuses) },
      { key: 'poll.c1_peak_rss_mb', label: 'cycle 1 peak RSS', value: Math.round(c1.measured.peakRssMb), unit: 'MB' },
      { key: 'poll.c2_s', label: 'cycle 2 (all 304) time', value: c2.measured.ms / 1000, unit: 's', goal: { op: '<', target: 3 } },
      { key: 'poll.c2_statuses', label: 'cycle 2 feeds', value: statusText(c2.statuses) },
      { key: 'poll.c2_server_304', label: 'cycle 2 server answers 200 / 304', value: `${s2.ok} / ${s2.notModified}` },
      { key: 'poll.c2_peak_rss_mb', label: 'cycle 2 peak RSS', value: Math.round(c2.measured.peakRssMb), unit: 'MB' },
      { key: 'poll.c3_s', label: 'cycle 3 (all changed) time', value: c3.measured.ms / 1000, unit: 's', goal: { op: '<', target: 10 } },
      { key: 'poll.c3_statuses', label: 'cycle 3 feeds', value: statusText(c3.statuses) },
      { key: 'poll.c3_entries', label: 'cycle 3 entries parsed / new', value: `${c3.entries} / ${c3.newItems}` },
      { key: 'poll.c3_peak_rss_mb', label: 'cycle 3 peak RSS', value: Math.round(c3.measured.peakRssMb), unit: 'MB', goal: { op: '<', target: 300 } },
    ];
    if (s1.ok !== urls.length) notes.push(`cycle 1: the servers answered ${s1.ok} × 200 for ${urls.length} feeds`);
    if (s3.ok !== urls.length) notes.push(`cycle 3: the servers answered ${s3.ok} × 200 for ${urls.length} feeds`);
    notes.push('feed servers run in a child process: RSS figures are the bot process alone');
    return { rows, notes };
  } finally {
    await core?.stores.close().catch(() => undefined);
    await servers?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runFeedServers();
}
