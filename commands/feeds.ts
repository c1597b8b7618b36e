// /feeds add|remove|list — this server's feed list: the defaults it kept plus the ones it added. Removing a
// default records it in removedFeeds (so a later change of defaults cannot bring it back silently); adding a
// removed default just takes it out of removedFeeds again.
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { UserError, type Command, type CommandContext } from '../src/discord/command.js';
import { infoEmbed, joinLines, LIMITS, neutraliseMentions, truncate } from '../src/discord/render.js';
import { guildFeeds, requireGuildId, respond } from '../src/discord/respond.js';
import { withoutCredentials } from '../src/core/credentials.js';
import { counted } from '../src/core/words.js';

/**
 * The URL as the URL parser writes it, so "HTTPS://Example.com/feed" and "https://example.com/feed" are one
 * feed; a fragment never reaches the server and "feed?" is "feed", so neither makes another feed either.
 */
function normalise(url: string): string {
  const trimmed = url.trim();
  try {
    const parsed = new URL(trimmed);
    parsed.hash = '';
    if (parsed.href.endsWith('?')) parsed.search = '';
    return parsed.href;
  } catch {
    return trimmed;
  }
}

/** A feed URL in a reply: code style, never a mention, never its login. */
function shown(url: string): string {
  return `\`${neutraliseMentions(truncate(withoutCredentials(url).replace(/`/gu, ''), 200))}\``;
}

async function add(interaction: ChatInputCommandInteraction, ctx: CommandContext, guildId: string): Promise<string> {
  const url = normalise(interaction.options.getString('url', true));
  // Checked before anything is stored: the reason (scheme, private address, not a feed) is the UserError's message.
  await ctx.checkFeedUrl(url);
  const settings = await ctx.stores.guilds.get(guildId);
  const asDefault = ctx.defaultFeeds.find((f) => normalise(f) === url);
  if (asDefault !== undefined) {
    if (!settings.removedFeeds.includes(asDefault)) throw new UserError(`This server already follows ${shown(asDefault)} (a default feed).`);
    await ctx.stores.guilds.put({ ...settings, removedFeeds: settings.removedFeeds.filter((f) => f !== asDefault) });
    return `Following ${shown(asDefault)} again (a default feed).`;
  }
  if (settings.addedFeeds.some((f) => normalise(f) === url)) throw new UserError(`This server already follows ${shown(url)}.`);
  await ctx.stores.guilds.put({ ...settings, addedFeeds: [...settings.addedFeeds, url] });
  return `Added ${shown(url)}. Its first poll only records what it holds; stories come from items published after that.`;
}

async function remove(interaction: ChatInputCommandInteraction, ctx: CommandContext, guildId: string): Promise<string> {
  const url = normalise(interaction.options.getString('url', true));
  const settings = await ctx.stores.guilds.get(guildId);
  const added = settings.addedFeeds.find((f) => normalise(f) === url);
  if (added !== undefined) {
    await ctx.stores.guilds.put({ ...settings, addedFeeds: settings.addedFeeds.filter((f) => f !== added) });
    return `Removed ${shown(added)}.`;
  }
  const asDefault = ctx.defaultFeeds.find((f) => normalise(f) === url);
  if (asDefault !== undefined && !settings.removedFeeds.includes(asDefault)) {
    await ctx.stores.guilds.put({ ...settings, removedFeeds: [...settings.removedFeeds, asDefault] });
    return `Removed the default feed ${shown(asDefault)} for this server. \`/feeds add\` brings it back.`;
  }
  throw new UserError(`This server does not follow ${shown(url)}. \`/feeds list\` shows the feeds it follows.`);
}

async function list(ctx: CommandContext, guildId: string): Promise<{ title: string; text: string }> {
  const { settings, feeds, lines: feedLines, failing } = await guildFeeds(ctx, guildId);
  const added = new Set(settings.addedFeeds);
  const lines = feeds.map((f, i) => `${added.has(f) ? '➕ ' : ''}${feedLines[i]}`);
  const head = `${counted(feeds.length, 'feed')} (➕ added by this server), ${failing} failing; ${counted(settings.removedFeeds.length, 'default feed')} removed.`;
  return { title: 'Feeds of this server', text: `${head}\n\n${joinLines(lines, LIMITS.description - head.length - 2, 'more feeds')}` };
}

export default {
  data: new SlashCommandBuilder()
    .setName('feeds')
    .setDescription('Change the feeds this server follows (admins)')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s.setName('add').setDescription('Follow a feed (RSS or Atom)').addStringOption((o) => o.setName('url').setDescription('Feed URL').setRequired(true).setMaxLength(2000)),
    )
    .addSubcommand((s) =>
      s.setName('remove').setDescription('Stop following a feed').addStringOption((o) => o.setName('url').setDescription('Feed URL').setRequired(true).setMaxLength(2000)),
    )
    .addSubcommand((s) => s.setName('list').setDescription('The feeds this server follows and their health')),
  adminOnly: true,
  // add fetches the URL to check it is a feed, which can take longer than Discord's 3 s.
  defer: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const sub = interaction.options.getSubcommand(true);
    if (sub === 'list') {
      const { title, text } = await list(ctx, guildId);
      await respond(interaction, { embeds: [infoEmbed(title, text)], ephemeral: true });
      return;
    }
    const text = sub === 'add' ? await add(interaction, ctx, guildId) : sub === 'remove' ? await remove(interaction, ctx, guildId) : null;
    if (text === null) throw new UserError('Use `/feeds add`, `/feeds remove` or `/feeds list`.');
    await respond(interaction, { embeds: [infoEmbed('Feeds updated', text)], ephemeral: true });
  },
} satisfies Command;
