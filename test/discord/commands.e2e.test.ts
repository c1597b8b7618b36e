// Every slash command end to end: the real composition root (startBot) and the real discord.js client talk to
// FakeDiscord over loopback; the store is seeded with stories and figures like those of January 2026.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Item, SourcedFigure, Story } from '../../src/core/types.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startBot, type BotHandle } from '../../src/main.js';
import type { Stores } from '../../src/store/ports.js';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_OWNER_ID,
  FakeDiscord,
  defaultGuild,
  type FakeGuild,
  type ReplyBody,
  type SendInteractionInput,
} from '../support/fake-discord.js';
import { ADMIN, MEMBER } from '../support/bot-harness.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const GUILD_A = DEFAULT_GUILD_ID;
const NEWS_A = '1200000000000000003';
const GUILD_B = '1210000000000000001';
const GENERAL_B = '1210000000000000002';
const EPHEMERAL = 64;

const KHMER_TIMES_FEED = 'https://www.khmertimeskh.com/feed/';
const GUARDIAN_FEED = 'https://www.theguardian.com/world/cambodia/rss';
const AMNESTY_FEED = 'https://www.amnesty.org/en/feed/';
const KT_LINK = 'https://www.khmertimeskh.com/501234/thousands-leave-compounds';
const GUARDIAN_LINK = 'https://www.theguardian.com/world/2026/jan/14/cambodia-scam-compounds-exodus';
const AMNESTY_LINK = 'https://www.amnesty.org/en/latest/news/2026/01/cambodia-compounds/';
const OFFTOPIC_LINK = 'https://www.khmertimeskh.com/501999/angkor-tourism-record';

const guildB: FakeGuild = {
  id: GUILD_B,
  name: 'Other Guild',
  ownerId: DEFAULT_OWNER_ID,
  channels: [{ id: GENERAL_B, name: 'general' }],
  members: [{ id: DEFAULT_OWNER_ID, username: 'alice' }],
};

function fig(over: Partial<SourcedFigure> & Pick<SourcedFigure, 'value' | 'qualifier' | 'metric' | 'outlet'>): SourcedFigure {
  return {
    unit: 'people',
    label: 'held in scam compounds',
    quote: 'a quote',
    outletKind: 'international_media',
    link: GUARDIAN_LINK,
    itemId: 'g1',
    date: '2026-01-14T06:00:00.000Z',
    ...over,
  };
}

const FIGURES: SourcedFigure[] = [
  fig({ metric: 'nationals_registered', value: 1400, qualifier: 'more_than', outlet: 'Khmer Times', outletKind: 'local_media', link: KT_LINK, itemId: 'kt1', label: 'Indonesian nationals registered at the embassy', quote: 'more than 1,400 Indonesians registered' }),
  fig({ metric: 'people_held', value: 100_000, qualifier: 'up_to', outlet: 'The Guardian', quote: 'up to 100,000 people' }),
  fig({ metric: 'people_held', value: 100_000, qualifier: 'about', outlet: 'Khmer Times', outletKind: 'local_media', link: KT_LINK, itemId: 'kt1', date: '2026-01-13T06:00:00.000Z', quote: 'about 100,000 people' }),
  fig({ metric: 'people_held', value: 150_000, qualifier: 'more_than', outlet: 'The Diplomat', link: 'https://thediplomat.com/2026/01/x/', itemId: 'd1', date: '2026-01-05T06:00:00.000Z', quote: 'more than 150,000' }),
  fig({ metric: 'people_held', value: 80_000, qualifier: 'about', outlet: 'CamboJA News', outletKind: 'local_media', link: 'https://cambojanews.com/x/', itemId: 'c1', date: '2025-11-01T06:00:00.000Z', quote: 'some 80,000' }),
  fig({ metric: 'compounds', value: 10, qualifier: 'at_least', unit: 'compounds', outlet: 'Amnesty International', outletKind: 'ngo', link: AMNESTY_LINK, itemId: 'a1', label: 'scam compounds still operating', date: '2026-01-12T06:00:00.000Z', quote: 'at least 10 compounds' }),
  fig({ metric: 'scam_revenue', value: 12_500_000_000, qualifier: 'more_than', unit: 'usd', outlet: 'The Guardian', label: 'scam revenue a year', quote: 'more than $12.5bn annually' }),
];

function report(itemId: string, feed: string, outlet: string, outletKind: Story['reports'][number]['outletKind'], title: string, link: string, at: string) {
  return { itemId, feed, outlet, outletKind, title, link, published: at, seenAt: at };
}

const EXODUS: Story = {
  id: 'exodus',
  title: 'Thousands leave Cambodian scam compounds',
  summary: 'Thousands of workers left scam compounds in Cambodia; more than 1,400 Indonesians registered at their embassy.',
  itemIds: ['kt1', 'g1'],
  outlets: ['Khmer Times', 'The Guardian'],
  reports: [
    report('kt1', KHMER_TIMES_FEED, 'Khmer Times', 'local_media', 'Thousands leave compounds', KT_LINK, '2026-01-14T05:00:00.000Z'),
    report('g1', GUARDIAN_FEED, 'The Guardian', 'international_media', 'Exodus from Cambodia’s scam compounds', GUARDIAN_LINK, '2026-01-14T06:00:00.000Z'),
  ],
  figures: FIGURES.filter((f) => f.itemId === 'kt1' || f.itemId === 'g1'),
  firstSeen: '2026-01-14T05:10:00.000Z',
  lastSeen: '2026-01-14T06:10:00.000Z',
  version: 3,
};

const AMNESTY: Story = {
  id: 'amnesty10',
  title: 'Amnesty: at least 10 compounds still run @everyone <@&42>',
  summary: 'Amnesty International says abuses continue in at least ten compounds.',
  itemIds: ['a1'],
  outlets: ['Amnesty International'],
  reports: [report('a1', AMNESTY_FEED, 'Amnesty International', 'ngo', 'Cambodia: compounds still operating', AMNESTY_LINK, '2026-01-12T06:00:00.000Z')],
  figures: FIGURES.filter((f) => f.itemId === 'a1'),
  firstSeen: '2026-01-12T06:10:00.000Z',
  lastSeen: '2026-01-12T06:10:00.000Z',
  version: 1,
};

const KHMER: Story = {
  id: 'khmer1',
  title: 'ពលករជាង ១០០ នាក់ ត្រូវបានជួយសង្គ្រោះនៅកម្ពុជា',
  summary: 'ការបោកប្រាស់តាមអ៊ីនធឺណិត',
  itemIds: ['kt2'],
  outlets: ['Khmer Times'],
  reports: [report('kt2', KHMER_TIMES_FEED, 'Khmer Times', 'local_media', 'ជួយសង្គ្រោះ', 'https://www.khmertimeskh.com/502000/km', '2026-01-10T06:00:00.000Z')],
  figures: [],
  firstSeen: '2026-01-10T06:10:00.000Z',
  lastSeen: '2026-01-10T06:10:00.000Z',
  version: 1,
};

function item(id: string, feed: string, outlet: string, title: string, link: string): Item {
  return { id, feed, outlet, outletKind: 'local_media', title, link, published: '2026-01-14T05:00:00.000Z', text: title, language: 'en' };
}

async function seed(stores: Stores): Promise<void> {
  for (const s of [KHMER, AMNESTY, EXODUS]) await stores.stories.put(s);
  await stores.figures.add(FIGURES);
  await stores.items.put({
    item: item('kt1', KHMER_TIMES_FEED, 'Khmer Times', 'Thousands leave compounds', KT_LINK),
    relevance: { relevant: true, score: 0.91, reasons: ["'scam compound' and 'Cambodia' in one sentence"] },
    storyId: 'exodus',
    summary: 'Thousands left.',
    figures: [],
    seenAt: '2026-01-14T05:10:00.000Z',
  });
  await stores.items.put({
    item: { ...item('g1', GUARDIAN_FEED, 'The Guardian', 'Exodus from Cambodia’s scam compounds', GUARDIAN_LINK), outletKind: 'international_media' },
    relevance: { relevant: true, score: 0.88, reasons: ['scam compound terms in the title'] },
    storyId: 'exodus',
    summary: 'Workers fled.',
    figures: [],
    seenAt: '2026-01-14T06:10:00.000Z',
  });
  await stores.items.put({
    item: item('kt9', KHMER_TIMES_FEED, 'Khmer Times', 'Angkor tourism record', OFFTOPIC_LINK),
    relevance: { relevant: false, score: 0.04, reasons: ['Cambodia without the scam industry'] },
    storyId: null,
    summary: '',
    figures: [],
    seenAt: '2026-01-14T05:10:00.000Z',
  });
  const state = { title: null, etag: null, lastModified: null, nextDue: null, primed: true, failureNoticeSent: false };
  await stores.feeds.put({ ...state, source: KHMER_TIMES_FEED, lastAttempt: '2026-01-15T11:55:00.000Z', lastSuccess: '2026-01-15T08:00:00.000Z', consecutiveFailures: 3, lastError: 'HTTP 503 from server' });
  await stores.feeds.put({ ...state, source: GUARDIAN_FEED, lastAttempt: '2026-01-15T11:55:00.000Z', lastSuccess: '2026-01-15T11:55:00.000Z', consecutiveFailures: 0, lastError: null });
}

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title><item><title>x</title><link>https://feeds.example.org/a</link></item></channel></rss>';

let fake: FakeDiscord;
/** Serves the one "good" new feed; any other path is a 404, as a missing feed would be. */
let feedServer: FeedServer;
let GOOD_NEW_FEED: string;
let MISSING_FEED: string;
let bot: BotHandle;
let stores: Stores;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [defaultGuild(), guildB] });
  feedServer = await startFeedServer({
    '/compounds.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS),
  });
  GOOD_NEW_FEED = feedServer.url('/compounds.xml');
  MISSING_FEED = feedServer.url('/feed');
  dataDir = mkdtempSync(path.join(tmpdir(), 'cw-e2e-'));
  // The real fetcher checks /feeds add URLs: the local feed server is on a loopback address.
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token', DISCORD_API_BASE: fake.apiBase, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ALLOW_PRIVATE_FEEDS: 'true' });
  // E2E_LOG=1 prints the bot's log (e.g. the stack of a "command failed") when a case needs debugging.
  bot = await startBot(config, process.env['E2E_LOG'] ? createLogger({ level: 'debug' }) : silentLogger, {
    clientOptions: { rest: { offset: 0 }, waitGuildTimeout: 500 },
    now: () => NOW,
    schedule: false,
  });
  stores = bot.core.stores;
  await seed(stores);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await feedServer?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(fake.errors).toEqual([]);
});

async function run(name: string, options: unknown[] = [], over: Partial<SendInteractionInput> = {}): Promise<ReplyBody> {
  const handle = await fake.sendInteraction({ guildId: GUILD_A, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, permissions: MEMBER, name, options, ...over });
  return handle.final();
}

/** Everything a reader would see: content and every embed's text, flattened. */
function seen(body: ReplyBody): string {
  const parts = [body.content];
  for (const e of body.embeds) {
    const embed = e as { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } };
    parts.push(embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]), embed.footer?.text ?? '');
  }
  return parts.join('\n');
}

const str = (name: string, value: string) => ({ name, type: 3, value });
const int = (name: string, value: number) => ({ name, type: 4, value });
const bool = (name: string, value: boolean) => ({ name, type: 5, value });
const channel = (name: string, value: string) => ({ name, type: 7, value });
const sub = (name: string, options: unknown[] = []) => ({ name, type: 1, options });

describe('reading commands', () => {
  it('/latest lists the newest stories of this server, linked, with outlets, never pinging', async () => {
    const body = await run('latest');
    const text = seen(body);
    expect(text.indexOf('Thousands leave Cambodian scam compounds')).toBeLessThan(text.indexOf('Amnesty: at least 10 compounds'));
    expect(text).toContain(`[Thousands leave Cambodian scam compounds](${KT_LINK})`);
    expect(text).toContain('Khmer Times, The Guardian');
    expect(text).toContain('`exodus`');
    expect(text).not.toMatch(/@everyone|<@&42>/u);
    expect(body.raw['allowed_mentions']).toEqual({ parse: [] });
    expect(seen(await run('latest', [int('count', 1)]))).not.toContain('Amnesty');
  });

  it('/figures shows the newest value per metric with qualifier, outlet and kind', async () => {
    const text = seen(await run('figures'));
    expect(text).toContain('more than 1,400 people — Indonesian nationals registered at the embassy');
    expect(text).toMatch(/up to 100,000 people — held in scam compounds \(\[The Guardian\]\([^)]+\), international media, 14 Jan 2026\)/u);
    expect(text).toContain('Khmer Times');
    expect(text).toMatch(/more than 150,000 people .*The Diplomat/u);
    expect(text).toMatch(/at least 10 compounds .*Amnesty International.*NGO/u);
    expect(text).toMatch(/more than \$12\.5 billion .*The Guardian/u);
    expect(text).not.toContain('80,000'); // CamboJA's figure is older than the 30-day window: history only
  });

  it('/figures metric:people_held history:true attaches a PNG chart', async () => {
    const body = await run('figures', [str('metric', 'people_held'), bool('history', true)]);
    expect(body.files).toHaveLength(1);
    const file = body.files[0]!;
    expect(file.name).toBe('figures-people_held.png');
    expect(file.data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(JSON.stringify(body.embeds)).toContain('attachment://figures-people_held.png');
    expect(seen(body)).toContain('about 80,000 people');
  });

  it('/figures history:true without a metric asks for one', async () => {
    const body = await run('figures', [bool('history', true)]);
    expect(body.content).toMatch(/metric/u);
    expect(body.files).toHaveLength(0);
  });

  it('answers a mistake in what was typed to that user alone, before any public "thinking…"', async () => {
    for (const [name, options, message] of [
      ['figures', [str('metric', 'bogus')], /^Unknown metric\. Pick one from the list; with figures: `people_held`/u],
      ['figures', [bool('history', true)], /^history:true charts one metric/u],
      ['search', [str('query', '!!!')], /^Search for at least one word/u],
      ['why', [str('url', 'hello')], /^That is not an http\(s\) link\.$/u],
    ] as const) {
      const body = await run(name, [...options]);
      expect(body.via, name).toBe('callback');
      expect(body.flags & EPHEMERAL, name).toBe(EPHEMERAL);
      expect(body.content, name).toMatch(message);
    }
  });

  it('/figures autocompletes metrics with human labels', async () => {
    const handle = await fake.sendInteraction({
      guildId: GUILD_A, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, name: 'figures', type: 4,
      options: [{ name: 'metric', type: 3, value: 'held', focused: true }],
    });
    expect((await handle.final()).choices).toEqual([{ name: 'People held in compounds', value: 'people_held' }]);
  });

  it('/story shows one story in full; an unknown id is a clear, private error', async () => {
    const body = await run('story', [str('id', 'exodus')]);
    const embed = body.embeds[0] as { title: string; url: string };
    expect(embed.title).toBe('Thousands leave Cambodian scam compounds');
    expect(embed.url).toBe(KT_LINK);
    expect(seen(body)).toContain('Reported by');
    const missing = await run('story', [str('id', 'nope')]);
    expect(missing.content).toContain('No story');
    expect(missing.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('/sources with a report link lists every report and each figure’s source', async () => {
    const text = seen(await run('sources', [str('story', `${GUARDIAN_LINK}?utm_source=x`)]));
    expect(text).toContain('**Khmer Times** (local media)');
    expect(text).toContain('**The Guardian** (international media)');
    expect(text).toContain('Figures and their sources');
    expect(text).toContain('“more than 1,400 Indonesians registered”');
  });

  it('/sources alone lists this server’s feeds with their health', async () => {
    const text = seen(await run('sources'));
    expect(text).toMatch(/\*\*Khmer Times\*\* — failing: 3 failures in a row, last error: HTTP 503 from server/u);
    expect(text).toMatch(/\*\*The Guardian\*\* — ok/u);
    expect(text).toContain('not polled yet');
    expect(text).toMatch(/This server monitors 11 feeds: 1 failing, 9 not polled yet\./u);
  });

  it('/search matches every word, case-insensitively and in any script', async () => {
    expect(seen(await run('search', [str('query', 'SCAM cambodian')]))).toContain('`exodus`');
    const khmer = seen(await run('search', [str('query', 'កម្ពុជា')]));
    expect(khmer).toContain('`khmer1`');
    expect(khmer).not.toContain('`exodus`');
    expect(seen(await run('search', [str('query', 'scam zebra')]))).toContain('No stories');
  });

  it('/why explains kept and dropped items, and unknown links by feed coverage and health', async () => {
    const kept = seen(await run('why', [str('url', KT_LINK)]));
    expect(kept).toContain('**Kept** as relevant (score 0.91)');
    expect(kept).toContain('Thousands leave Cambodian scam compounds · `exodus`');
    expect(seen(await run('why', [str('url', OFFTOPIC_LINK)]))).toContain('**Not kept**');
    const unknown = seen(await run('why', [str('url', 'https://www.khmertimeskh.com/599999/unseen')]));
    expect(unknown).toContain('Not seen yet');
    expect(unknown).toMatch(/feeds on khmertimeskh\.com\n\*\*Khmer Times\*\* — failing/u);
    expect(seen(await run('why', [str('url', 'https://nowhere.example/a')]))).toContain('None.');
  });
});

describe('admin commands', () => {
  it('refuse a member without Manage Server and change nothing', async () => {
    const before = JSON.stringify(await stores.guilds.get(GUILD_A));
    const sub1 = await run('subscribe', [channel('channel', NEWS_A)], { permissions: MEMBER });
    expect(sub1.content).toContain('Manage Server');
    expect(sub1.flags & EPHEMERAL).toBe(EPHEMERAL);
    const add = await run('feeds', [sub('add', [str('url', GOOD_NEW_FEED)])], { permissions: MEMBER });
    expect(add.content).toContain('Manage Server');
    expect(JSON.stringify(await stores.guilds.get(GUILD_A))).toBe(before);
  });

  it('/subscribe stores the subscription for this server only, privately', async () => {
    const body = await run('subscribe', [channel('channel', NEWS_A), str('mode', 'digest'), int('hour', 7), str('timezone', 'Asia/Phnom_Penh'), channel('admin-channel', DEFAULT_CHANNEL_ID)], { permissions: ADMIN });
    expect(body.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(seen(body)).toContain('daily digest at 07:00 Asia/Phnom_Penh');
    const a = await stores.guilds.get(GUILD_A);
    expect(a.subscriptions).toEqual([{ channelId: NEWS_A, mode: 'digest', digestHour: 7, timezone: 'Asia/Phnom_Penh', since: NOW.toISOString() }]);
    expect(a.adminChannelId).toBe(DEFAULT_CHANNEL_ID);
    expect((await stores.guilds.get(GUILD_B)).subscriptions).toEqual([]);

    await run('subscribe', [channel('channel', NEWS_A)], { permissions: ADMIN });
    expect((await stores.guilds.get(GUILD_A)).subscriptions).toMatchObject([{ channelId: NEWS_A, mode: 'instant' }]);
    expect((await run('subscribe', [channel('channel', NEWS_A), str('timezone', 'Mars/Olympus')], { permissions: ADMIN })).content).toContain('Unknown timezone');
  });

  it('/feeds add checks the URL, stores it for this server, and guild B does not see it', async () => {
    const bad = await run('feeds', [sub('add', [str('url', MISSING_FEED)])], { permissions: ADMIN });
    expect(bad.content).toContain('cannot be added');
    expect(feedServer.count('/feed')).toBe(1);
    expect(feedServer.count('/compounds.xml')).toBe(0);
    const ok = await run('feeds', [sub('add', [str('url', GOOD_NEW_FEED)])], { permissions: ADMIN });
    expect(seen(ok)).toContain('Added');
    expect(feedServer.count('/compounds.xml')).toBe(1);
    expect((await stores.guilds.get(GUILD_A)).addedFeeds).toEqual([GOOD_NEW_FEED]);

    const listA = seen(await run('feeds', [sub('list')], { permissions: ADMIN }));
    expect(listA).toContain(GOOD_NEW_FEED);
    const listB = seen(await run('feeds', [sub('list')], { guildId: GUILD_B, channelId: GENERAL_B, permissions: ADMIN }));
    expect(listB).not.toContain(GOOD_NEW_FEED);
    expect(seen(await run('sources', [], { guildId: GUILD_B, channelId: GENERAL_B }))).not.toContain(GOOD_NEW_FEED);
    expect((await stores.guilds.get(GUILD_B)).addedFeeds).toEqual([]);
  });

  it('/feeds remove takes out an added feed or a default, and refuses one the server does not follow', async () => {
    await run('feeds', [sub('remove', [str('url', AMNESTY_FEED)])], { permissions: ADMIN });
    expect((await stores.guilds.get(GUILD_A)).removedFeeds).toEqual([AMNESTY_FEED]);
    // Amnesty's story is no longer among this server's stories, but still among guild B's.
    expect(seen(await run('latest'))).not.toContain('Amnesty');
    expect(seen(await run('latest', [], { guildId: GUILD_B, channelId: GENERAL_B }))).toContain('Amnesty');
    const again = await run('feeds', [sub('remove', [str('url', AMNESTY_FEED)])], { permissions: ADMIN });
    expect(again.content).toContain('does not follow');
  });

  it('/status reports the process, this server’s feeds and subscriptions', async () => {
    const body = await run('status', [], { permissions: ADMIN });
    expect(body.flags & EPHEMERAL).toBe(EPHEMERAL);
    const text = seen(body);
    expect(text).toContain('Backend: sqlite');
    expect(text).toMatch(/Feeds: \d+ \(1 failing/u);
    expect(text).toContain(`<#${NEWS_A}> — instant`);
  });

  it('/unsubscribe removes the channel and withdraws what was queued for it; a channel that is not subscribed is an error', async () => {
    const { newOutboxEntry } = await import('../../src/pipeline/dispatch.js');
    const queued = (key: string, status: 'pending' | 'digest') =>
      newOutboxEntry({ key, guildId: GUILD_A, channelId: NEWS_A, kind: 'story', storyId: key, text: null, status, nonce: `n-${key}`, wantedVersion: 1 }, new Date());
    await stores.outbox.put(queued('s-waiting-retry', 'pending'));
    await stores.outbox.put(queued('s-waiting-digest', 'digest'));
    const reply = seen(await run('unsubscribe', [channel('channel', NEWS_A)], { permissions: ADMIN }));
    expect(reply).toContain('2 queued posts withdrawn');
    expect(reply).toContain('0 subscriptions left');
    expect((await stores.guilds.get(GUILD_A)).subscriptions).toEqual([]);
    expect((await stores.outbox.pending()).filter((e) => e.channelId === NEWS_A)).toEqual([]);
    expect(await stores.outbox.awaitingDigest(NEWS_A)).toEqual([]);
    expect((await stores.outbox.get('s-waiting-retry'))?.status).toBe('failed');
    expect((await run('unsubscribe', [channel('channel', NEWS_A)], { permissions: ADMIN })).content).toContain('not subscribed');
  });
});
