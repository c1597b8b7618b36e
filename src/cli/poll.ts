// `compound-watch poll --once`: one poll cycle over the configured feeds, with the store; prints what it kept.
import { randomUUID } from 'node:crypto';
import { buildCore, feedsToPoll } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createEnqueuer, guildTargets, previewTargets } from '../pipeline/dispatch.js';
import { POLLER_LEASE, POLLER_LEASE_TTL_MS, runPollCycle, type CycleResult } from '../pipeline/poll-cycle.js';
import { noUsableSource } from './errors.js';
import { ProgressLine, type ProgressOptions, type ProgressStream } from './progress.js';
import { counted } from '../core/words.js';

export function renderCycle(result: CycleResult): string {
  const lines: string[] = [];
  for (const f of result.feeds) {
    const head =
      f.status === 'error'
        ? `✗ ${f.source}: ${f.error}`
        : f.status === 'not_modified'
          ? `= ${f.source}: not modified`
          : f.status === 'not_due'
            ? `… ${f.source}: not due yet`
            : `✓ ${f.source}: ${counted(f.entries, 'entry', 'entries')}, ${f.newItems.toLocaleString('en-US')} new${f.firstPoll ? ' (first poll: recorded, nothing posted)' : ''}`;
    lines.push(head);
    for (const r of f.records.filter((x) => x.relevance.relevant)) {
      lines.push(`    kept  ${r.item.title}  [story ${r.storyId}]`);
      lines.push(`          why: ${r.relevance.reasons.join('; ')}`);
    }
  }
  const kept = result.feeds.reduce((n, f) => n + f.records.filter((r) => r.relevance.relevant).length, 0);
  lines.push(`${counted(kept, 'new relevant item')}, ${counted(result.changed.size, 'story', 'stories')} created or updated`);
  return lines.join('\n');
}

export async function pollOnce(opts: {
  config: Config;
  logger: Logger;
  stdout: (s: string) => void;
  json: boolean;
  /** Whether stdout is a terminal: the JSON document is indented for a person to read. */
  stdoutIsTTY?: boolean;
  stderr?: ProgressStream;
  progress?: ProgressOptions;
}): Promise<number> {
  const core = await buildCore(opts.config, opts.logger);
  const holder = `poll-once-${process.pid}-${randomUUID().slice(0, 8)}`;
  const progress = new ProgressLine(opts.stderr ?? { write: () => true }, 'polling', opts.progress);
  let leased = false;
  try {
    // One poller per store: racing the bot's cycle could post a story twice.
    leased = await core.stores.lease.acquire(POLLER_LEASE, holder, POLLER_LEASE_TTL_MS);
    if (!leased) throw new PollerBusyError();
    // What this cycle keeps is queued for posting as the bot's own cycle would queue it (the bot sends it),
    // so a manual poll against the bot's store never uses up news unposted.
    const targets = opts.config.discordToken === null ? previewTargets : guildTargets(core.stores, core.defaultFeeds);
    core.cycleDeps.onStory = createEnqueuer(core.stores, targets, { now: () => new Date(), maxPostsPerHour: opts.config.maxPostsPerHour });
    const sources = await feedsToPoll(core.stores, core.defaultFeeds);
    const result = await runPollCycle(core.cycleDeps, sources, {
      force: true,
      logFeedErrors: false,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    if (result.feeds.length > 0 && result.feeds.every((f) => f.status === 'error')) throw noUsableSource(result.feeds);
    const queued = (await core.stores.outbox.pending()).length;
    if (opts.json) {
      const doc = {
        feeds: result.feeds.map((f) => ({
          source: f.source,
          status: f.status,
          error: f.error,
          entries: f.entries,
          newItems: f.newItems,
          firstPoll: f.firstPoll,
          kept: f.records.filter((r) => r.relevance.relevant).map((r) => ({ id: r.item.id, title: r.item.title, storyId: r.storyId })),
        })),
        storiesChanged: result.changed.size,
        postsWaiting: queued,
      };
      opts.stdout(opts.stdoutIsTTY === true ? JSON.stringify(doc, null, 2) : JSON.stringify(doc));
    } else {
      const waiting = queued > 0 ? `\n${counted(queued, 'post')} waiting for the bot to send (it sends them when it runs)` : '';
      opts.stdout(renderCycle(result) + waiting);
    }
    return 0;
  } finally {
    progress.done();
    if (leased) await core.stores.lease.release(POLLER_LEASE, holder).catch(() => undefined);
    await core.stores.close();
  }
}

/** Another process holds the poller lease on this store. */
class PollerBusyError extends Error {
  constructor() {
    super(
      'another compound-watch process is polling this store (the bot?): stop it first, or look at feeds without the store with `compound-watch analyze`',
    );
    this.name = 'PollerBusyError';
  }
}
