// Daily digests: at the hour a server chose, in its time zone, one message with the day's top stories
// (including those that overflowed the channel's hourly cap) and the figures that changed, with sources.
// Time is a parameter: tests inject `now` instead of waiting.
import { shortHash } from '../core/hash.js';
import type { SourcedFigure, Story } from '../core/types.js';
import type { Logger } from '../log.js';
import type { OutboxEntry, Stores, Subscription } from '../store/ports.js';
import { effectiveFeeds } from '../app.js';
import { figureLine, storyLine, truncateContent } from './render.js';

const DAY_MS = 86_400_000;
const TOP_STORIES = 8;

/** The local calendar date and hour of `now` in an IANA time zone. */
export function localClock(now: Date, timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** Whether a digest is due: the local hour has been reached today and today's digest has not gone out. */
export function digestDue(sub: Subscription, now: Date, lastSentDate: string | undefined): string | null {
  const { date, hour } = localClock(now, sub.timezone);
  return hour >= sub.digestHour && lastSentDate !== date ? date : null;
}

function rankStories(stories: Story[]): Story[] {
  // More outlets and more figures first: what many reported, with numbers, is what a reader needs.
  return stories.sort((a, b) => b.outlets.length - a.outlets.length || b.figures.length - a.figures.length || b.lastSeen.localeCompare(a.lastSeen));
}

export function renderDigest(date: string, stories: Story[], figures: SourcedFigure[], now: Date): string {
  const lines = [`**Daily digest — ${date}**`];
  if (stories.length === 0) lines.push('No new stories in the last day.');
  for (const s of stories.slice(0, TOP_STORIES)) lines.push(`• ${storyLine(s, { now })}`);
  if (stories.length > TOP_STORIES) lines.push(`…and ${stories.length - TOP_STORIES} more (use /latest).`);
  if (figures.length > 0) {
    lines.push('', '**Figures that changed**');
    for (const f of figures.slice(0, 6)) lines.push(`• ${figureLine(f, { withDate: true })}`);
  }
  return truncateContent(lines.join('\n'));
}

export interface DigestDeps {
  stores: Stores;
  logger: Logger;
  defaultFeeds: string[];
  now: () => Date;
}

/** Queues every digest that is due now; returns how many were queued. */
export async function queueDueDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  let queued = 0;
  for (const g of await deps.stores.guilds.list()) {
    const feeds = new Set(effectiveFeeds(g, deps.defaultFeeds));
    for (const sub of g.subscriptions.filter((s) => s.mode === 'digest' || s.mode === 'instant')) {
      const lastKey = `digest:${sub.channelId}`;
      const overflow = await deps.stores.outbox.awaitingDigest(sub.channelId);
      // Instant channels only get a digest when their hourly cap pushed stories into it.
      if (sub.mode === 'instant' && overflow.length === 0) continue;
      const date = digestDue(sub, now, await deps.stores.meta.get<string>(lastKey));
      if (!date) continue;

      const days = [...new Set([since.slice(0, 10), now.toISOString().slice(0, 10)])];
      const recent = (await deps.stores.stories.byDays(days)).filter(
        (s) => s.lastSeen >= since && s.firstSeen >= sub.since && s.reports.some((r) => feeds.has(r.feed)),
      );
      const overflowStories = (
        await Promise.all(overflow.map((e) => (e.storyId ? deps.stores.stories.get(e.storyId) : undefined)))
      ).filter((s): s is Story => s !== undefined);
      const byId = new Map([...overflowStories, ...(sub.mode === 'digest' ? recent : [])].map((s) => [s.id, s]));
      const stories = rankStories([...byId.values()]);
      const figures = stories.flatMap((s) => s.figures).filter((f) => f.date >= since);
      const text = renderDigest(date, stories, figures, now);
      const entry: OutboxEntry = {
        key: `${sub.channelId}:digest:${date}`,
        guildId: g.guildId,
        channelId: sub.channelId,
        kind: 'digest',
        storyId: null,
        text,
        status: 'pending',
        nonce: `d${shortHash(`${sub.channelId}:${date}`, 24)}`,
        messageId: null,
        sentVersion: 0,
        wantedVersion: 0,
        attempts: 0,
        lastError: null,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await deps.stores.outbox.put(entry);
      // The overflowed stories now travel in the digest: they are done, not dropped.
      for (const e of overflow) await deps.stores.outbox.put({ ...e, status: 'sent', lastError: null, updatedAt: now.toISOString() });
      await deps.stores.meta.set(lastKey, date);
      queued += 1;
      deps.logger.info('digest queued', { guildId: g.guildId, channelId: sub.channelId, date, stories: stories.length });
    }
  }
  return queued;
}
