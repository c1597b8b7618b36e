// Never silent: when a feed has failed N times in a row, every server that follows it hears about it once
// in its admin channel, and once more when the feed recovers. Notices travel through the outbox too.
import { withoutCredentials } from '../core/credentials.js';
import { shortHash } from '../core/hash.js';
import type { Logger } from '../log.js';
import type { FeedState, OutboxEntry, Stores } from '../store/ports.js';
import { guildsFollowing, newOutboxEntry } from './dispatch.js';
import type { FeedOutcome } from './poll-cycle.js';

export interface NoticeTarget {
  guildId: string;
  channelId: string;
}

/** The admin channel of each server following `source`: the one set, else the first subscribed channel. */
export async function adminTargets(stores: Stores, defaults: string[], source: string): Promise<NoticeTarget[]> {
  const out: NoticeTarget[] = [];
  for (const g of await guildsFollowing(stores, defaults, new Set([source]))) {
    const channelId = g.adminChannelId ?? g.subscriptions[0]?.channelId;
    if (channelId) out.push({ guildId: g.guildId, channelId });
  }
  return out;
}

export interface NoticeDeps {
  stores: Stores;
  logger: Logger;
  threshold: number;
  now: () => Date;
  targets: (source: string) => Promise<NoticeTarget[]>;
}

function noticeEntry(t: NoticeTarget, id: string, text: string, now: Date): OutboxEntry {
  return newOutboxEntry(
    {
      key: `${t.channelId}:notice:${id}`,
      guildId: t.guildId,
      channelId: t.channelId,
      kind: 'notice',
      storyId: null,
      text,
      status: 'pending',
      nonce: `n${shortHash(`${t.channelId}:${id}`, 24)}`,
      wantedVersion: 0,
    },
    now,
  );
}

/** Queues failure and recovery notices for the feeds of one cycle; returns how many were queued. */
export async function queueFeedNotices(deps: NoticeDeps, outcomes: FeedOutcome[]): Promise<number> {
  let queued = 0;
  const now = deps.now();
  for (const o of outcomes) {
    if (o.status === 'not_due') continue;
    const state = await deps.stores.feeds.get(o.source);
    if (!state) continue;
    const failing = o.status === 'error' && state.consecutiveFailures >= deps.threshold && !state.failureNoticeSent;
    const recovered = o.status !== 'error' && state.failureNoticeSent;
    if (!failing && !recovered) continue;
    // One id per run of failures: the time the run started is stable across cycles.
    const run = state.lastSuccess ?? 'never';
    const id = `${shortHash(o.source, 12)}:${shortHash(run, 8)}:${failing ? 'down' : 'up'}`;
    const text = failing
      ? `⚠️ Feed failing: <${withoutCredentials(o.source)}> has failed ${state.consecutiveFailures === 1 ? 'once' : `${state.consecutiveFailures} times in a row`}. Last error: ${withoutCredentials(state.lastError ?? 'unknown').slice(0, 300)}. It keeps being retried with backoff; nothing is dropped.`
      : `✅ Feed recovered: <${withoutCredentials(o.source)}> is working again.`;
    for (const t of await deps.targets(o.source)) {
      if (await deps.stores.outbox.get(`${t.channelId}:notice:${id}`)) continue;
      await deps.stores.outbox.put(noticeEntry(t, id, text, now));
      queued += 1;
    }
    deps.logger[failing ? 'warn' : 'info'](failing ? 'feed failing: admins notified' : 'feed recovered: admins notified', {
      source: o.source,
      failures: state.consecutiveFailures,
    });
    const next: FeedState = { ...state, failureNoticeSent: failing };
    await deps.stores.feeds.put(next);
  }
  return queued;
}
