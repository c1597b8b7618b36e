// `/feeds add` through the real bot with the SSRF guard on (the default): a private address or another scheme
// is refused with a clear, private reply to the admin, nothing is stored, and the target never hears from us.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotHandle } from '../../src/main.js';
import { rss, EVENT_RAID } from '../support/articles.js';
import { ADMIN, startTestBot } from '../support/bot-harness.js';
import { FakeDiscord, defaultGuild, DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID, DEFAULT_OWNER_ID } from '../support/fake-discord.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-ssrf-cmd-'));
let fake: FakeDiscord;
let internal: FeedServer;
let bot: BotHandle;

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [defaultGuild()] });
  internal = await startFeedServer({ '/feed.xml': (_req, res) => void res.writeHead(200).end(rss('Internal', [EVENT_RAID])) });
  bot = await startTestBot({ fake, dataDir: tmp, feeds: ['/nonexistent/feed.xml'], env: { ALLOW_PRIVATE_FEEDS: 'false' } });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await internal?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function addFeed(url: string) {
  const h = await fake.sendInteraction({
    guildId: DEFAULT_GUILD_ID,
    channelId: DEFAULT_CHANNEL_ID,
    userId: DEFAULT_OWNER_ID,
    permissions: ADMIN,
    name: 'feeds',
    options: [{ name: 'add', type: 1, options: [{ name: 'url', type: 3, value: url }] }],
  });
  return h.final();
}

describe('/feeds add behind the SSRF guard', () => {
  it.each([
    ['loopback', () => internal.url('/feed.xml'), /loopback/u],
    ['IPv4-mapped IPv6 loopback', () => internal.url('/feed.xml').replace('127.0.0.1', '[::ffff:127.0.0.1]'), /refused|loopback|IPv4-mapped/u],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /metadata|link-local/u],
    ['another scheme', () => 'file:///etc/passwd', /http/u],
  ])('refuses %s with a clear private reply and stores nothing', async (_name, url, reason) => {
    const before = internal.count('/feed.xml');
    const reply = await addFeed(url());
    const text = JSON.stringify(reply);
    expect(text).toMatch(reason);
    expect(reply.flags & 64).toBe(64);
    expect((await bot.core.stores.guilds.get(DEFAULT_GUILD_ID)).addedFeeds).toEqual([]);
    expect(internal.count('/feed.xml')).toBe(before);
  });
});
