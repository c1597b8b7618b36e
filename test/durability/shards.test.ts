// Scale-out with SHARD_COUNT=2: one `run` process becomes a discord.js ShardingManager with two shard
// processes. Each shard identifies as its own [i, 2], and each server's interactions are answered by the
// shard that owns the server (the fake Discord routes by Discord's formula, like the real gateway).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RAID } from '../support/articles.js';
import { ADMIN, BOT_TOKEN } from '../support/bot-harness.js';
import { FakeDiscord, guildIdOnShard, shardOf, type FakeGuild } from '../support/fake-discord.js';
import { rssRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { cyclesOf, killAll, spawnBot, until, type BotProcess } from '../support/processes.js';

const OWNER = '1330000000000000001';
const G0 = guildIdOnShard(0, 2, 7);
const G1 = guildIdOnShard(1, 2, 7);
const guild = (id: string, name: string): FakeGuild => ({
  id,
  name,
  ownerId: OWNER,
  channels: [{ id: `${id.slice(0, -2)}55`, name: 'general' }],
  members: [{ id: OWNER, username: 'admin' }],
});
const GUILD_0 = guild(G0, 'On shard zero');
const GUILD_1 = guild(G1, 'On shard one');
const channelOf = (g: FakeGuild) => g.channels[0]?.id ?? '';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-shards-'));
let fake: FakeDiscord;
let feeds: FeedServer;
let manager: BotProcess;

/** True while any process of the group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [GUILD_0, GUILD_1] });
  feeds = await startFeedServer({
    '/wire.xml': rssRoute('Shard Wire', [EVENT_RAID]),
  });
  manager = spawnBot(
    {
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      FEEDS: feeds.url('/wire.xml'),
      DATA_DIR: tmp,
      POLL_CRON: '*/2 * * * * *',
      SHARD_COUNT: '2',
      SHARD_SPAWN_DELAY_MS: '0',
      // Debug level: a shard that finds the poller lease taken says so, which the lease test counts on.
      LOG_LEVEL: 'debug',
    },
    { name: 'manager' },
  );
  await manager.waitForLogCount((l) => l.msg === 'logged in to Discord', 2, 45_000, 'both shards logged in');
}, 60_000);

afterAll(async () => {
  await killAll();
  await fake?.stop();
  await feeds?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('two shards', () => {
  it('the fixture puts one server on each shard', () => {
    expect(shardOf(G0, 2)).toBe(0);
    expect(shardOf(G1, 2)).toBe(1);
  });

  it('identifies twice, as shard [0, 2] and shard [1, 2]', () => {
    expect(manager.logged('shard started').map((l) => l['shard']).sort()).toEqual([0, 1]);
    expect(fake.identifies.map((i) => i.shard.join('/')).sort()).toEqual(['0/2', '1/2']);
    expect(new Set(fake.identifies.map((i) => i.sessionId)).size).toBe(2);
  });

  it("answers /status in each server from that server's own shard", async () => {
    for (const [g, shard] of [
      [GUILD_0, 0],
      [GUILD_1, 1],
    ] as const) {
      const h = await fake.sendInteraction({
        guildId: g.id,
        channelId: channelOf(g),
        userId: OWNER,
        permissions: ADMIN,
        name: 'status',
        sessionTimeoutMs: 10_000,
      });
      expect(h.ownedByShard).toBe(shard);
      const reply = await h.final();
      expect(reply.flags & 64).toBe(64);
      expect(JSON.stringify(reply.embeds)).toContain(`shard ${shard}/2`);
      expect(h.callbackAttempts).toBe(1);
    }
  }, 30_000);

  it('answers /latest in each server, once', async () => {
    // Wait until some shard has polled (the lease holder polls for both).
    await until(async () => manager.logged('poll cycle finished').length > 0, 15_000, 'a poll cycle', () => manager.tail(10));
    for (const [g, shard] of [
      [GUILD_0, 0],
      [GUILD_1, 1],
    ] as const) {
      const h = await fake.sendInteraction({ guildId: g.id, channelId: channelOf(g), userId: OWNER, name: 'latest', sessionTimeoutMs: 10_000 });
      expect(h.ownedByShard).toBe(shard);
      expect(JSON.stringify((await h.final()).embeds)).toMatch(/Sihanoukville/u);
      expect(h.callbackAttempts).toBe(1);
    }
    expect(fake.errors).toEqual([]);
  }, 30_000);

  it('only one shard polls at a time', async () => {
    // Both shards log to the manager's stderr: every cycle that ran is counted, and each fetched the feed
    // once (one more fetch may belong to a cycle still running). That bound alone cannot tell one poller from
    // two (each polling shard logs its own cycles too); the lease and overlap checks below can.
    await until(() => manager.logged('poll cycle finished').length >= 3, 15_000, 'three poll cycles', () => manager.tail(10));
    const finished = manager.logged('poll cycle finished').length;
    expect(feeds.count('/wire.xml')).toBeLessThanOrEqual(finished + 1);
    expect(manager.logged('poll cycle failed')).toEqual([]);
    // The shard without the lease skips its triggers (both shards run the same schedule); two polling shards
    // would never log this.
    expect(manager.logged('poll cycle skipped: another process holds the poller lease').length).toBeGreaterThan(0);
    // Both shards log into one stream, and the triggers fire at the same second on both: two polling shards
    // would log "started, started, finished, finished". Every cycle must finish before the next one starts.
    // (An overlap pairs only the later start, so it leaves fewer cycles than "finished" lines.)
    expect(cyclesOf(manager), manager.tail(20)).toHaveLength(manager.logged('poll cycle finished').length);
  }, 30_000);

  it('SIGTERM to the manager process (docker stop, systemctl stop) stops it and both shard processes', async () => {
    const pgid = manager.pid;
    process.kill(manager.pid, 'SIGTERM');
    try {
      await until(() => !groupAlive(pgid), 15_000, 'the manager and its shard processes to exit after SIGTERM');
    } catch (err) {
      const left: string[] = [];
      if (manager.alive) left.push(`manager ${manager.pid}`);
      throw new Error(`${(err as Error).message}; still running: ${left.join(', ') || 'shard processes only'}\n${manager.tail(8)}`);
    }
    expect(await manager.exited).toBe(0);
  }, 30_000);
});
