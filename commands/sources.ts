// /sources [story] — with a story (id or report link): every report and outlet behind it and where each figure
// comes from. Alone: the feeds this server monitors and how each is doing, so a quiet channel can be explained.
import { SlashCommandBuilder, type APIEmbedField, type ChatInputCommandInteraction } from 'discord.js';
import { effectiveFeeds } from '../src/app.js';
import type { Story } from '../src/core/types.js';
import { UserError, type Command, type CommandContext } from '../src/discord/command.js';
import { outletFor } from '../src/feeds/sources.js';
import {
  escapeText,
  feedHealth,
  feedLine,
  figureLine,
  formatDay,
  infoEmbed,
  joinLines,
  kindLabel,
  LIMITS,
  maskedLink,
  safeUrl,
  truncate,
} from '../src/discord/render.js';
import { findStory, requireGuildId, respond } from '../src/discord/respond.js';

async function storySources(interaction: ChatInputCommandInteraction, story: Story): Promise<void> {
  const reports = story.reports.map((r) => {
    const kind = r.outletKind === 'unknown' ? '' : ` (${kindLabel(r.outletKind)})`;
    const title = maskedLink(escapeText(truncate(r.title.trim() || 'report', 120)), r.link);
    return `• **${escapeText(truncate(r.outlet, 80))}**${kind} — ${title} · ${formatDay(r.published ?? r.seenAt)}`;
  });
  const figures = story.figures.map((f) => {
    const quote = f.quote.trim() ? `\n\u2003“${escapeText(truncate(f.quote.trim(), 140))}”` : '';
    return `• ${figureLine(f, { withDate: true })}${quote}`;
  });
  const fields: APIEmbedField[] = [{ name: `Reports (${story.reports.length})`, value: joinLines(reports, LIMITS.fieldValue, 'more reports') || 'none' }];
  if (figures.length > 0) fields.push({ name: `Figures and their sources (${figures.length})`, value: joinLines(figures, LIMITS.fieldValue, 'more figures') });
  const embed = infoEmbed(truncate(escapeText(story.title.trim() || 'Untitled story'), LIMITS.title), `Sources behind story \`${story.id}\` — outlets: ${story.outlets.map((o) => escapeText(o)).join(', ') || 'none'}`, fields);
  const url = safeUrl(story.reports.find((r) => safeUrl(r.link))?.link);
  await respond(interaction, { embeds: [url ? { ...embed, url } : embed] });
}

async function serverFeeds(interaction: ChatInputCommandInteraction, ctx: CommandContext, guildId: string): Promise<void> {
  const feeds = effectiveFeeds(await ctx.stores.guilds.get(guildId), ctx.defaultFeeds);
  const now = ctx.now();
  const states = await Promise.all(feeds.map((f) => ctx.stores.feeds.get(f)));
  const lines = feeds.map((f, i) => feedLine(f, outletFor(f).name, states[i], now));
  const failing = states.filter((s) => feedHealth(s) === 'failing').length;
  const pending = states.filter((s) => feedHealth(s) === 'not_polled').length;
  const summary = `This server monitors ${feeds.length} feed(s): ${failing} failing, ${pending} not polled yet. Admins change the list with \`/feeds\`.`;
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
