// `npm run soak`: thirty minutes of a busy bot compressed into a fixed number of cycles. 1,000 feeds on local
// servers, 100 Discord servers subscribed, new items every cycle, slash commands arriving while cycles run.
// Prints cycle times, posts, command latency during cycles and memory per cycle; memory must not grow cycle
// over cycle (compared after a forced GC once the run has warmed up).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStores } from '../src/store/keyv-store.js';
import type { Article } from '../test/support/articles.js';
import { startTestBot } from '../test/support/bot-harness.js';
import { FakeDiscord, type FakeGuild } from '../test/support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../test/support/feed-server.js';
import { manyEvents } from '../test/support/many-events.js';
import { ascending, percentile } from './stats.js';

const FEEDS = Number(process.env['SOAK_FEEDS'] ?? 1000);
const GUILDS = Number(process.env['SOAK_GUILDS'] ?? 100);
const CYCLES = Number(process.env['SOAK_CYCLES'] ?? 12); // 12 cycles of 2.5 minutes = 30 minutes
const NEW_EVENTS_PER_CYCLE = Number(process.env['SOAK_NEW_EVENTS'] ?? 4);
const FEEDS_PER_SERVER = 20;
const COMMANDS_PER_SECOND = Number(process.env['SOAK_CPS'] ?? 40);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const pct = (xs: readonly number[], p: number) => percentile(ascending(xs), p);

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'cw-soak-'));
  const guilds: FakeGuild[] = Array.from({ length: GUILDS }, (_, g) => ({
    id: `12${String(1000 + g).padStart(4, '0')}00000000001`,
    name: `Server ${g}`,
    ownerId: '1300000000000000001',
    channels: [{ id: `12${String(1000 + g).padStart(4, '0')}00000000002`, name: 'news' }],
    members: [{ id: '1300000000000000001', username: 'admin' }],
  }));
  const fake = await FakeDiscord.start({ guilds, recordRequests: false });

  // Feeds: each has a few old items; new events land in random feeds as the cycles go.
  const docs = new Map<string, Article[]>();
  const servers: FeedServer[] = [];
  const sources: string[] = [];
  for (let s = 0; s < FEEDS / FEEDS_PER_SERVER; s += 1) {
    const server = await startFeedServer();
    servers.push(server);
    for (let f = 0; f < FEEDS_PER_SERVER; f += 1) {
      const p = `/feed-${s}-${f}.xml`;
      const url = server.url(p);
      sources.push(url);
      docs.set(url, []);
      server.route(p, rssRoute(`Outlet ${s}-${f}`, () => docs.get(url) ?? [], { etag: true }));
    }
  }

  // Every server subscribed a channel before the run.
  const pre = await openStores({ storeUrl: null, dataDir: tmp });
  for (const g of guilds) {
    await pre.guilds.put({
      guildId: g.id,
      subscriptions: [{ channelId: g.channels[0]?.id ?? '', mode: 'instant', digestHour: 8, timezone: 'UTC', since: '2020-01-01T00:00:00.000Z' }],
      adminChannelId: null,
      addedFeeds: [],
      removedFeeds: [],
    });
  }
  await pre.close();

  // The test harness's bot (local feeds allowed, no schedule, no stagger, silent), with soak's limits.
  const bot = await startTestBot({
    fake,
    dataDir: tmp,
    feeds: sources,
    env: { FETCH_CONCURRENCY: '32', MAX_POSTS_PER_HOUR: '1000', LOG_LEVEL: 'silent' },
    overrides: { clientOptions: { rest: { offset: 0 }, waitGuildTimeout: 2000 } },
  });

  let eventIndex = 0;
  const addEvents = (n: number) => {
    const batch = manyEvents(n, { offset: eventIndex, latest: new Date(), spacingDays: 3 });
    eventIndex += n;
    for (const a of batch) {
      const src = sources[(eventIndex * 7919 + a.guid.length * 31 + Math.floor(Math.random() * FEEDS)) % FEEDS] ?? sources[0] ?? '';
      docs.set(src, [a, ...(docs.get(src) ?? [])].slice(0, 30));
    }
  };

  console.log(`soak: ${FEEDS} feeds on ${servers.length} local servers, ${GUILDS} Discord servers subscribed, ${CYCLES} cycles`);
  console.log('cycle  time_s  posts  cmds  p50_ms  p99_ms  rss_MB  heap_after_gc_MB');
  const heapAfter: number[] = [];
  const allLatencies: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  for (let c = 0; c < CYCLES; c += 1) {
    if (c > 0) addEvents(NEW_EVENTS_PER_CYCLE);
    let running = true;
    const latencies: number[] = [];
    const commands = (async () => {
      // Slash commands keep arriving while the cycle runs, as they would from 100 servers.
      while (running && COMMANDS_PER_SECOND > 0) {
        const g = guilds[Math.floor(Math.random() * guilds.length)];
        if (!g) break;
        const t0 = performance.now();
        const h = await fake.sendInteraction({ guildId: g.id, channelId: g.channels[0]?.id ?? '', userId: '1300000000000000001', name: 'latest' });
        void h.callback.then((cb) => latencies.push(cb.at - h.sentAt)).catch(() => latencies.push(Number.POSITIVE_INFINITY));
        const wait = 1000 / COMMANDS_PER_SECOND - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    const t0 = performance.now();
    await bot.cycle();
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    await commands;
    await new Promise((r) => setTimeout(r, 200));
    let posts = 0;
    for (const g of guilds) posts += fake.messagesIn(g.channels[0]?.id ?? '', 'channel').length;
    // The fake and the feed servers share this process: keep their records out of the measurement.
    fake.reset();
    for (const s of servers) (s.requests as unknown[]).length = 0;
    gc();
    gc();
    const mem = process.memoryUsage();
    heapAfter.push(mem.heapUsed);
    if (process.env['SOAK_HEAPSNAP']) (await import('node:v8')).writeHeapSnapshot(`/tmp/soak-${c + 1}.heapsnapshot`);
    allLatencies.push(...latencies);
    console.log(
      `${String(c + 1).padStart(5)}  ${seconds.toFixed(2).padStart(6)}  ${String(posts).padStart(5)}  ${String(latencies.length).padStart(4)}  ` +
        `${pct(latencies, 50).toFixed(1).padStart(6)}  ${pct(latencies, 99).toFixed(1).padStart(6)}  ${mb(mem.rss).padStart(6)}  ${mb(mem.heapUsed).padStart(16)}`,
    );
  }
  clearInterval(sampler);

  // Growth: compare the heap after GC in the last third with the third after warm-up.
  const third = Math.max(1, Math.floor(heapAfter.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = mean(heapAfter.slice(third, 2 * third));
  const late = mean(heapAfter.slice(-third));
  const growth = (late - early) / early;
  console.log('');
  console.log(`command latency during cycles: p50 ${pct(allLatencies, 50).toFixed(1)} ms, p99 ${pct(allLatencies, 99).toFixed(1)} ms over ${allLatencies.length} commands`);
  console.log(`peak RSS ${mb(peakRss)} MB; heap after GC ${mb(early)} MB (middle third) → ${mb(late)} MB (last third): ${(growth * 100).toFixed(1)}%`);
  console.log(`memory growth cycle over cycle: ${growth < 0.1 ? 'none beyond noise (PASS, < 10%)' : 'GROWING (MISS)'}`);
  console.log(JSON.stringify({ soak: { cycles: CYCLES, feeds: FEEDS, guilds: GUILDS, p99_ms: pct(allLatencies, 99), peak_rss_mb: Number(mb(peakRss)), heap_growth: Number(growth.toFixed(3)) } }));

  await bot.stop();
  await fake.stop();
  for (const s of servers) await s.close();
  rmSync(tmp, { recursive: true, force: true });
  if (growth >= 0.1) process.exitCode = 1;
}

await main();
