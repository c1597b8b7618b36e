// The process keeps serving slash commands while a poll cycle chews through hostile feeds: a gzip bomb, a
// body that drips, a 20,000-item feed, a 4 MiB item, deep nesting. Every command is acknowledged well inside
// Discord's 3 seconds, every bad feed ends in its own error, and the good feed is still kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotHandle } from '../../src/main.js';
import { EVENT_RAID, EVENT_SANCTIONS, rss } from '../support/articles.js';
import { startTestBot } from '../support/bot-harness.js';
import { FakeDiscord, defaultGuild, DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID } from '../support/fake-discord.js';
import { gzipBombRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-serving-'));
let fake: FakeDiscord;
let feeds: FeedServer;
let bot: BotHandle;

const manyItems = (n: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>${Array.from(
    { length: n },
    (_, i) => `<item><guid>m${i}</guid><title>Weather update ${i} for the coast</title><description>Light rain expected in district ${i}.</description></item>`,
  ).join('')}</channel></rss>`;

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [defaultGuild()] });
  const big = manyItems(20_000);
  const hugeItem = rss('Huge', [{ ...EVENT_SANCTIONS, guid: 'huge', body: 'Weather and markets. '.repeat(200_000) }]);
  const nested = `<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><title>x</title><description>${'<div>'.repeat(10_000)}${'</div>'.repeat(10_000)}</description></item></channel></rss>`;
  feeds = await startFeedServer({
    '/good.xml': (_req, res) => void res.writeHead(200).end(rss('Good', [EVENT_RAID])),
    '/many.xml': (_req, res) => void res.writeHead(200).end(big),
    '/huge-item.xml': (_req, res) => void res.writeHead(200).end(hugeItem),
    '/nested.xml': (_req, res) => void res.writeHead(200).end(nested),
    '/drip.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const t = setInterval(() => res.write('<'), 1000);
      res.on('close', () => clearInterval(t));
    },
    '/bomb.xml': gzipBombRoute(300),
  });
  const sources = ['/good.xml', '/many.xml', '/huge-item.xml', '/nested.xml', '/drip.xml', '/bomb.xml'].map((p) => feeds.url(p));
  bot = await startTestBot({ fake, dataDir: tmp, feeds: sources, env: { FETCH_TIMEOUT_MS: '4000' } });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await feeds?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('serving commands during a hostile poll cycle', () => {
  it('acknowledges every command within Discord’s 3 seconds while bad feeds fail one by one', { timeout: 90_000 }, async () => {
    const cycle = bot.cycle();
    let done = false;
    void cycle.finally(() => {
      done = true;
    });
    const acks: number[] = [];
    let peakRss = 0;
    while (!done) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const h = await fake.sendInteraction({ guildId: DEFAULT_GUILD_ID, channelId: DEFAULT_CHANNEL_ID, userId: '1300000000000000002', name: 'latest' });
      const cb = await h.callback;
      acks.push(cb.at - h.sentAt);
      await new Promise((r) => setTimeout(r, 150));
    }
    const result = await cycle;
    expect(acks.length).toBeGreaterThan(5);
    expect(Math.max(...acks)).toBeLessThan(2500);
    const status = new Map(result?.feeds.map((f) => [new URL(f.source).pathname, f]) ?? []);
    expect(status.get('/good.xml')?.status).toBe('ok');
    expect(status.get('/drip.xml')?.error).toMatch(/timed out/u);
    expect(status.get('/bomb.xml')?.error).toMatch(/MiB/u);
    for (const f of status.values()) if (f.error) expect(f.error.includes('\n')).toBe(false);
    expect(status.get('/many.xml')?.entries).toBe(20_000);
    expect(peakRss).toBeLessThan(1024 * 1024 * 1024);
  });
});
