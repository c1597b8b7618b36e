// Never silent, never flooding, never losing: feed-failure and recovery notices reach the admin channel once
// each; daily digests go out once at the chosen local hour; stories over the hourly cap wait for the next
// digest instead of vanishing. The real bot in-process (startTestBot) with a clock the test moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotHandle } from '../../src/main.js';
import { EVENT_RAID, EVENT_SANCTIONS, type Article } from '../support/articles.js';
import { startTestBot, subscribe } from '../support/bot-harness.js';
import { FakeDiscord, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { manyEvents } from '../support/many-events.js';

const OWNER = '1320000000000000001';
const guild = (id: string, channels: string[]): FakeGuild => ({
  id,
  name: `Server ${id.slice(-3)}`,
  ownerId: OWNER,
  channels: channels.map((c, i) => ({ id: c, name: `channel-${i}` })),
  members: [{ id: OWNER, username: 'admin' }],
});

// One guild per scenario, so each bot only sees its own subscriptions.
const G_NOTICE = guild('1220000000000000100', ['1220000000000000101', '1220000000000000102', '1220000000000000103']);
const [N_GENERAL, N_NEWS, N_ADMIN] = ['1220000000000000101', '1220000000000000102', '1220000000000000103'];
const G_DIGEST = guild('1220000000000000200', ['1220000000000000201', '1220000000000000202']);
const [D_GENERAL, D_DIGEST] = ['1220000000000000201', '1220000000000000202'];
const G_BACKLOG = guild('1220000000000000400', ['1220000000000000401', '1220000000000000402']);
const [B_GENERAL, B_DIGEST] = ['1220000000000000401', '1220000000000000402'];
const G_CAP = guild('1220000000000000300', ['1220000000000000301', '1220000000000000302']);
const [C_GENERAL, C_NEWS] = ['1220000000000000301', '1220000000000000302'];
const G_LATE = guild('1220000000000000500', ['1220000000000000501', '1220000000000000502']);
const [L_GENERAL, L_DIGEST] = ['1220000000000000501', '1220000000000000502'];

let fake: FakeDiscord;
let feeds: FeedServer;
const docs = new Map<string, Article[]>();
const failing = new Set<string>();
const tmpDirs: string[] = [];
let bot: BotHandle | null = null;

function serve(p: string, articles: Article[]): string {
  docs.set(p, articles);
  const ok = rssRoute(p, () => docs.get(p) ?? []);
  feeds.route(p, (req, res) => {
    if (failing.has(p)) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
    return ok(req, res);
  });
  return feeds.url(p);
}

async function start(feedUrls: string[], clock: { now: Date }, env: Record<string, string> = {}): Promise<BotHandle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-notice-'));
  tmpDirs.push(dir);
  bot = await startTestBot({ fake, dataDir: dir, feeds: feedUrls, env, overrides: { now: () => clock.now } });
  return bot;
}

async function subscribeIn(g: FakeGuild, from: string, channel: string, extra: unknown[] = []): Promise<void> {
  expect(JSON.stringify(await subscribe(fake, { guildId: g.id, from, channel, userId: OWNER, extra }))).toMatch(/Subscri/u);
}

const posts = (channelId: string) => fake.messagesIn(channelId, 'channel');
const storyPosts = (channelId: string) => posts(channelId).filter((m) => m.embeds.length > 0);
const textPosts = (channelId: string) => posts(channelId).filter((m) => m.embeds.length === 0);
const titleOf = (m: { embeds: unknown[] }) => ((m.embeds[0] ?? {}) as { title?: string }).title ?? '';
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [G_NOTICE, G_DIGEST, G_BACKLOG, G_CAP, G_LATE] });
  feeds = await startFeedServer();
});

afterEach(async () => {
  await bot?.stop();
  bot = null;
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await feeds?.close();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('feed failure notices', () => {
  it('a feed failing 5 times gives one notice in the admin channel; its recovery gives one more', async () => {
    const clock = { now: at('2026-03-10T03:00:00Z') };
    const good = serve('/notice-good.xml', [EVENT_SANCTIONS]);
    const flaky = serve('/notice-flaky.xml', [EVENT_RAID]);
    const b = await start([good, flaky], clock);
    await subscribeIn(G_NOTICE, N_GENERAL, N_NEWS, [{ name: 'admin-channel', type: 7, value: N_ADMIN }]);
    await b.cycle(); // primes both feeds
    expect(posts(N_ADMIN)).toHaveLength(0);

    failing.add('/notice-flaky.xml');
    const fetches = () => feeds.count('/notice-flaky.xml');
    const noticesAfter: number[] = [];
    for (let failure = 1; failure <= 7; failure += 1) {
      // Backing off: a cycle before nextDue does not ask the feed at all.
      if (failure > 1) {
        const before = fetches();
        clock.now = new Date(clock.now.getTime() + 30_000);
        await b.cycle();
        expect(fetches(), `failure ${failure}: fetched before its backoff ended`).toBe(before);
      }
      const state = await b.core.stores.feeds.get(flaky);
      if (state?.nextDue) clock.now = new Date(Date.parse(state.nextDue) + 1_000);
      const before = fetches();
      await b.cycle();
      expect(fetches()).toBe(before + 1);
      expect((await b.core.stores.feeds.get(flaky))?.consecutiveFailures).toBe(failure);
      noticesAfter.push(posts(N_ADMIN).length);
    }
    expect(noticesAfter).toEqual([0, 0, 0, 0, 1, 1, 1]);
    const [down] = posts(N_ADMIN);
    expect(down?.content).toMatch(/Feed failing/u);
    expect(down?.content).toContain(flaky);
    expect(down?.content).toMatch(/5 times/u);
    // Only the admin channel hears about it; the good feed never does.
    expect(textPosts(N_NEWS)).toHaveLength(0);
    expect(posts(N_GENERAL)).toHaveLength(0);
    expect(down?.content).not.toContain(good);

    failing.delete('/notice-flaky.xml');
    const state = await b.core.stores.feeds.get(flaky);
    clock.now = new Date(Date.parse(state?.nextDue ?? clock.now.toISOString()) + 1_000);
    await b.cycle();
    expect((await b.core.stores.feeds.get(flaky))?.consecutiveFailures).toBe(0);
    expect(posts(N_ADMIN)).toHaveLength(2);
    expect(posts(N_ADMIN)[1]?.content).toMatch(/Feed recovered/u);
    expect(posts(N_ADMIN)[1]?.content).toContain(flaky);
    for (let i = 0; i < 2; i += 1) {
      clock.now = new Date(clock.now.getTime() + 5 * 60_000);
      await b.cycle();
    }
    expect(posts(N_ADMIN)).toHaveLength(2);
    expect(textPosts(N_NEWS)).toHaveLength(0);
    expect(fake.errors).toEqual([]);
  });
});

describe('daily digests', () => {
  it('a digest subscription at 09:00 Asia/Phnom_Penh gets one digest with the new stories at 09:05, not at 08:30, and once a day', async () => {
    // 00:00 UTC is 07:00 in Phnom Penh (UTC+7).
    const clock = { now: at('2026-03-10T00:00:00Z') };
    const feed = serve('/digest.xml', [EVENT_SANCTIONS]);
    const b = await start([feed], clock);
    await b.cycle(); // primes the feed before anyone subscribed: the old story is never anyone's news
    clock.now = at('2026-03-10T00:10:00Z');
    await subscribeIn(G_DIGEST, D_GENERAL, D_DIGEST, [
      { name: 'mode', type: 3, value: 'digest' },
      { name: 'hour', type: 4, value: 9 },
      { name: 'timezone', type: 3, value: 'Asia/Phnom_Penh' },
    ]);
    const fresh = manyEvents(3, { offset: 10, latest: at('2026-03-09T20:00:00Z') });
    docs.set('/digest.xml', [...fresh, EVENT_SANCTIONS]);

    clock.now = at('2026-03-10T01:30:00Z'); // 08:30 local
    await b.cycle();
    expect(posts(D_DIGEST)).toHaveLength(0);

    clock.now = at('2026-03-10T02:05:00Z'); // 09:05 local
    await b.cycle();
    expect(posts(D_DIGEST)).toHaveLength(1);
    const digest = posts(D_DIGEST)[0]?.content ?? '';
    expect(digest).toMatch(/Daily digest — 2026-03-10/u);
    for (const a of fresh) expect(digest, a.title).toContain(a.title);
    expect(digest).not.toContain(EVENT_SANCTIONS.title);
    expect(storyPosts(D_DIGEST)).toHaveLength(0);

    clock.now = at('2026-03-10T02:35:00Z');
    await b.cycle();
    clock.now = at('2026-03-10T09:00:00Z'); // 16:00 local, same day
    await b.cycle();
    expect(posts(D_DIGEST)).toHaveLength(1);
    expect(posts(D_GENERAL)).toHaveLength(0);
    expect(fake.errors).toEqual([]);
  });

  it('a story that arrives after the digest hour waits for the next day\'s digest, not sent at once', async () => {
    const clock = { now: at('2026-03-12T16:00:00Z') };
    const feed = serve('/late.xml', [EVENT_SANCTIONS]);
    const b = await start([feed], clock);
    await b.cycle(); // primes
    await subscribeIn(G_LATE, L_GENERAL, L_DIGEST, [
      { name: 'mode', type: 3, value: 'digest' },
      { name: 'hour', type: 4, value: 7 },
      { name: 'timezone', type: 3, value: 'UTC' },
    ]);
    clock.now = at('2026-03-12T17:00:00Z'); // past 07:00, nothing waiting: today's digest slot has passed
    await b.cycle();
    const fresh = manyEvents(2, { offset: 40, latest: at('2026-03-12T16:30:00Z') });
    docs.set('/late.xml', [...fresh, EVENT_SANCTIONS]);
    clock.now = at('2026-03-12T17:05:00Z');
    await b.cycle();
    clock.now = at('2026-03-12T23:55:00Z');
    await b.cycle();
    expect(posts(L_DIGEST)).toHaveLength(0);
    expect(await b.core.stores.outbox.awaitingDigest(L_DIGEST)).toHaveLength(2);

    clock.now = at('2026-03-13T07:05:00Z');
    await b.cycle();
    expect(posts(L_DIGEST)).toHaveLength(1);
    const digest = posts(L_DIGEST)[0]?.content ?? '';
    expect(digest).toMatch(/Daily digest — 2026-03-13/u);
    for (const a of fresh) expect(digest, a.title).toContain(a.title);
    expect(fake.errors).toEqual([]);
  });

  it("a feed's backlog, recorded on its first poll after the subscription, is not in the digest", async () => {
    // Subscribed first, polled later (a fresh install, or a feed added with /feeds add): the first poll only
    // records what the feed already holds. An instant channel gets none of it; a digest must not either.
    const clock = { now: at('2026-03-12T00:00:00Z') };
    const feed = serve('/backlog.xml', [EVENT_SANCTIONS, EVENT_RAID]);
    const b = await start([feed], clock);
    await subscribeIn(G_BACKLOG, B_GENERAL, B_DIGEST, [
      { name: 'mode', type: 3, value: 'digest' },
      { name: 'hour', type: 4, value: 9 },
      { name: 'timezone', type: 3, value: 'Asia/Phnom_Penh' },
    ]);
    clock.now = at('2026-03-12T00:10:00Z');
    await b.cycle(); // the feed's first poll: its two stories are recorded, not news
    const fresh = manyEvents(2, { offset: 30, latest: at('2026-03-11T20:00:00Z') });
    docs.set('/backlog.xml', [...fresh, EVENT_SANCTIONS, EVENT_RAID]);
    clock.now = at('2026-03-12T01:30:00Z');
    await b.cycle();
    clock.now = at('2026-03-12T02:05:00Z');
    await b.cycle();
    expect(posts(B_DIGEST)).toHaveLength(1);
    const digest = posts(B_DIGEST)[0]?.content ?? '';
    for (const a of fresh) expect(digest, a.title).toContain(a.title);
    expect(digest).not.toContain(EVENT_SANCTIONS.title);
    expect(digest).not.toContain(EVENT_RAID.title);
  });

  it('over MAX_POSTS_PER_HOUR, an instant channel gets the cap now and the rest in its next digest (08:00 UTC)', async () => {
    const clock = { now: at('2026-03-11T03:00:00Z') };
    const feed = serve('/cap.xml', [EVENT_RAID]);
    const b = await start([feed], clock, { MAX_POSTS_PER_HOUR: '2' });
    await subscribeIn(G_CAP, C_GENERAL, C_NEWS);
    await b.cycle(); // primes
    expect(posts(C_NEWS)).toHaveLength(0);

    const five = manyEvents(5, { offset: 20, latest: at('2026-03-11T01:00:00Z') });
    docs.set('/cap.xml', [...five, EVENT_RAID]);
    clock.now = at('2026-03-11T03:10:00Z');
    await b.cycle();
    expect(storyPosts(C_NEWS)).toHaveLength(2);
    expect(textPosts(C_NEWS)).toHaveLength(0);

    // Later cycles before the digest hour neither post the rest nor drop them.
    for (const t of ['2026-03-11T04:30:00Z', '2026-03-11T07:55:00Z']) {
      clock.now = at(t);
      await b.cycle();
    }
    expect(posts(C_NEWS)).toHaveLength(2);
    expect(await b.core.stores.outbox.awaitingDigest(C_NEWS)).toHaveLength(3);

    clock.now = at('2026-03-11T08:05:00Z');
    await b.cycle();
    expect(storyPosts(C_NEWS)).toHaveLength(2);
    expect(textPosts(C_NEWS)).toHaveLength(1);
    const digest = textPosts(C_NEWS)[0]?.content ?? '';
    const posted = storyPosts(C_NEWS).map(titleOf);
    const inDigest = five.filter((a) => digest.includes(a.title)).map((a) => a.title);
    expect(inDigest).toHaveLength(3);
    // Every one of the five arrived exactly once: as a post or in the digest, never both.
    expect(new Set([...posted, ...inDigest])).toEqual(new Set(five.map((a) => a.title)));
    expect(posted.filter((t) => inDigest.includes(t))).toEqual([]);

    clock.now = at('2026-03-11T08:40:00Z');
    await b.cycle();
    expect(posts(C_NEWS)).toHaveLength(3);
    expect(await b.core.stores.outbox.awaitingDigest(C_NEWS)).toHaveLength(0);
    expect(fake.errors).toEqual([]);
  });
});
