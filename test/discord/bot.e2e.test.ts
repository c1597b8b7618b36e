// The bot as its users meet it: the real discord.js client against the fake Discord, feeds from a local
// server, the SQLite store. Posting, editing, mention safety, rate limits, 5xx, gateway resume, restart.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/discord/deploy.js';
import { silentLogger } from '../../src/log.js';
import type { BotHandle } from '../../src/main.js';
import { EVENT_RAID, EVENT_RELEASE_A, EVENT_RELEASE_B, EVENT_SANCTIONS, IRRELEVANT, type Article } from '../support/articles.js';
import { ADMIN, BOT_TOKEN, harnessConfig, MEMBER, startTestBot, subscribe } from '../support/bot-harness.js';
import { FakeDiscord, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';

const GUILD_A: FakeGuild = {
  id: '1200000000000000101',
  name: 'Advocates A',
  ownerId: '1300000000000000001',
  channels: [
    { id: '1200000000000000102', name: 'general' },
    { id: '1200000000000000103', name: 'compound-news' },
  ],
  members: [
    { id: '1300000000000000001', username: 'admin' },
    { id: '1300000000000000002', username: 'member' },
  ],
};
const GUILD_B: FakeGuild = {
  id: '1200000000000000201',
  name: 'Other server',
  ownerId: '1300000000000000001',
  channels: [{ id: '1200000000000000202', name: 'general' }],
  members: [{ id: '1300000000000000001', username: 'admin' }],
};
const NEWS = '1200000000000000103';
const GENERAL = '1200000000000000102';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-bot-'));
let fake: FakeDiscord;
let feeds: FeedServer;
let bot: BotHandle;
const logLines: string[] = [];
const docs: Record<string, Article[]> = { '/wire.xml': [EVENT_SANCTIONS, ...IRRELEVANT.slice(0, 1)], '/local.xml': [] };
const feedUrls = () => [feeds.url('/wire.xml'), feeds.url('/local.xml')];

const posts = (channelId: string) => fake.messagesIn(channelId, 'channel');
const storyPostRequests = () => fake.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/u.test(r.path) && r.status === 200);

async function start(): Promise<BotHandle> {
  return startTestBot({ fake, dataDir: tmp, feeds: feedUrls(), logLines });
}

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [GUILD_A, GUILD_B] });
  feeds = await startFeedServer();
  for (const p of Object.keys(docs)) {
    feeds.route(p, rssRoute(p, () => docs[p] ?? []));
  }
  bot = await start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await feeds?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the bot end to end', () => {
  it('reaches ready, and deploy-commands registers exactly the files in commands/', async () => {
    expect(bot.client?.isReady()).toBe(true);
    const out: string[] = [];
    const config = harnessConfig({ fake, dataDir: tmp, feeds: feedUrls() });
    expect(await deployCommands({ config, logger: silentLogger, guildId: null, stdout: (s) => out.push(s) })).toBe(0);
    const files = readdirSync(path.resolve('commands')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/u, ''));
    const registered = (fake.commands.global as Array<{ name: string; default_member_permissions?: string | null; contexts?: number[] }>);
    expect(registered.map((c) => c.name).sort()).toEqual(files.sort());
    // Offered in servers only (context 0), never in DMs, where every one of them would refuse.
    for (const c of registered) expect(c.contexts, c.name).toEqual([0]);
    expect(registered.find((c) => c.name === 'subscribe')?.default_member_permissions).toBe('32');
    expect(registered.find((c) => c.name === 'latest')?.default_member_permissions ?? null).toBeNull();
    await deployCommands({ config, logger: silentLogger, guildId: GUILD_A.id, stdout: (s) => out.push(s) });
    expect((fake.commands.guild.get(GUILD_A.id) ?? []).length).toBe(files.length);
  });

  it('refuses /subscribe and /feeds add from a non-admin and changes nothing', async () => {
    const sub = await subscribe(fake, { guildId: GUILD_A.id, from: GENERAL, channel: NEWS, userId: '1300000000000000002', permissions: MEMBER });
    expect(sub.content).toMatch(/Manage Server/u);
    const add = await fake.sendInteraction({
      guildId: GUILD_A.id,
      channelId: GENERAL,
      userId: '1300000000000000002',
      permissions: MEMBER,
      name: 'feeds',
      options: [{ name: 'add', type: 1, options: [{ name: 'url', type: 3, value: 'https://evil.example/feed' }] }],
    });
    const reply = await add.final();
    expect(reply.content).toMatch(/Manage Server/u);
    expect((reply.flags ?? 0) & 64).toBe(64);
    const settings = await bot.core.stores.guilds.get(GUILD_A.id);
    expect(settings.subscriptions).toEqual([]);
    expect(settings.addedFeeds).toEqual([]);
  });

  it('an admin subscribes a channel; the first poll posts nothing old', async () => {
    const sub = await subscribe(fake, { guildId: GUILD_A.id, from: GENERAL, channel: NEWS, userId: '1300000000000000001', permissions: ADMIN });
    expect(JSON.stringify(sub)).toMatch(/Subscri/u);
    expect((await bot.core.stores.guilds.get(GUILD_A.id)).subscriptions.map((s) => s.channelId)).toEqual([NEWS]);
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(0);
    expect(storyPostRequests()).toHaveLength(0);
  });

  it('posts one message per new story in the subscribed channel only; irrelevant items post nothing', async () => {
    docs['/wire.xml'] = [EVENT_RELEASE_A, ...IRRELEVANT, EVENT_SANCTIONS];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(1);
    expect(posts(GENERAL)).toHaveLength(0);
    expect(posts('1200000000000000202')).toHaveLength(0);
    const req = storyPostRequests().at(-1);
    const body = req?.body as { allowed_mentions?: unknown; nonce?: string; enforce_nonce?: boolean; embeds?: Array<{ title?: string; url?: string }> };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.enforce_nonce).toBe(true);
    expect(typeof body.nonce).toBe('string');
    expect(body.embeds?.[0]?.title).toContain('Cambodian scam compounds');
  });

  it('edits that message when a second outlet reports the same event', async () => {
    docs['/local.xml'] = [EVENT_RELEASE_B];
    await bot.cycle();
    const news = posts(NEWS);
    expect(news).toHaveLength(1);
    expect(news[0]?.editCount).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(news[0]?.embeds);
    expect(text).toMatch(/wire\.xml|Wire/u);
    expect(text).toMatch(/local\.xml|Local/u);
  });

  it('never pings anyone from feed text, and renders it as text', async () => {
    const hostile: Article = {
      guid: 'hostile-1',
      title: '@everyone @here <@&123456789012345678> scam compound raid in Cambodia frees 200 people',
      link: 'https://local.example/hostile',
      body: 'Police in Cambodia raided a scam compound in Bavet and freed 200 people @everyone <@123456789012345678> **bold** [x](https://evil.example).',
      pubDate: 'Sun, 15 Feb 2026 09:00:00 GMT',
    };
    docs['/local.xml'] = [hostile, EVENT_RELEASE_B];
    await bot.cycle();
    const req = storyPostRequests().at(-1);
    const body = req?.body as { allowed_mentions?: unknown; embeds?: unknown[]; content?: string };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const rendered = JSON.stringify(body.embeds);
    expect(rendered).toContain('everyone');
    expect(rendered).not.toMatch(/(?<!\u200b)@everyone|(?<!\u200b)@here|<@&\d|<@\d/u);
    expect(body.content ?? '').not.toMatch(/@everyone|@here/u);
  });

  it('shortens what exceeds Discord limits instead of failing the post', async () => {
    const before = posts(NEWS).length;
    const sentences = Array.from({ length: 60 }, (_, i) => `Police in Cambodia rescued ${200 + i * 13} workers from scam compound ${i} in Kampot.`);
    const huge: Article = {
      guid: 'huge-1',
      title: `Kampot scam compound raids: ${'rescued workers describe forced scamming in Cambodia '.repeat(12)}`,
      link: 'https://local.example/huge',
      body: sentences.join(' '),
      pubDate: 'Thu, 19 Feb 2026 09:00:00 GMT',
    };
    docs['/local.xml'] = [huge, ...(docs['/local.xml'] ?? [])];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(before + 1);
    const embed = posts(NEWS).at(-1)?.embeds[0] as { title?: string; fields?: unknown[] };
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(JSON.stringify(embed).length).toBeLessThan(8000);
    expect(fake.errors).toEqual([]);
  });

  it('waits out a 429 with Retry-After and posts once; retries 500s and posts once', async () => {
    const before = posts(NEWS).length;
    const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`;
    fake.override({ match: isPost, status: 429, headers: { 'retry-after': '0.3' }, body: { message: 'You are being rate limited.', retry_after: 0.3, global: false }, times: 1 });
    docs['/wire.xml'] = [EVENT_RAID, EVENT_RELEASE_A, ...IRRELEVANT, EVENT_SANCTIONS];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(before + 1);
    fake.override({ match: isPost, status: 500, body: { message: 'Internal Server Error', code: 0 }, times: 2 });
    const extra: Article = { ...EVENT_RAID, guid: 'other-raid', title: 'Immigration officers deport 150 scam compound workers from Poipet, Cambodia', link: 'https://wire.example/poipet-deport', body: 'Immigration officers in Cambodia deported 150 workers found in a scam compound in Poipet, sending them home by bus to Thailand.', pubDate: 'Mon, 02 Mar 2026 09:00:00 GMT' };
    docs['/wire.xml'] = [extra, ...(docs['/wire.xml'] ?? [])];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(before + 2);
  });

  it('shows in /status that a channel refuses posts (Missing Permissions), until posting works again', async () => {
    const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`;
    const status = async (): Promise<string> => {
      const h = await fake.sendInteraction({ guildId: GUILD_A.id, channelId: GENERAL, userId: '1300000000000000001', permissions: '32', name: 'status' });
      return JSON.stringify(await h.final());
    };
    const before = posts(NEWS).length;
    fake.override({ match: isPost, status: 403, body: { message: 'Missing Permissions', code: 50013 }, times: 1 });
    const refused: Article = { ...EVENT_RAID, guid: 'refused-raid', title: 'Police raid Bavet scam compound, free 90 workers', link: 'https://wire.example/bavet-90', body: 'Police in Cambodia raided a scam compound in Bavet and freed 90 workers from Vietnam.', pubDate: 'Tue, 03 Mar 2026 09:00:00 GMT' };
    docs['/wire.xml'] = [refused, ...(docs['/wire.xml'] ?? [])];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(before);
    expect(await status()).toMatch(/posting failed .*Missing Permissions.*send messages and embed links/u);

    const next: Article = { ...EVENT_RAID, guid: 'allowed-raid', title: 'Kampot police free 70 from scam compound in Cambodia', link: 'https://wire.example/kampot-70', body: 'Police in Kampot, Cambodia, freed 70 people held in a scam compound, officials said.', pubDate: 'Wed, 04 Mar 2026 09:00:00 GMT' };
    docs['/wire.xml'] = [next, ...(docs['/wire.xml'] ?? [])];
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(before + 1);
    expect(await status()).not.toMatch(/posting failed/u);
  });

  it('resumes after the gateway closes and still answers commands', async () => {
    const resumes = fake.resumes;
    fake.closeGateway(4000);
    await fake.waitUntil(() => fake.resumes > resumes, 5000);
    const h = await fake.sendInteraction({ guildId: GUILD_A.id, channelId: GENERAL, userId: '1300000000000000002', name: 'latest' });
    expect(JSON.stringify(await h.final())).toMatch(/Poipet|Sihanoukville/u);
  });

  it('posts nothing twice after a restart', async () => {
    const count = posts(NEWS).length;
    const requests = storyPostRequests().length;
    await bot.stop();
    bot = await start();
    await bot.cycle();
    expect(posts(NEWS)).toHaveLength(count);
    expect(storyPostRequests()).toHaveLength(requests);
  });

  it('never writes the token to its logs', () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('\n')).not.toContain(BOT_TOKEN);
    expect(fake.errors).toEqual([]);
  });
});
