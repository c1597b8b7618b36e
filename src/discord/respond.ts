// Answering a slash command the same way from every command: reply or editReply depending on whether the
// router already deferred, mentions never parsed, content and embeds shortened to Discord's limits.
// Also the lookups several commands share (the server an interaction belongs to, a story by id or link, the
// feeds a server follows and how each is doing).
import { MessageFlags, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import { effectiveFeeds } from '../app.js';
import { canonicalLink } from '../core/item.js';
import type { Story } from '../core/types.js';
import { outletFor } from '../feeds/sources.js';
import type { GuildSettings, Stores } from '../store/ports.js';
import { UserError, type CommandContext } from './command.js';
import { feedHealth, feedLine, fitEmbeds, truncateContent, type FeedHealth } from './render.js';

export interface ReplyFile {
  attachment: Buffer;
  name: string;
}

export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  files?: ReplyFile[];
  /** Only honoured by a first reply: a deferred reply keeps the visibility the defer chose. */
  ephemeral?: boolean;
}

type Answerable = Pick<ChatInputCommandInteraction, 'deferred' | 'replied' | 'reply' | 'editReply'>;

export async function respond(interaction: Answerable, payload: ReplyPayload): Promise<void> {
  const body = {
    // Feed text is escaped, but this is the guarantee: nothing a reply says can notify anyone.
    allowedMentions: { parse: [] },
    ...(payload.content !== undefined ? { content: truncateContent(payload.content) } : {}),
    ...(payload.embeds !== undefined ? { embeds: fitEmbeds(payload.embeds) } : {}),
    ...(payload.files !== undefined ? { files: payload.files } : {}),
  };
  if (interaction.deferred || interaction.replied) {
    await interaction.editReply(body);
    return;
  }
  await interaction.reply({ ...body, ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** The server the command was used in; settings are per server, so anything else is refused. */
export function requireGuildId(interaction: Pick<ChatInputCommandInteraction, 'guildId'>): string {
  if (!interaction.guildId) throw new UserError('This command only works inside a server.');
  return interaction.guildId;
}

/** A story by its id, or by the link of one of its reports. */
export async function findStory(stores: Stores, ref: string): Promise<Story | undefined> {
  const trimmed = ref.trim();
  if (!trimmed) return undefined;
  const link = /^https?:\/\//iu.test(trimmed) ? canonicalLink(trimmed) : null;
  if (link) {
    const record = await stores.items.getByLink(link);
    return record?.storyId ? stores.stories.get(record.storyId) : undefined;
  }
  return stores.stories.get(trimmed);
}

export interface GuildFeeds {
  settings: GuildSettings;
  /** The feeds the server follows, in effectiveFeeds order; the arrays below are index-aligned with it. */
  feeds: string[];
  health: FeedHealth[];
  /** feedLine of each feed, as /feeds list, /sources and /why show it. */
  lines: string[];
  failing: number;
  notPolled: number;
}

/** The feeds a server follows with their stored state, health and display line. */
export async function guildFeeds(ctx: Pick<CommandContext, 'stores' | 'defaultFeeds' | 'now'>, guildId: string): Promise<GuildFeeds> {
  const settings = await ctx.stores.guilds.get(guildId);
  const feeds = effectiveFeeds(settings, ctx.defaultFeeds);
  const states = await Promise.all(feeds.map((f) => ctx.stores.feeds.get(f)));
  const now = ctx.now();
  const health = states.map((s) => feedHealth(s));
  const lines = feeds.map((f, i) => feedLine(f, outletFor(f).name, states[i], now));
  return {
    settings,
    feeds,
    health,
    lines,
    failing: health.filter((h) => h === 'failing').length,
    notPolled: health.filter((h) => h === 'not_polled').length,
  };
}
