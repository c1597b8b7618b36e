// Drains the outbox: sends what is pending, edits messages of stories that grew, records the result.
// A post is marked sent only after Discord answered; the nonce (with enforce_nonce) makes a resend
// after a crash return the first message instead of creating a second one.
import type { APIEmbed } from 'discord.js';
import type { Logger } from '../log.js';
import type { OutboxEntry, Stores } from '../store/ports.js';
import { storyEmbed, truncateContent } from './render.js';

export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
}

/** Where posts go: Discord's REST API, or stdout in preview mode. */
export interface PostSink {
  send(channelId: string, message: OutgoingMessage, nonce: string): Promise<string>;
  edit(channelId: string, messageId: string, message: OutgoingMessage): Promise<void>;
}

/** Errors after which retrying cannot help (channel or message gone, access removed). */
export function isPermanentDiscordError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  const status = (err as { status?: unknown }).status;
  return [10003, 10008, 50001, 50013, 50035].includes(Number(code)) || status === 403 || status === 404;
}

/** The last post to a channel that failed for good, kept for /status. */
export interface ChannelPostFailure {
  at: string;
  error: string;
}

export const channelFailureKey = (channelId: string): string => `postfail:${channelId}`;

export interface DrainResult {
  sent: number;
  edited: number;
  failed: number;
}

export class Publisher {
  private running: Promise<DrainResult> | null = null;
  constructor(
    private readonly stores: Stores,
    private readonly sink: PostSink,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Drains the outbox once; concurrent calls share one drain (never two sends of one entry). */
  drain(): Promise<DrainResult> {
    if (!this.running) {
      this.running = this.drainOnce().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, edited: 0, failed: 0 };
    for (const entry of await this.stores.outbox.pending()) {
      try {
        const message = await this.messageFor(entry);
        if (!message) {
          await this.finish(entry, { status: 'failed', lastError: 'story no longer in the store' });
          continue;
        }
        if (entry.messageId === null) {
          const messageId = await this.sink.send(entry.channelId, message, entry.nonce);
          await this.finish(entry, { status: 'sent', messageId, sentVersion: entry.wantedVersion, lastError: null });
          result.sent += 1;
          // Posting works there (again): an earlier failure no longer describes the channel.
          await this.stores.meta.delete(channelFailureKey(entry.channelId)).catch(() => undefined);
        } else {
          await this.sink.edit(entry.channelId, entry.messageId, message);
          await this.finish(entry, { status: 'sent', sentVersion: entry.wantedVersion, lastError: null });
          result.edited += 1;
        }
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const permanent = isPermanentDiscordError(err);
        result.failed += 1;
        this.logger.warn(permanent ? 'post failed permanently' : 'post failed, will retry', {
          channelId: entry.channelId,
          storyId: entry.storyId,
          key: entry.key,
          error: reason,
        });
        await this.finish(entry, {
          status: permanent ? 'failed' : 'pending',
          attempts: entry.attempts + 1,
          lastError: reason,
        }).catch((e: unknown) => this.logger.error('could not record post failure', { key: entry.key, err: e }));
        // A channel the bot may not post in (permissions, a deleted channel) fails every post the same way:
        // /status shows it next to the subscription, so an admin is not left guessing why nothing appears.
        if (permanent) {
          const failure: ChannelPostFailure = { at: this.now().toISOString(), error: reason };
          await this.stores.meta.set(channelFailureKey(entry.channelId), failure).catch(() => undefined);
        }
      }
    }
    return result;
  }

  private async messageFor(entry: OutboxEntry): Promise<OutgoingMessage | null> {
    if (entry.kind !== 'story') return { content: truncateContent(entry.text ?? '') };
    const story = entry.storyId ? await this.stores.stories.get(entry.storyId) : undefined;
    if (!story) return null;
    return { embeds: [storyEmbed(story)] };
  }

  private async finish(entry: OutboxEntry, patch: Partial<OutboxEntry>): Promise<void> {
    // Re-read: the story may have grown (wantedVersion raised) while the send was in flight.
    const current = (await this.stores.outbox.get(entry.key)) ?? entry;
    const next: OutboxEntry = { ...current, ...patch, updatedAt: this.now().toISOString() };
    if (next.status === 'sent' && current.wantedVersion > (next.sentVersion ?? 0)) next.status = 'pending';
    await this.stores.outbox.put(next);
  }
}
