// Section 4: how fast the real bot acknowledges a slash command. The real composition root (startBot, the
// discord.js client, the SQLite store) runs against FakeDiscord over loopback; stories are seeded by two real
// poll cycles over a local feed, then /latest is sent 1,000 times with 50 in flight.
//
// The latency is INTERACTION_CREATE written to the gateway socket → the interaction callback received by the
// fake, both `performance.now()` in this process: the time Discord's 3-second rule is about. Stories are seeded
// in-process; then the bot runs as its own process (`compound-watch run`, as in production), so the fake's
// work happens on the other core, as Discord's would happen elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { BotHandle } from '../src/main.js';
import { ADMIN, BOT_TOKEN, startTestBot } from '../test/support/bot-harness.js';
import { spawnBot, type BotProcess } from '../test/support/processes.js';
import { DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID, DEFAULT_OWNER_ID, FakeDiscord, defaultGuild } from '../test/support/fake-discord.js';
import { startFeedServer, type FeedServer } from '../test/support/feed-server.js';
import { compoundEvents, irrelevantArticles, relevantArticles, rssFeed, type Article } from './feeds.js';
import type { Row, SectionContext, SectionResult } from './run.js';
import { percentile } from './stats.js';

const INTERACTIONS = 1_000;
const IN_FLIGHT = 50;
/** Untimed interactions first, so the JIT and discord.js caches are warm for the timed ones. */
const WARM_UP = 50;
/** One at a time: the floor the loaded figures are compared with. */
const UNLOADED = 100;

interface Timing {
  ackMs: number;
  replyMs: number;
}

async function runInteractions(fake: FakeDiscord, count: number, inFlight: number): Promise<{ timings: Timing[]; wallMs: number; sample: string }> {
  const timings: Timing[] = [];
  let next = 0;
  let sample = '';
  const one = async (): Promise<void> => {
    const handle = await fake.sendInteraction({
      guildId: DEFAULT_GUILD_ID,
      channelId: DEFAULT_CHANNEL_ID,
      userId: DEFAULT_OWNER_ID,
      permissions: ADMIN,
      name: 'latest',
    });
    const callback = await handle.callback;
    // Waiting for the visible answer too keeps "in flight" honest: /latest defers, then edits its reply.
    const reply = await handle.final();
    timings.push({ ackMs: callback.at - handle.sentAt, replyMs: reply.at - handle.sentAt });
    if (!sample) sample = JSON.stringify(reply.embeds[0]?.['description'] ?? reply.content);
  };
  // A fixed pool of workers, each starting its next interaction when the previous one is answered.
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await one();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, () => worker()));
  return { timings, wallMs: performance.now() - t0, sample };
}

export async function benchLatency(ctx: SectionContext): Promise<SectionResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-bench-latency-'));
  let fake: FakeDiscord | null = null;
  let feeds: FeedServer | null = null;
  let bot: BotHandle | null = null;
  let child: BotProcess | null = null;
  try {
    fake = await FakeDiscord.start({ guilds: [defaultGuild()], recordRequests: false });
    feeds = await startFeedServer();
    const events = compoundEvents(12, 21, 20);
    const reports = relevantArticles(events, 4, 23, 'lat');
    const noise = irrelevantArticles(20, 24, 'lat-noise');
    const channel = { title: 'Compound news (bench)', link: 'https://wire.example/', description: 'synthetic reports' };
    const byDateDesc = (list: Article[]) => list.slice().sort((a, b) => Date.parse(b.pubDate) - Date.parse(a.pubDate));
    // First cycle: half the reports (the feed is primed, nothing is posted); second: all of them (new items).
    let doc = rssFeed(channel, byDateDesc([...reports.slice(0, reports.length / 2), ...noise]));
    feeds.route('/compounds.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc));
    bot = await startTestBot({ fake, dataDir: dir, feeds: [feeds.url('/compounds.xml')] });
    const first = await bot.cycle();
    doc = rssFeed(channel, byDateDesc([...reports, ...noise]));
    const second = await bot.cycle();
    if (!first || !second) throw new Error('a seeding poll cycle did not run (poller lease not acquired?)');
    const failed = [...first.feeds, ...second.feeds].find((f) => f.status === 'error');
    if (failed) throw new Error(`seeding feed failed: ${failed.error ?? 'unknown error'}`);
    const stories = (await bot.core.stores.stories.recent(1000)).length;
    if (stories === 0) throw new Error('seeding produced no stories; /latest would only say "no stories yet"');
    ctx.progress(`seeded ${stories} stories from ${second.feeds[0]?.entries ?? 0} feed items; starting the bot process`);
    await bot.stop();
    bot = null;
    child = spawnBot({
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      FEEDS: feeds.url('/compounds.xml'),
      DATA_DIR: dir,
      POLL_CRON: '0 0 1 1 *', // its start-up cycle only: nothing polls while commands are timed
    });
    await child
      .waitForLog((l) => l.msg === 'poll cycle finished', 30_000, 'the bot process to finish its start-up cycle')
      .catch((err: unknown) => {
        throw new Error(`${String(err)}\n${child?.tail(15) ?? ''}`);
      });

    await runInteractions(fake, WARM_UP, IN_FLIGHT);
    // The warm-up spends discord.js's global request budget; starting the one-at-a-time run inside that
    // second would time its rate-limit wait, not the bot.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const unloaded = await runInteractions(fake, UNLOADED, 1);
    globalThis.gc?.();
    // CPU use and event-loop delay of THIS process (the fake Discord and the load generator, not the bot, which
    // runs as its own process): they show whether the measuring side, rather than the bot, was the bottleneck.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpu0 = process.cpuUsage(); // this process: the fake and the load generator
    const run = await runInteractions(fake, INTERACTIONS, IN_FLIGHT);
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    if (!/story/iu.test(run.sample)) throw new Error(`/latest did not list stories: ${run.sample.slice(0, 200)}`);
    if (fake.errors.length > 0) throw new Error(`FakeDiscord recorded ${fake.errors.length} server error(s): ${fake.errors[0]?.message ?? ''}`);

    const ack = run.timings.map((t) => t.ackMs).sort((a, b) => a - b);
    const reply = run.timings.map((t) => t.replyMs).sort((a, b) => a - b);
    const idleAck = unloaded.timings.map((t) => t.ackMs).sort((a, b) => a - b);
    const idleReply = unloaded.timings.map((t) => t.replyMs).sort((a, b) => a - b);
    const rows: Row[] = [
      { key: 'latency.stories_seeded', label: 'stories in the store', value: stories },
      { key: 'latency.interactions', label: `/latest interactions (${IN_FLIGHT} in flight)`, value: run.timings.length },
      { key: 'latency.ack_p50_ms', label: 'ack latency p50 (dispatch → callback)', value: percentile(ack, 50), unit: 'ms' },
      { key: 'latency.ack_p99_ms', label: 'ack latency p99', value: percentile(ack, 99), unit: 'ms', goal: { op: '<', target: 50 } },
      { key: 'latency.ack_max_ms', label: 'ack latency max', value: ack.at(-1) ?? NaN, unit: 'ms' },
      { key: 'latency.reply_p50_ms', label: 'full reply p50 (dispatch → edited reply)', value: percentile(reply, 50), unit: 'ms' },
      { key: 'latency.reply_p99_ms', label: 'full reply p99', value: percentile(reply, 99), unit: 'ms' },
      { key: 'latency.per_s', label: 'interactions answered per second', value: Math.round(run.timings.length / (run.wallMs / 1000)), unit: '/s' },
      { key: 'latency.cpu_pct', label: 'bench-side CPU, not the bot (1 core = 100)', value: Math.round(((cpu.user + cpu.system) / 1000 / run.wallMs) * 100), unit: '%' },
      { key: 'latency.loop_delay_p99_ms', label: 'bench-side event-loop delay p99 / max', value: `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)} ms` },
      { key: 'latency.unloaded_ack_p50_ms', label: 'one at a time: ack p50 / p99', value: `${percentile(idleAck, 50).toFixed(1)} / ${percentile(idleAck, 99).toFixed(1)} ms` },
      { key: 'latency.unloaded_reply_p50_ms', label: 'one at a time: full reply p50 / p99', value: `${percentile(idleReply, 50).toFixed(1)} / ${percentile(idleReply, 99).toFixed(1)} ms` },
    ];
    return {
      rows,
      notes: [
        `${WARM_UP} untimed warm-up interactions first; the bot runs as its own process (compound-watch run), the fake Discord in this one`,
        'bench-side CPU and event-loop delay are of this process (the fake Discord and the load generator), not of the bot',
        "each worker waits for the edited reply before its next command; discord.js lets those edits (PATCH @original) out at its global 50 requests/s, so new commands arrive in bursts of ~50",
      ],
    };
  } finally {
    await bot?.stop().catch(() => undefined);
    await child?.stop().catch(() => undefined);
    await fake?.stop().catch(() => undefined);
    await feeds?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
