// Secrets: the token never appears in logs or in replies. A full run of the real bot process at debug
// level (login, polls, a failing feed, posts, commands that fail) is grepped end to end; so is a run with a
// token Discord refuses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RAID, EVENT_SANCTIONS, type Article } from '../support/articles.js';
import { ADMIN, MEMBER, subscribe } from '../support/bot-harness.js';
import { FakeDiscord, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { killAll, spawnBot } from '../support/processes.js';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-part.Xy9zQ8wPq7';
const GUILD: FakeGuild = {
  id: '1200000000000000401',
  name: 'Secrets',
  ownerId: '1300000000000000001',
  channels: [{ id: '1200000000000000402', name: 'news' }],
  members: [{ id: '1300000000000000001', username: 'admin' }],
};
const NEWS = '1200000000000000402';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-secrets-'));
let fake: FakeDiscord;
let feeds: FeedServer;
let doc: Article[] = [EVENT_SANCTIONS];

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [GUILD], token: TOKEN });
  feeds = await startFeedServer({
    '/f.xml': rssRoute('Secrets', () => doc),
  });
});

afterAll(async () => {
  await killAll();
  await fake?.stop();
  await feeds?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the token stays secret', () => {
  it('is in no log line and no reply of a full run at debug level', async () => {
    const bot = spawnBot({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      FEEDS: `${feeds.url('/f.xml')},${feeds.url('/missing.xml')}`,
      DATA_DIR: tmp,
      POLL_CRON: '*/1 * * * * *',
      LOG_LEVEL: 'debug',
    });
    await bot.waitForLog((l) => l.msg === 'logged in to Discord', 20_000);
    const ask = async (name: string, options: unknown[], permissions = ADMIN) =>
      (await fake.sendInteraction({ guildId: GUILD.id, channelId: NEWS, userId: '1300000000000000001', permissions, name, options })).final();
    const subscribeNews = (permissions = ADMIN) => subscribe(fake, { guildId: GUILD.id, channel: NEWS, userId: '1300000000000000001', permissions });
    await subscribeNews();
    await bot.waitForLogCount((l) => l.msg === 'poll cycle finished', 2, 20_000);
    doc = [EVENT_RAID, EVENT_SANCTIONS];
    await fake.waitUntil(() => fake.messagesIn(NEWS, 'channel').length === 1, 20_000);
    const replies = [
      await ask('feeds', [{ name: 'add', type: 1, options: [{ name: 'url', type: 3, value: 'ftp://example.org/feed' }] }]),
      await ask('story', [{ name: 'id', type: 3, value: 'does-not-exist' }]),
      await ask('status', []),
      await subscribeNews(MEMBER),
    ];
    await bot.stop();
    const everything = [...bot.logs.map((l) => l.raw), ...bot.stdout, ...replies.map((r) => JSON.stringify(r))].join('\n');
    // A full run: login, cycles, the failing feed, posting.
    for (const msg of ['logged in to Discord', 'poll cycle started', 'poll cycle finished', 'feed failed', 'shutting down']) {
      expect(bot.logged(msg).length, msg).toBeGreaterThan(0);
    }
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('secret-part');
  });

  it('is not echoed when Discord refuses it', async () => {
    const wrong = `${TOKEN}-revoked`;
    const bot = spawnBot({
      DISCORD_TOKEN: wrong,
      DISCORD_API_BASE: fake.apiBase,
      FEEDS: feeds.url('/f.xml'),
      DATA_DIR: path.join(tmp, 'wrong'),
      LOG_LEVEL: 'debug',
    });
    const code = await bot.exited;
    expect(code).not.toBe(0);
    const everything = [...bot.logs.map((l) => l.raw), ...bot.stdout].join('\n');
    expect(everything).toMatch(/token/iu);
    expect(everything).not.toContain('secret-part');
  });
});
