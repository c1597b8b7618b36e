// /sources [story] — with a story (id or report link): every report and outlet behind it and where each figure
// comes from. Alone: the feeds this server monitors and how each is doing, so a quiet channel can be explained.
import { SlashCommandBuilder, type APIEmbedField, type ChatInputCommandInteraction } from 'discord.js';
import type { Story } from '../src/core/types.js';
import { UserError, type Command, type CommandContext } from '../src/discord/command.js';
import {
  escapeText,
  figureLine,
  infoEmbed,
  joinLines,
  leadReport,
  LIMITS,
  reportLine,
  safeUrl,
  truncate,
} from '../src/discord/render.js';
import { findStory, guildFeeds, requireGuildId, respond } from '../src/discord/respond.js';
import { counted } from '../src/core/words.js';

async function storySources(interaction: ChatInputCommandInteraction, story: Story): Promise<void> {
  const reports = story.reports.map((r) => `• ${reportLine(r, ' — ')}`);
  const figures = story.figures.map((f) => {
    const quote = f.quote.trim() ? `\n\u2003“${escapeText(truncate(f.quote.trim(), 140))}”` : '';
    return `• ${figureLine(f, { withDate: true })}${quote}`;
  });
  const fields: APIEmbedField[] = [{ name: `Reports (${story.reports.length})`, value: joinLines(reports, LIMITS.fieldValue, 'more reports') || 'none' }];
  if (figures.length > 0) fields.push({ name: `Figures and their sources (${figures.length})`, value: joinLines(figures, LIMITS.fieldValue, 'more figures') });
  const embed = infoEmbed(truncate(escapeText(story.title.trim() || 'Untitled story'), LIMITS.title), `Sources behind story \`${story.id}\` — outlets: ${story.outlets.map((o) => escapeText(o)).join(', ') || 'none'}`, fields);
  const url = safeUrl(leadReport(story)?.link);
  await respond(interaction, { embeds: [url ? { ...embed, url } : embed] });
}

async function serverFeeds(interaction: ChatInputCommandInteraction, ctx: CommandContext, guildId: string): Promise<void> {
  const { feeds, lines, failing, notPolled: pending } = await guildFeeds(ctx, guildId);
  const summary = `This server monitors ${counted(feeds.length, 'feed')}: ${failing} failing, ${pending} not polled yet. Admins change the list with \`/feeds\`.`;
  await respond(interaction, { embeds: [infoEmbed('Monitored feeds', `${summary}\n\n${joinLines(lines, LIMITS.description - summary.length - 2, 'more feeds')}`)] });
}

export default {
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('Who reported a story and where its figures come from; alone: the feeds this server monitors')
    .addStringOption((o) => o.setName('story').setDescription('Story id or a report link').setMaxLength(2000)),
  defer: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const ref = interaction.options.getString('story')?.trim();
    if (!ref) {
      await serverFeeds(interaction, ctx, guildId);
      return;
    }
    const story = await findStory(ctx.stores, ref);
    if (!story) throw new UserError('No story with that id or report link. `/latest` and `/search` list story ids.');
    await storySources(interaction, story);
  },
} satisfies Command;
