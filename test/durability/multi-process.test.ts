// Scale-out on a shared store: two bot processes with the same STORE_URL (Redis, then PostgreSQL). Only the
// holder of the poller lease polls, so every feed is fetched exactly once per cycle however many processes
// run; when the holder stops, the other takes over from the shared state; every story is posted once.
//
// Isolation on the shared servers: Redis gets a database index that was empty and is claimed for this run
// (and flushed afterwards); PostgreSQL gets a fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/keyv-store.js';
import type { Article } from '../support/articles.js';
import { BOT_TOKEN } from '../support/bot-harness.js';
import { POSTGRES_URL, REDIS_URL, reachable } from '../support/backends.js';
import { FakeDiscord, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { manyEvents } from '../support/many-events.js';
import { cyclesOf, killAll, spawnBot, until, type BotProcess, type Cycle } from '../support/processes.js';

const [redisUp, pgUp] = await Promise.all([reachable(REDIS_URL), reachable(POSTGRES_URL)]);
if (!redisUp) console.warn(`multi-process: skipping the Redis scenario, no Redis at ${REDIS_URL}`);
if (!pgUp) console.warn(`multi-process: skipping the PostgreSQL scenario, no PostgreSQL at ${POSTGRES_URL}`);

const OWNER = '1340000000000000001';
const guildFor = (n: number): FakeGuild => ({
  id: `12400000000000${n}00`,
  name: `Scale-out ${n}`,
  ownerId: OWNER,
  channels: [{ id: `12400000000000${n}01`, name: 'compound-news' }],
  members: [{ id: OWNER, username: 'admin' }],
});
const REDIS_GUILD = guildFor(10);
const PG_GUILD = guildFor(20);

let fake: FakeDiscord;
let feeds: FeedServer;
const tmpDirs: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [REDIS_GUILD, PG_GUILD] });
  feeds = await startFeedServer();
});

afterAll(async () => {
  await killAll();
  await fake?.stop();
  await feeds?.close();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

// ---- isolation helpers ------------------------------------------------------------------------------

/** A Redis database index that was empty, claimed with a marker key; `release` flushes it. */
async function claimRedisDb(): Promise<{ url: string; release(): Promise<void> }> {
  const token = randomBytes(6).toString('hex');
  const start = 1 + Math.floor(Math.random() * 15);
  for (let k = 0; k < 15; k += 1) {
    const db = 1 + ((start - 1 + k) % 15);
    const u = new URL(REDIS_URL);
    u.pathname = `/${db}`;
    const client = createClient({ url: u.toString() });
    await client.connect();
    try {
      const claimed = (await client.set('compound-watch-test:claim', token, { NX: true, EX: 900 })) === 'OK';
      if (claimed && (await client.dbSize()) === 1) {
        await client.quit();
        return {
          url: u.toString(),
          async release() {
            const c = createClient({ url: u.toString() });
            await c.connect();
            if ((await c.get('compound-watch-test:claim')) === token) await c.flushDb();
            await c.quit();
          },
        };
      }
      if (claimed) await client.del('compound-watch-test:claim');
    } finally {
      if (client.isOpen) await client.quit();
    }
  }
  throw new Error('no empty Redis database index (1–15) to claim');
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/** A fresh PostgreSQL database next to POSTGRES_URL's; `release` drops it. */
async function createPgDatabase(): Promise<{ url: string; release(): Promise<void> }> {
  // `pg` comes with @keyv/postgres; it ships no types, so the little used here is typed by hand.
  const spec = 'pg';
  const pg = (await import(spec)) as { default: { Client: new (o: { connectionString: string }) => PgClient } };
  const name = `cwtest_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.default.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), release: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// ---- the scenario -----------------------------------------------------------------------------------

async function scenario(storeUrl: string, g: FakeGuild, prefix: string, offset: number): Promise<void> {
  const channel = g.channels[0]?.id ?? '';
  const dataDir = mkdtempSync(path.join(tmpdir(), `cw-multi-${prefix}-`));
  tmpDirs.push(dataDir);

  // Three feeds with validators: an unchanged feed answers 304, which still counts as its fetch.
  const names = ['a', 'b', 'c'] as const;
  const docs: Record<string, Article[]> = { a: [], b: [], c: [] };
  const pathOf = (n: string) => `/${prefix}/${n}.xml`;
  for (const n of names) {
    feeds.route(pathOf(n), rssRoute(`Feed ${n}`, () => docs[n] ?? [], { etag: true }));
  }
  const events = manyEvents(7, { offset });
  const add = (n: 'a' | 'b' | 'c', a: Article) => {
    docs[n] = [a, ...(docs[n] ?? [])];
  };
  // Something old in each feed, recorded on the first poll and never posted.
  const old = manyEvents(3, { offset: offset + 50 });
  names.forEach((n, i) => add(n, old[i] as Article));

  // The subscription, written into the shared store before any process starts.
  const stores = await openStores({ storeUrl, dataDir });
  await stores.guilds.put({
    guildId: g.id,
    subscriptions: [{ channelId: channel, mode: 'instant', digestHour: 8, timezone: 'UTC', since: new Date(Date.now() - 60_000).toISOString() }],
    adminChannelId: null,
    addedFeeds: [],
    removedFeeds: [],
  });
  await stores.close();

  const env = {
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    FEEDS: names.map((n) => feeds.url(pathOf(n))).join(','),
    DATA_DIR: dataDir,
    STORE_URL: storeUrl,
    POLL_CRON: '*/1 * * * * *',
    MAX_POSTS_PER_HOUR: '1000',
  };
  const procs: BotProcess[] = [spawnBot(env, { name: `${prefix}-A` }), spawnBot(env, { name: `${prefix}-B` })];
  const finished = () => procs.flatMap((p) => p.logged('poll cycle finished'));
  const posts = () => fake.messagesIn(channel, 'channel');
  const waitPosts = (n: number, label: string) =>
    until(() => posts().length >= n, 20_000, `${n} posts (${label})`, () =>
      procs.map((p) => `--- ${p.name} (${p.alive ? 'running' : 'stopped'}) ---\n${p.tail(6)}`).join('\n'),
    );

  try {
    await Promise.all(procs.map((p) => p.waitForLog((l) => l.msg === 'logged in to Discord', 30_000, 'login')));
    await until(() => finished().length >= 2, 15_000, 'two poll cycles (priming)');
    expect(posts()).toHaveLength(0);

    // Phase 1: both processes run; new items in two feeds.
    add('a', events[0] as Article);
    add('a', events[1] as Article);
    add('b', events[2] as Article);
    await waitPosts(3, 'phase 1');

    // Phase 2: the process holding the lease stops; the other one takes over.
    const latest = (p: BotProcess) => Date.parse(p.logged('poll cycle finished').at(-1)?.time ?? '') || 0;
    const holder = procs.reduce((a, b) => (latest(b) > latest(a) ? b : a));
    const other = procs.find((p) => p !== holder) as BotProcess;
    expect(await holder.stop()).toBe(0);
    const otherBefore = other.logged('poll cycle finished').length;
    await other.waitForLogCount((l) => l.msg === 'poll cycle finished', otherBefore + 1, 20_000, 'a cycle after the takeover');
    add('c', events[3] as Article);
    add('c', events[4] as Article);
    add('a', events[5] as Article);
    await waitPosts(6, 'phase 2');

    // Phase 3: the stopped process comes back next to the running one.
    const back = spawnBot(env, { name: `${prefix}-A2` });
    procs.push(back);
    await back.waitForLog((l) => l.msg === 'logged in to Discord', 30_000, 'login');
    add('b', events[6] as Article);
    await waitPosts(7, 'phase 3');
    const total = finished().length;
    await until(() => finished().length >= total + 3, 15_000, 'three more cycles');
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }

  // Every story once, in its channel.
  const urls = posts().map((m) => ((m.embeds[0] ?? {}) as { url?: string }).url);
  expect(urls).toHaveLength(7);
  expect(new Set(urls)).toEqual(new Set(events.map((e) => e.link)));

  // Every feed fetched exactly once per cycle, whichever process ran it.
  const done = finished();
  expect(done.length).toBeGreaterThanOrEqual(8);
  for (const l of done) expect([l['feeds'], l['failedFeeds']], l.raw).toEqual([3, 0]);
  for (const n of names) expect(feeds.count(pathOf(n)), pathOf(n)).toBe(done.length);
  for (const p of procs) expect(p.logged('poll cycle failed'), p.name).toEqual([]);

  // Never two pollers at once: cycles of different processes do not overlap in time.
  const cycles = procs.flatMap(cyclesOf).sort((a, b) => a.start - b.start);
  expect(cycles).toHaveLength(done.length);
  for (let i = 1; i < cycles.length; i += 1) {
    const prev = cycles[i - 1] as Cycle;
    const cur = cycles[i] as Cycle;
    if (prev.proc !== cur.proc) expect(cur.start, `${prev.proc} then ${cur.proc}`).toBeGreaterThanOrEqual(prev.end);
  }
  // Both the first holder and the one that took over polled.
  expect(new Set(cycles.map((c) => c.proc)).size).toBeGreaterThanOrEqual(2);
  expect(fake.errors).toEqual([]);
}

describe.skipIf(!redisUp)('two processes on one Redis store', () => {
  let db: { url: string; release(): Promise<void> } | null = null;
  afterAll(async () => {
    await db?.release();
  });

  it('fetch each feed once per cycle and post each story once, across a takeover', async () => {
    db = await claimRedisDb();
    await scenario(db.url, REDIS_GUILD, 'redis', 100);
  }, 60_000);
});

describe.skipIf(!pgUp)('two processes on one PostgreSQL store', () => {
  let db: { url: string; release(): Promise<void> } | null = null;
  afterAll(async () => {
    await killAll();
    await db?.release();
  });

  it('fetch each feed once per cycle and post each story once, across a takeover', async () => {
    db = await createPgDatabase();
    await scenario(db.url, PG_GUILD, 'pg', 200);
  }, 60_000);
});
