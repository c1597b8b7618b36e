// Faults: Discord answering 500 and 429 in bursts, the gateway closing, a store write failing, and Redis
// restarting mid-cycle. No post lost, none doubled, a clear log line, recovery without a restart by hand.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RAID, EVENT_RELEASE_A, EVENT_SANCTIONS, IRRELEVANT, type Article } from '../support/articles.js';
import { BOT_TOKEN, startTestBot, subscribe } from '../support/bot-harness.js';
import { reachable } from '../support/backends.js';
import { FakeDiscord, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';

const GUILD: FakeGuild = {
  id: '1200000000000000301',
  name: 'Faults',
  ownerId: '1300000000000000001',
  channels: [{ id: '1200000000000000302', name: 'news' }],
  members: [{ id: '1300000000000000001', username: 'admin' }],
};
const NEWS = '1200000000000000302';

function event(n: number): Article {
  const places = ['Bavet', 'Poipet', 'Kampot', 'Koh Kong', 'Svay Rieng', 'Pursat', 'Kratie', 'Takeo'];
  const place = places[n % places.length] ?? 'Bavet';
  return {
    guid: `fault-event-${n}`,
    title: `Raid on scam compound in ${place} district ${n} frees ${100 + n * 7} workers`,
    link: `https://local.example/fault-${n}`,
    body: `Cambodian police raided scam compound number ${n} in ${place} on day ${n} and freed ${100 + n * 7} workers held there. Officers arrested ${n + 3} managers of compound ${n}.`,
    pubDate: new Date(Date.UTC(2026, 2, 1 + n * 9)).toUTCString(),
  };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-faults-'));
let fake: FakeDiscord;
let feeds: FeedServer;
let doc: Article[] = [EVENT_SANCTIONS];
const posts = () => fake.messagesIn(NEWS, 'channel');

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [GUILD] });
  feeds = await startFeedServer({
    '/f.xml': rssRoute('Faults', () => doc),
  });
});

afterAll(async () => {
  await fake?.stop();
  await feeds?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function subscribeNews(): Promise<void> {
  await subscribe(fake, { guildId: GUILD.id, channel: NEWS, userId: '1300000000000000001' });
}

describe('faults', () => {
  it('Discord 500s and 429s in bursts: every post lands exactly once', async () => {
    const logs: string[] = [];
    const bot = await startTestBot({ fake, dataDir: path.join(tmp, 'burst'), feeds: [feeds.url('/f.xml')], logLines: logs });
    try {
      await subscribeNews();
      doc = [EVENT_SANCTIONS];
      await bot.cycle(); // primes
      const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`;
      fake.override({ match: isPost, status: 500, body: { message: 'Internal Server Error', code: 0 }, times: 3 });
      fake.override({ match: isPost, status: 429, headers: { 'retry-after': '0.2' }, body: { message: 'You are being rate limited.', retry_after: 0.2, global: false }, times: 2 });
      fake.override({ match: isPost, status: 502, body: { message: 'Bad Gateway', code: 0 }, times: 2 });
      doc = [EVENT_SANCTIONS, ...[1, 2, 3, 4, 5].map(event)];
      await bot.cycle();
      // Whatever a burst made fail this cycle is retried on the next drain.
      await bot.cycle();
      const titles = posts().map((m) => (m.embeds[0] as { title?: string } | undefined)?.title ?? '');
      expect(titles).toHaveLength(5);
      expect(new Set(titles).size).toBe(5);
      expect(await bot.core.stores.outbox.pending()).toEqual([]);
    } finally {
      await bot.stop();
      fake.reset();
    }
  });

  it('a store write failing after a send: logged clearly, resent with the same nonce, still one message', async () => {
    const logs: string[] = [];
    const bot = await startTestBot({ fake, dataDir: path.join(tmp, 'storefail'), feeds: [feeds.url('/f.xml')], logLines: logs });
    try {
      await subscribeNews();
      doc = [EVENT_SANCTIONS];
      await bot.cycle();
      // The write that would mark the post as sent fails once (as a full disk or a dropped connection would).
      const outbox = bot.core.stores.outbox;
      const realPut = outbox.put.bind(outbox);
      let failed = false;
      outbox.put = async (entry) => {
        if (!failed && entry.status === 'sent' && entry.kind === 'story') {
          failed = true;
          throw new Error('simulated store write failure');
        }
        return realPut(entry);
      };
      doc = [EVENT_RAID, EVENT_SANCTIONS];
      await bot.cycle();
      expect(failed).toBe(true);
      expect(logs.some((l) => l.includes('simulated store write failure'))).toBe(true);
      await bot.cycle(); // the entry is still pending: resent with its nonce, deduplicated by Discord
      expect(posts()).toHaveLength(1);
      const sends = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${NEWS}/messages`);
      expect(sends.length).toBeGreaterThanOrEqual(2);
      expect(new Set(sends.map((r) => (r.body as { nonce?: string }).nonce)).size).toBe(1);
      expect(await bot.core.stores.outbox.pending()).toEqual([]);
    } finally {
      await bot.stop();
      fake.reset();
    }
  });

  it('an unexpected error in a command is logged with context and answered briefly, without internals', async () => {
    const logs: string[] = [];
    const bot = await startTestBot({ fake, dataDir: path.join(tmp, 'boundary'), feeds: [feeds.url('/f.xml')], logLines: logs });
    try {
      bot.core.stores.stories.recent = async () => {
        throw new Error('disk I/O error at /var/lib/secret/path');
      };
      const h = await fake.sendInteraction({ guildId: GUILD.id, channelId: NEWS, userId: '1300000000000000001', name: 'latest' });
      const reply = await h.final();
      expect(reply.content).toMatch(/Something went wrong/u);
      expect(JSON.stringify(reply)).not.toMatch(/secret\/path|disk I\/O/u);
      const line = logs.find((l) => l.includes('command failed'));
      expect(line).toBeDefined();
      expect(line).toContain('"command":"latest"');
      expect(line).toContain(GUILD.id);
      expect(line).toContain('disk I/O error');
    } finally {
      await bot.stop();
      fake.reset();
    }
  });

  it('the gateway closing mid-run is resumed and commands keep working', async () => {
    const bot = await startTestBot({ fake, dataDir: path.join(tmp, 'gateway'), feeds: [feeds.url('/f.xml')] });
    try {
      const resumes = fake.resumes;
      fake.closeGateway(4000);
      await fake.waitUntil(() => fake.resumes > resumes, 5000);
      fake.closeGateway(4009);
      await fake.waitUntil(() => fake.resumes > resumes + 1, 5000);
      const h = await fake.sendInteraction({ guildId: GUILD.id, channelId: NEWS, userId: '1300000000000000001', name: 'latest' });
      const reply = await h.final();
      expect(reply.via).toBeDefined();
      // Answered by the command itself, not by the error boundary.
      expect(reply.content).not.toMatch(/Something went wrong/u);
    } finally {
      await bot.stop();
      fake.reset();
    }
  });
});

const REDIS_PORT = 6391;
const redisUp = await new Promise<boolean>((resolve) => {
  const p = spawn('redis-server', ['--version']);
  p.on('error', () => resolve(false));
  p.on('exit', (code) => resolve(code === 0));
});

describe.skipIf(!redisUp)('Redis restarting mid-cycle', () => {
  let redis: ChildProcess | null = null;
  const dir = path.join(tmp, 'redis');
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !(await reachable(`redis://127.0.0.1:${REDIS_PORT}`)); i += 1) await new Promise((r) => setTimeout(r, 100));
  };
  const stopRedis = async () => {
    const p = redis;
    redis = null;
    if (!p) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  afterAll(stopRedis);

  it('fails the cycle with a clear log line, recovers by itself, loses and doubles nothing', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    await startRedis();
    const logs: string[] = [];
    let slow = false;
    const serveSlow = rssRoute('Slow', () => doc);
    feeds.route('/slow.xml', (req, res) => {
      const send = () => void serveSlow(req, res);
      if (slow) setTimeout(send, 600);
      else send();
    });
    const bot = await startTestBot({
      fake,
      dataDir: dir,
      feeds: [feeds.url('/slow.xml')],
      env: { STORE_URL: `redis://127.0.0.1:${REDIS_PORT}` },
      logLines: logs,
    });
    try {
      await subscribeNews();
      doc = [EVENT_SANCTIONS];
      await bot.cycle();
      doc = [EVENT_RELEASE_A, EVENT_SANCTIONS, ...IRRELEVANT];
      slow = true;
      const during = bot.cycle();
      await new Promise((r) => setTimeout(r, 200));
      await stopRedis(); // Redis goes away while the feed is being fetched
      await new Promise((r) => setTimeout(r, 300));
      await startRedis(); // and comes back (with its append-only file)
      await during;
      slow = false;
      for (let i = 0; i < 5 && posts().length === 0; i += 1) await bot.cycle();
      expect(posts()).toHaveLength(1);
      await bot.cycle();
      expect(posts()).toHaveLength(1);
      expect(logs.join('\n')).not.toContain(BOT_TOKEN);
      expect(logs.some((l) => l.includes('store connection lost (redis)'))).toBe(true);
      expect(logs.some((l) => l.includes('store connection restored (redis)'))).toBe(true);
    } finally {
      await bot.stop();
    }
  });
});
