// Composition root: config → store → feeds → pipeline → discord → jobs; clean shutdown.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import cron, { type ScheduledTask } from 'node-cron';
import { fileURLToPath } from 'node:url';
import { Events, ShardingManager, type Client, type ClientOptions } from 'discord.js';
import { buildCore, feedsToPoll, type Core } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createEnqueuer, guildTargets, previewTargets } from './pipeline/dispatch.js';
import { POLLER_LEASE, POLLER_LEASE_TTL_MS, runPollCycle, type CycleResult, type Fetcher } from './pipeline/poll-cycle.js';
import { createClient, discordSink, loadCommands, previewSink, routeInteractions } from './discord/bot.js';
import { UserError, type CommandContext } from './discord/command.js';
import { Publisher } from './discord/publisher.js';
import { fetchSource } from './feeds/fetch.js';
import { shortHash } from './core/hash.js';
import { counted } from './core/words.js';
import { queueDueDigests } from './discord/digest.js';
import { adminTargets, queueFeedNotices } from './pipeline/notices.js';
import { pruneOld } from './pipeline/retention.js';
import { parseFeedXml } from './feeds/parse.js';
import { checkFeedScheme } from './feeds/ssrf.js';

export interface BotOverrides {
  clientOptions?: Partial<ClientOptions>;
  now?: () => Date;
  fetch?: Fetcher;
  stdout?: (s: string) => void;
  /** Tests drive cycles themselves. */
  schedule?: boolean;
  /** Spread of feed fetches across the poll interval, in ms (default: half the interval). */
  staggerMs?: number;
}

export interface BotHandle {
  core: Core;
  client: Client | null;
  publisher: Publisher;
  /** Runs one poll cycle (if this process holds the poller lease) and drains the outbox. */
  cycle(): Promise<CycleResult | null>;
  stop(): Promise<void>;
}

const LEASE_RENEW_MS = 10_000;

export async function startBot(config: Config, logger: Logger, overrides: BotOverrides = {}): Promise<BotHandle> {
  const now = overrides.now ?? (() => new Date());
  const stdout = overrides.stdout ?? ((s: string) => process.stdout.write(s + '\n'));
  const fetcher = overrides.fetch ?? fetchSource;
  const core = await buildCore(config, logger, { fetch: fetcher, now });
  const holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = now().toISOString();
  let lastCycle: { at: string; ms: number } | null = null;
  let client: Client | null = null;

  const preview = config.discordToken === null;
  const targets = preview ? previewTargets : guildTargets(core.stores, core.defaultFeeds);
  core.cycleDeps.onStory = createEnqueuer(core.stores, targets, { now, maxPostsPerHour: config.maxPostsPerHour });

  if (!preview) {
    client = createClient({ apiBase: config.discordApiBase, extra: overrides.clientOptions ?? {} });
    client.on(Events.Error, (err) => logger.error('discord client error', { err }));
    client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, code: event.code }));
    client.on(Events.ShardResume, (shardId) => logger.info('gateway resumed', { shardId }));
    const ctx: CommandContext = {
      stores: core.stores,
      config,
      logger,
      defaultFeeds: core.defaultFeeds,
      now,
      checkFeedUrl: (url) => checkFeedUrl(url, fetcher, core),
      status: async () => ({
        startedAt,
        lastCycle: lastCycle?.at ?? null,
        lastCycleMs: lastCycle?.ms ?? null,
        pendingPosts: (await core.stores.outbox.pending()).length,
        backend: core.stores.backend,
        shard: client?.shard ? `${client.shard.ids.join(',')}/${client.shard.count}` : '0/1',
      }),
    };
    routeInteractions(client, await loadCommands(logger), ctx);
    const ready = once(client, Events.ClientReady);
    await client.login(config.discordToken ?? '');
    await ready;
    logger.info('logged in to Discord', { user: client.user?.tag, guilds: client.guilds.cache.size });
  } else {
    logger.info('no DISCORD_TOKEN: preview mode, posts are printed instead of sent');
  }

  const publisher = new Publisher(core.stores, client ? discordSink(client.rest) : previewSink(stdout), logger, now);
  let held = false;
  let task: ScheduledTask | null = null;
  const renewal = setInterval(() => {
    if (!held) return;
    core.stores.lease
      .acquire(POLLER_LEASE, holder, POLLER_LEASE_TTL_MS)
      .then((ok) => {
        if (!ok) {
          held = false;
          logger.warn('lost the poller lease to another process');
        }
      })
      .catch((err: unknown) => logger.warn('could not renew the poller lease', { err }));
  }, LEASE_RENEW_MS);
  renewal.unref();

  const cycle = async (staggered: boolean): Promise<CycleResult | null> => {
    const t0 = Date.now();
    const got = await core.stores.lease.acquire(POLLER_LEASE, holder, POLLER_LEASE_TTL_MS);
    if (!got) {
      held = false;
      logger.debug('poll cycle skipped: another process holds the poller lease');
      return null;
    }
    // Another process may have polled since we last held the lease: start from its state.
    if (!held) await core.editorial.reload();
    held = true;
    logger.info('poll cycle started');
    await publisher.drain();
    const sources = await feedsToPoll(core.stores, core.defaultFeeds);
    const spread = staggered ? (overrides.staggerMs ?? staggerSpread(task)) : 0;
    const result = await runPollCycle(core.cycleDeps, sources, {
      // A stable slot per feed inside the interval: publishers see us at the same moment each cycle.
      delayFor: (source) => staggerDelay(source, spread),
      // Shutdown ends the waits between feeds at once (a staggered cycle spans up to half the interval).
      signal: shutdown.signal,
    });
    await queueFeedNotices(
      {
        stores: core.stores,
        logger,
        threshold: config.feedFailureNoticeAfter,
        now,
        targets: preview
          ? async () => [{ guildId: 'preview', channelId: 'preview' }]
          : (source) => adminTargets(core.stores, core.defaultFeeds, source),
      },
      result.feeds,
    );
    if (!preview) await queueDueDigests({ stores: core.stores, logger, now });
    const drained = await publisher.drain();
    await pruneOld(core.stores, now(), config.retentionDays, logger);
    lastCycle = { at: result.finishedAt, ms: Date.now() - t0 };
    const errors = result.feeds.filter((f) => f.status === 'error');
    logger.info('poll cycle finished', { feeds: result.feeds.length, failedFeeds: errors.length, stories: result.changed.size, ...drained, ms: lastCycle.ms });
    if (preview) {
      if (errors.length > 0 && errors.length === result.feeds.length) {
        stdout(
          `${errors.length === 1 ? 'the feed' : `none of the ${errors.length} feeds`} could be fetched (first error: ${errors[0]?.error ?? 'unknown'}); ` +
            'set FEEDS to reachable URLs or local files (see .env.example). Retrying on schedule.',
        );
      }
      const first = result.feeds.filter((f) => f.firstPoll && f.status === 'ok');
      const quiet = [...result.changed.values()].filter((c) => !c.postable);
      if (first.length > 0) {
        stdout(
          `first poll of ${counted(first.length, 'feed')}: ${counted(quiet.length, 'relevant story', 'relevant stories')} recorded, not posted (no flood on a first poll); new ones will be printed as they arrive.`,
        );
        for (const c of quiet.slice(0, 10)) stdout(`  · ${c.story.title} — ${c.story.outlets.join(', ')}`);
      }
    }
    return result;
  };

  // Cycles never overlap: a cycle that is still running makes the next trigger a no-op.
  let running: Promise<CycleResult | null> | null = null;
  const shutdown = new AbortController();
  let stopping = false;
  const safeCycle = (staggered = false): Promise<CycleResult | null> => {
    if (stopping) return Promise.resolve(null);
    if (running) {
      logger.warn('poll cycle still running; this trigger is skipped');
      return Promise.resolve(null);
    }
    running = cycle(staggered)
      .catch((err: unknown) => {
        logger.error('poll cycle failed', { err });
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  if (overrides.schedule !== false) {
    task = cron.schedule(config.pollCron, () => safeCycle(true), { name: 'poll-cycle', noOverlap: true });
    // The first cycle runs at start-up, at once (a user starting the bot wants to see it work); scheduled
    // cycles are spread over the interval.
    void safeCycle(false);
  }

  return {
    core,
    client,
    publisher,
    cycle: () => safeCycle(overrides.staggerMs !== undefined),
    async stop() {
      stopping = true;
      shutdown.abort();
      clearInterval(renewal);
      if (task) await task.stop();
      if (running) await running;
      await core.stores.lease.release(POLLER_LEASE, holder).catch(() => undefined);
      if (client) await client.destroy();
      await core.stores.close();
    },
  };
}

/** A feed's stable slot inside the spread: the same source always waits the same time into a cycle. */
export function staggerDelay(source: string, spreadMs: number): number {
  return spreadMs > 0 ? parseInt(shortHash(source, 8), 16) % spreadMs : 0;
}

/** Half the poll interval (from the cron schedule), capped at 10 minutes; 0 when unknown. */
export function staggerSpread(task: ScheduledTask | null): number {
  const runs = task?.getNextRuns(2) ?? [];
  const [a, b] = runs;
  if (!a || !b) return 0;
  return Math.min(Math.floor((b.getTime() - a.getTime()) / 2), 10 * 60 * 1000);
}

/** A feed URL an admin may add: http(s), reachable, and actually a feed. */
export async function checkFeedUrl(url: string, fetcher: Fetcher, core: Core): Promise<void> {
  try {
    checkFeedScheme(url);
    const result = await fetcher(url, { ...core.cycleDeps.fetchOptions, totalTimeoutMs: 10_000 });
    if (result.kind === 'ok') await parseFeedXml(result.body);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserError(`That feed cannot be added: ${reason}`);
  }
}

const BIN = fileURLToPath(new URL('../bin/compound-watch.mjs', import.meta.url));

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * With SHARD_COUNT set (and a token), this process becomes a ShardingManager that runs one bot process per
 * shard; each shard process answers its own servers' interactions, and one of them at a time (the lease
 * holder) polls and posts for all. Without it, the bot runs in this process.
 */
async function runShardManager(config: Config, logger: Logger): Promise<number> {
  const manager = new ShardingManager(BIN, {
    totalShards: config.shardCount ?? 1,
    token: config.discordToken ?? '',
    shardArgs: ['run'],
    mode: 'process',
    respawn: true,
  });
  manager.on('shardCreate', (shard) => {
    logger.info('shard started', { shard: shard.id, of: manager.totalShards });
    shard.on('death', () => logger.warn('shard process exited', { shard: shard.id }));
  });
  const stopped = untilSignal();
  await manager.spawn({ amount: manager.totalShards, delay: config.shardSpawnDelayMs, timeout: 60_000 });
  await stopped;
  logger.info('shutting down shards');
  manager.respawn = false;
  // Ask each shard to finish its cycle and exit; wait for it (up to a minute) before giving up on it.
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  return 0;
}

/** `compound-watch run`: runs until SIGINT/SIGTERM. */
export async function runBot(opts: { config: Config; logger: Logger }): Promise<number> {
  if (opts.config.shardCount !== null && opts.config.discordToken && !process.env['SHARDING_MANAGER']) {
    return runShardManager(opts.config, opts.logger);
  }
  const bot = await startBot(opts.config, opts.logger);
  await untilSignal();
  opts.logger.info('shutting down');
  await bot.stop();
  // A shard's IPC channel to its manager would keep this process alive after a clean stop.
  if (process.env['SHARDING_MANAGER'] && process.connected) process.disconnect();
  return 0;
}
