// Section 5: one bot core (SQLite store, real fetcher, default FETCH_CONCURRENCY) polling 500 feeds over loopback.
//
// The politeness rule allows 2 concurrent requests per host:port, so 500 feeds on one server would measure
// that rule, not the bot: the feeds are spread over 50 servers of 10 feeds each.
//
// The bot side runs in a fresh child process (this file, started with --poll-bot) and the feed servers stay
// in the bench process. A bot's memory goal means nothing when measured in a process that has just hosted a
// fake Discord and two 10,000-item analyses; in its own process the peak RSS is the bot's, as in production.
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
import { runPollCycle } from '../src/pipeline/poll-cycle.js';
import { startFeedServer, type FeedServer } from '../test/support/feed-server.js';
import { compoundEvents, irrelevantArticles, relevantArticles, rssFeed, type Article } from './feeds.js';
import { RssSampler, type Row, type SectionContext, type SectionResult } from './run.js';

const SERVERS = 50;
const FEEDS_PER_SERVER = 10;
const FEEDS = SERVERS * FEEDS_PER_SERVER;
const ITEMS_PER_FEED = 50;
/** Topical items per feed; the rest is general news the relevance filter drops. */
const RELEVANT_PER_FEED = 3;
const BOT_FLAG = '--poll-bot';
/** A cycle that has not finished by then is reported as failed rather than hanging the bench. */
const CYCLE_TIMEOUT_MS = 15 * 60_000;

// ---------------------------------------------------------------------------------------------------------------------
// Messages between the bench and the bot process

type ToBot = { type: 'init'; urls: string[]; dataDir: string } | { type: 'cycle' } | { type: 'stop' };

interface CycleReport {
  ms: number;
  peakRssMb: number;
  /** RSS and heap right before the cycle, after a full collection. */
  baselineRssMb: number;
  baselineHeapMb: number;
  statuses: Record<string, number>;
  entries: number;
  newItems: number;
  relevant: number;
  stories: number;
  firstError: string | null;
}

type FromBot = { type: 'ready'; fetchConcurrency: number } | { type: 'cycle'; report: CycleReport } | { type: 'failed'; error: string };

// ---------------------------------------------------------------------------------------------------------------------
// Bot process

async function runBotProcess(): Promise<void> {
  const send = (m: FromBot): void => void process.send?.(m);
  const sampler = new RssSampler();
  let core: Core | null = null;
  let urls: string[] = [];
  process.on('message', (m: ToBot) => {
    void (async () => {
      try {
        if (m.type === 'init') {
          urls = m.urls;
          core = await buildCore(loadConfig({ DATA_DIR: m.dataDir, LOG_LEVEL: 'silent', ALLOW_PRIVATE_FEEDS: 'true' }), silentLogger);
          send({ type: 'ready', fetchConcurrency: core.config.fetchConcurrency });
        } else if (m.type === 'cycle') {
          if (!core) throw new Error('cycle before init');
          const deps = core.cycleDeps;
          globalThis.gc?.();
          const baselineRssMb = process.memoryUsage.rss() / 1024 / 1024;
          const baselineHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
          const measured = await sampler.measure(() => runPollCycle(deps, urls, { force: true }));
          const feeds = measured.result.feeds;
          const statuses: Record<string, number> = {};
          for (const f of feeds) statuses[f.status] = (statuses[f.status] ?? 0) + 1;
          send({
            type: 'cycle',
            report: {
              ms: measured.ms,
              peakRssMb: measured.peakRssMb,
              baselineRssMb,
              baselineHeapMb,
              statuses,
              entries: feeds.reduce((n, f) => n + f.entries, 0),
              newItems: feeds.reduce((n, f) => n + f.newItems, 0),
              relevant: feeds.reduce((n, f) => n + f.records.filter((r) => r.relevance.relevant).length, 0),
              stories: measured.result.changed.size,
              firstError: feeds.find((f) => f.error)?.error ?? null,
            },
          });
        } else if (m.type === 'stop') {
          await core?.stores.close();
          await sampler.stop();
          process.exit(0);
        }
      } catch (err) {
        send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  // The bench going away (crash, Ctrl-C) must not leave a bot process behind.
  process.on('disconnect', () => process.exit(0));
}

class BotProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): BotProcess {
    // execArgv is inherited: the child also runs with tsx and --expose-gc.
    return new BotProcess(fork(fileURLToPath(import.meta.url), [BOT_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  async request<T extends FromBot['type']>(message: ToBot, type: T, timeoutMs: number): Promise<Extract<FromBot, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`bot process: no "${type}" answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const onMessage = (m: FromBot): void => {
        if (m.type === 'failed') {
          cleanup();
          reject(new Error(`bot process: ${m.error}`));
        } else if (m.type === type) {
          cleanup();
          resolve(m as Extract<FromBot, { type: T }>);
        }
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`bot process exited early (code ${code ?? 'null'})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToBot);
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Feed servers (in the bench process)

interface Doc {
  etag: string;
  lastModified: string;
  gzip: Buffer;
  plain: Buffer;
}

function feedArticles(feed: number, events: ReturnType<typeof compoundEvents>): Article[] {
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
    // Most news sites compress feeds; the bot's decompression is part of a realistic cycle.
    gzip: gzipSync(plain),
  };
}

interface Counts {
  ok: number;
  notModified: number;
}

function serve(req: IncomingMessage, res: ServerResponse, doc: Doc, counts: Counts): void {
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.1.3).
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

interface Feeds {
  urls: string[];
  counts: Counts;
  /** Switches every feed to its second version (built before returning, so no cycle waits for it). */
  bump(): void;
  takeCounts(): Counts;
  close(): Promise<void>;
}

async function startFeeds(): Promise<Feeds> {
  const events = compoundEvents(200, 7);
  const articles = Array.from({ length: FEEDS }, (_, i) => feedArticles(i, events));
  let docs = articles.map((a, i) => buildDoc(i, 1, a));
  const counts: Counts = { ok: 0, notModified: 0 };
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
  return {
    urls,
    counts,
    bump() {
      docs = articles.map((a, i) => buildDoc(i, 2, a));
    },
    takeCounts() {
      const c = { ...counts };
      counts.ok = 0;
      counts.notModified = 0;
      return c;
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Section

const statusText = (s: Record<string, number>): string =>
  Object.entries(s)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

const memText = (r: CycleReport): string => `${Math.round(r.baselineRssMb)} / ${Math.round(r.baselineHeapMb)} MB`;

export async function benchPoll(ctx: SectionContext): Promise<SectionResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-bench-poll-'));
  let feeds: Feeds | null = null;
  let bot: BotProcess | null = null;
  try {
    feeds = await startFeeds();
    bot = BotProcess.start();
    const ready = await bot.request({ type: 'init', urls: feeds.urls, dataDir: dir }, 'ready', 60_000);
    const notes: string[] = [];
    const cycle = async (n: number): Promise<{ report: CycleReport; served: Counts }> => {
      const { report } = await (bot as BotProcess).request({ type: 'cycle' }, 'cycle', CYCLE_TIMEOUT_MS);
      if (report.firstError) notes.push(`cycle ${n} error example: ${report.firstError}`);
      return { report, served: (feeds as Feeds).takeCounts() };
    };

    ctx.progress(`cycle 1: first poll of ${feeds.urls.length} feeds on ${SERVERS} servers (priming)`);
    const c1 = await cycle(1);
    ctx.progress(`cycle 1 took ${(c1.report.ms / 1000).toFixed(1)} s; cycle 2: nothing changed (expect 304s)`);
    const c2 = await cycle(2);
    feeds.bump();
    ctx.progress('cycle 3: every document changed, no new items');
    const c3 = await cycle(3);

    const rows: Row[] = [
      { key: 'poll.feeds', label: `feeds (${SERVERS} servers × ${FEEDS_PER_SERVER}, ${ITEMS_PER_FEED} items)`, value: feeds.urls.length },
      { key: 'poll.concurrency', label: 'FETCH_CONCURRENCY (default) / per host', value: `${ready.fetchConcurrency} / 2` },
      { key: 'poll.c1_s', label: 'cycle 1 (prime) time', value: c1.report.ms / 1000, unit: 's' },
      { key: 'poll.c1_items', label: 'cycle 1 new items / relevant / stories', value: `${c1.report.newItems} / ${c1.report.relevant} / ${c1.report.stories}` },
      { key: 'poll.c1_statuses', label: 'cycle 1 feeds', value: statusText(c1.report.statuses) },
      { key: 'poll.c1_peak_rss_mb', label: 'cycle 1 peak RSS', value: Math.round(c1.report.peakRssMb), unit: 'MB' },
      { key: 'poll.c2_s', label: 'cycle 2 (all unchanged) time', value: c2.report.ms / 1000, unit: 's', goal: { op: '<', target: 3 } },
      { key: 'poll.c2_statuses', label: 'cycle 2 feeds', value: statusText(c2.report.statuses) },
      { key: 'poll.c2_served', label: 'cycle 2 server answers 200 / 304', value: `${c2.served.ok} / ${c2.served.notModified}` },
      { key: 'poll.c2_peak_rss_mb', label: 'cycle 2 peak RSS', value: Math.round(c2.report.peakRssMb), unit: 'MB' },
      { key: 'poll.c3_s', label: 'cycle 3 (all changed) time', value: c3.report.ms / 1000, unit: 's', goal: { op: '<', target: 10 } },
      { key: 'poll.c3_statuses', label: 'cycle 3 feeds', value: statusText(c3.report.statuses) },
      { key: 'poll.c3_entries', label: 'cycle 3 entries parsed / new', value: `${c3.report.entries} / ${c3.report.newItems}` },
      { key: 'poll.c3_peak_rss_mb', label: 'cycle 3 peak RSS', value: Math.round(c3.report.peakRssMb), unit: 'MB', goal: { op: '<', target: 300 } },
      { key: 'poll.c1_baseline', label: 'bot RSS / JS heap before cycle 1 (after gc)', value: memText(c1.report) },
      { key: 'poll.c2_baseline', label: 'bot RSS / JS heap before cycle 2 (after gc)', value: memText(c2.report) },
      { key: 'poll.c3_baseline', label: 'bot RSS / JS heap before cycle 3 (after gc)', value: memText(c3.report) },
    ];
    if (c1.served.ok !== feeds.urls.length) notes.push(`cycle 1: the servers answered ${c1.served.ok} × 200 for ${feeds.urls.length} feeds`);
    if (c3.served.ok !== feeds.urls.length) notes.push(`cycle 3: the servers answered ${c3.served.ok} × 200 for ${feeds.urls.length} feeds`);
    notes.push('the bot runs in a child process of its own (its RSS is what is shown); the feed servers run in the bench process');
    return { rows, notes };
  } finally {
    await bot?.stop().catch(() => undefined);
    await feeds?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === BOT_FLAG && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runBotProcess();
}
