// Answering a slash command the same way from every command: reply or editReply depending on whether the
// router already deferred, mentions never parsed, content and embeds shortened to Discord's limits.
// Also the two lookups several commands share (the server an interaction belongs to, a story by id or link).
import { MessageFlags, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import { canonicalLink } from '../core/item.js';
import type { Story } from '../core/types.js';
import type { Stores } from '../store/ports.js';
import { UserError } from './command.js';
import { fitEmbeds, truncateContent } from './render.js';

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
