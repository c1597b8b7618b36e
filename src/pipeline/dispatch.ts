// Turning story changes into outbox entries: which channels get a story, and when a posted message
// needs an edit. Recording the intent first (pending) is what lets a crash lose nothing.
import { randomUUID } from 'node:crypto';
import type { Story } from '../core/types.js';
import type { GuildSettings, OutboxEntry, Stores, SubscriptionMode } from '../store/ports.js';
import { effectiveFeeds } from '../app.js';

export interface Target {
  guildId: string;
  channelId: string;
  mode: SubscriptionMode;
  /** Stories first seen before this are never posted to the channel. */
  since: string;
}

export type TargetResolver = (story: Story) => Promise<Target[]>;

/** The servers (read afresh on every call) whose effective feeds include one of `feeds`. */
export async function guildsFollowing(stores: Stores, defaults: string[], feeds: ReadonlySet<string>): Promise<GuildSettings[]> {
  return (await stores.guilds.list()).filter((g) => effectiveFeeds(g, defaults).some((f) => feeds.has(f)));
}

/** Channels subscribed in servers whose feeds include one of the story's reports. */
export function guildTargets(stores: Stores, defaults: string[]): TargetResolver {
  return async (story) => {
    const out: Target[] = [];
    for (const g of await guildsFollowing(stores, defaults, new Set(story.reports.map((r) => r.feed)))) {
      for (const s of g.subscriptions) out.push({ guildId: g.guildId, channelId: s.channelId, mode: s.mode, since: s.since });
    }
    return out;
  };
}

/** Preview mode: one pretend channel that has always been subscribed. */
export const previewTargets: TargetResolver = async () => [
  { guildId: 'preview', channelId: 'preview', mode: 'instant', since: '1970-01-01T00:00:00.000Z' },
];

/**
 * Withdraws what is queued for a channel that was unsubscribed: stories and digests not sent yet, edits of
 * posts already sent, and stories waiting for its digest. They are marked failed with the reason, never sent.
 * Notices (feed health for admins) are left alone. Returns how many were withdrawn.
 */
export async function withdrawChannelPosts(stores: Stores, channelId: string, now: Date): Promise<number> {
  const queued = [...(await stores.outbox.pending()), ...(await stores.outbox.awaitingDigest(channelId))].filter(
    (e) => e.channelId === channelId && e.kind !== 'notice',
  );
  for (const e of queued) {
    await stores.outbox.put({ ...e, status: 'failed', lastError: 'not sent: the channel was unsubscribed', updatedAt: now.toISOString() });
  }
  return queued.length;
}

/** A fresh outbox entry with the bookkeeping fields at their start values. */
export function newOutboxEntry(
  fields: Pick<OutboxEntry, 'key' | 'guildId' | 'channelId' | 'kind' | 'storyId' | 'text' | 'status' | 'nonce' | 'wantedVersion'>,
  now: Date,
): OutboxEntry {
  return { ...fields, messageId: null, sentVersion: 0, attempts: 0, lastError: null, createdAt: now.toISOString(), updatedAt: now.toISOString() };
}

export interface EnqueueOptions {
  now: () => Date;
  /** Posts per channel per hour; the overflow waits for the channel's next digest. */
  maxPostsPerHour: number;
}

export function createEnqueuer(stores: Stores, targets: TargetResolver, options: EnqueueOptions) {
  const hourKey = (channelId: string, at: Date) => `rate:${channelId}:${at.toISOString().slice(0, 13)}`;

  return async function enqueue(story: Story, postable: boolean): Promise<void> {
    const now = options.now();
    for (const t of await targets(story)) {
      const key = `${t.channelId}:${story.id}`;
      const existing = await stores.outbox.get(key);
      if (existing) {
        // A posted message is edited when the story grows; digest entries just carry the newer version.
        if (existing.wantedVersion >= story.version) continue;
        const needsEdit = existing.status === 'sent' && existing.messageId !== null;
        await stores.outbox.put({
          ...existing,
          wantedVersion: story.version,
          status: needsEdit || existing.status === 'pending' ? 'pending' : existing.status,
          updatedAt: now.toISOString(),
        });
        continue;
      }
      if (!postable || story.firstSeen < t.since) continue;
      let status: OutboxEntry['status'] = t.mode === 'digest' ? 'digest' : 'pending';
      if (status === 'pending') {
        const count = (await stores.meta.get<number>(hourKey(t.channelId, now))) ?? 0;
        if (count >= options.maxPostsPerHour) status = 'digest';
        else await stores.meta.set(hourKey(t.channelId, now), count + 1, 2 * 60 * 60 * 1000);
      }
      await stores.outbox.put(
        newOutboxEntry(
          {
            key,
            guildId: t.guildId,
            channelId: t.channelId,
            kind: 'story',
            storyId: story.id,
            text: null,
            status,
            nonce: randomUUID().replace(/-/gu, '').slice(0, 25),
            wantedVersion: story.version,
          },
          now,
        ),
      );
    }
  };
}
