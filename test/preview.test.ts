// Preview mode as a user first meets it: `compound-watch run` without DISCORD_TOKEN, FEEDS pointing at a local
// feed. The first poll records the relevant stories without posting them (and lists them); a story that
// arrives later is printed as the post the bot would make. Discord is never contacted, and SIGTERM ends it cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RAID, EVENT_RELEASE_A, EVENT_SANCTIONS, IRRELEVANT, type Article } from './support/articles.js';
import { rssRoute, startFeedServer, type FeedServer } from './support/feed-server.js';
import { killAll, spawnBot, until, type BotProcess } from './support/processes.js';

const POST_MARK = '── would post (preview) ──';
const FIRST_POLL = /first poll of 1 feed: 2 relevant stories recorded, not posted/u;
const FEED_TITLE = 'Preview Wire';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-preview-'));
let feeds: FeedServer;
/** Stands in for Discord's REST API: any request reaching it is a failure of preview mode. */
let discordTrap: FeedServer;
let doc: Article[] = [];

/** The article dated `hoursAgo` before now, so retention never touches it whatever day the test runs. */
const recent = (a: Article, hoursAgo: number): Article => ({ ...a, pubDate: new Date(Date.now() - hoursAgo * 3_600_000).toUTCString() });

const out = (bot: BotProcess) => bot.stdout.join('');
const count = (text: string, needle: string) => text.split(needle).length - 1;
const cyclesDone = (bot: BotProcess) => bot.logged('poll cycle finished').length;

async function waitForStdout(bot: BotProcess, check: (text: string) => boolean, label: string, timeoutMs = 15_000): Promise<void> {
  await until(
    () => check(out(bot)) || !bot.alive,
    timeoutMs,
    label,
    () => `--- stdout ---\n${out(bot)}\n--- last log lines ---\n${bot.tail()}`,
  );
  if (!check(out(bot))) throw new Error(`bot exited while waiting for ${label}\n--- stdout ---\n${out(bot)}\n--- logs ---\n${bot.tail()}`);
}

beforeAll(async () => {
  feeds = await startFeedServer({ '/wire.xml': rssRoute(FEED_TITLE, () => doc) });
  discordTrap = await startFeedServer();
});

afterEach(async () => {
  await killAll();
});

afterAll(async () => {
  await killAll();
  await feeds?.close();
  await discordTrap?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('compound-watch run without DISCORD_TOKEN (preview mode)', () => {
  it('records the first poll quietly, prints a later story as a post, never calls Discord, and stops on SIGTERM', async () => {
    const releaseA = recent(EVENT_RELEASE_A, 30);
    const sanctions = recent(EVENT_SANCTIONS, 20);
    const raid = recent(EVENT_RAID, 1);
    const offTopic = recent(IRRELEVANT[0] as Article, 10);
    doc = [releaseA, sanctions, offTopic];

    const bot = spawnBot({
      FEEDS: feeds.url('/wire.xml'),
      DATA_DIR: tmp,
      // Every second, so a second and third cycle come quickly.
      POLL_CRON: '*/1 * * * * *',
      LOG_LEVEL: 'info',
      ALLOW_PRIVATE_FEEDS: 'true',
      // Were preview mode to build a Discord client anyway, its REST calls would land here.
      DISCORD_API_BASE: discordTrap.origin,
    });

    // First poll: both relevant stories are recorded and listed, nothing is posted.
    await waitForStdout(
      bot,
      (t) => FIRST_POLL.test(t) && t.includes(releaseA.title) && t.includes(sanctions.title),
      'the first-poll summary',
    );
    const afterFirst = out(bot);
    expect(afterFirst).toContain(`  · ${releaseA.title} — ${FEED_TITLE}`);
    expect(afterFirst).toContain(`  · ${sanctions.title} — ${FEED_TITLE}`);
    expect(afterFirst).not.toContain(offTopic.title);
    expect(afterFirst).not.toContain(POST_MARK);

    // A later cycle with nothing new prints nothing new: no post, no second first-poll summary.
    await bot.waitForLogCount((l) => l.msg === 'poll cycle finished', 2, 10_000, 'a second poll cycle');
    expect(out(bot)).toBe(afterFirst);

    // A new relevant article: the next cycle prints the post the bot would make for it.
    doc = [raid, ...doc];
    await waitForStdout(bot, (t) => t.includes(POST_MARK), 'a preview post');
    // Let a whole further cycle run (stdout and the stderr log may arrive in either order, hence +2): the story
    // is posted once, not again.
    const afterPost = cyclesDone(bot);
    await bot.waitForLogCount((l) => l.msg === 'poll cycle finished', afterPost + 2, 10_000, 'a cycle after the post');
    const text = out(bot);
    expect(count(text, POST_MARK)).toBe(1);
    expect(text).not.toContain('would edit');
    expect(count(text, 'first poll of')).toBe(1);
    const post = text.slice(text.indexOf(POST_MARK));
    expect(post).toContain(`■ ${raid.title}  <${raid.link}>`);
    expect(post).toMatch(new RegExp(`Reported by: .*${FEED_TITLE}`, 'u'));
    // The stories recorded on the first poll were not posted after all.
    expect(post).not.toContain(releaseA.title);
    expect(post).not.toContain(sanctions.title);
    expect(post).not.toContain(offTopic.title);

    // Preview mode, and no attempt at Discord.
    expect(bot.logged('no DISCORD_TOKEN: preview mode, posts are printed instead of sent')).toHaveLength(1);
    expect(bot.logged('logged in to Discord')).toHaveLength(0);
    expect(discordTrap.requests).toHaveLength(0);
    expect(feeds.count('/wire.xml')).toBeGreaterThanOrEqual(3);

    // SIGTERM: a clean stop with exit code 0, and no error on the way.
    bot.kill('SIGTERM');
    const code = await Promise.race([
      bot.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000)),
    ]);
    expect(code, bot.tail()).toBe(0);
    expect(bot.logged('shutting down')).toHaveLength(1);
    expect(bot.logs.filter((l) => l.level === 'error').map((l) => l.raw)).toEqual([]);
    expect(discordTrap.requests).toHaveLength(0);
  }, 30_000);

  it('keeps running, and says so once, when the reader of its preview output goes away (`npm start | head`)', async () => {
    doc = [recent(EVENT_RELEASE_A, 30), recent(EVENT_SANCTIONS, 20)];
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-preview-pipe-'));
    try {
      const bot = spawnBot({ FEEDS: feeds.url('/wire.xml'), DATA_DIR: dir, POLL_CRON: '*/1 * * * * *', LOG_LEVEL: 'info', ALLOW_PRIVATE_FEEDS: 'true' });
      // The reader leaves before the first poll's summary is printed.
      bot.child.stdout?.destroy();
      await bot.waitForLogCount((l) => l.msg === 'poll cycle finished', 3, 15_000, 'three poll cycles with stdout closed');
      expect(bot.alive).toBe(true);
      const dropped = bot.logs.filter((l) => l.msg.startsWith('cannot write to stdout'));
      expect(dropped.map((l) => l.level)).toEqual(['warn']);
      expect(dropped[0]?.msg).toMatch(/EPIPE/u);
      expect(bot.logs.filter((l) => l.level === 'error').map((l) => l.raw)).toEqual([]);
      bot.kill('SIGTERM');
      expect(await bot.exited, bot.tail()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
