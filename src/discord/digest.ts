// Daily digests: at the hour a server chose, in its time zone, one message with the day's top stories
// (including those that overflowed the channel's hourly cap) and the figures that changed, with sources.
// Time is a parameter: tests inject `now` instead of waiting.
import { shortHash } from '../core/hash.js';
import type { SourcedFigure, Story } from '../core/types.js';
import type { Logger } from '../log.js';
import { newOutboxEntry } from '../pipeline/dispatch.js';
import type { Stores, Subscription } from '../store/ports.js';
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
  now: () => Date;
}

/**
 * Queues every digest that is due now; returns how many were queued. A digest carries the stories the
 * enqueuer routed to it (digest-mode channels, and the overflow of instant channels' hourly cap): the same
 * rules as instant posts, so a feed's first poll never reaches a digest either.
 */
export async function queueDueDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  let queued = 0;
  for (const g of await deps.stores.guilds.list()) {
    for (const sub of g.subscriptions) {
      const lastKey = `digest:${sub.channelId}`;
      const date = digestDue(sub, now, await deps.stores.meta.get<string>(lastKey));
      if (!date) continue;
      const waiting = await deps.stores.outbox.awaitingDigest(sub.channelId);
      if (waiting.length === 0) {
        // Today's digest time has come with nothing to send: the day is done, and what arrives later waits
        // for tomorrow's digest instead of going out at once, at whatever hour it came.
        await deps.stores.meta.set(lastKey, date);
        continue;
      }

      const stories = rankStories(
        (await Promise.all(waiting.map((e) => (e.storyId ? deps.stores.stories.get(e.storyId) : undefined)))).filter(
          (s): s is Story => s !== undefined,
        ),
      );
      const figures = stories.flatMap((s) => s.figures).filter((f) => f.date >= since);
      const text = renderDigest(date, stories, figures, now);
      await deps.stores.outbox.put(
        newOutboxEntry(
          {
            key: `${sub.channelId}:digest:${date}`,
            guildId: g.guildId,
            channelId: sub.channelId,
            kind: 'digest',
            storyId: null,
            text,
            status: 'pending',
            nonce: `d${shortHash(`${sub.channelId}:${date}`, 24)}`,
            wantedVersion: 0,
          },
          now,
        ),
      );
      // The waiting stories now travel in the digest: they are done, not dropped.
      for (const e of waiting) await deps.stores.outbox.put({ ...e, status: 'sent', lastError: null, updatedAt: now.toISOString() });
      await deps.stores.meta.set(lastKey, date);
      queued += 1;
      deps.logger.info('digest queued', { guildId: g.guildId, channelId: sub.channelId, date, stories: stories.length });
    }
  }
  return queued;
}
