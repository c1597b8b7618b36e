// /latest [count] — the newest stories this server follows, linked, with their outlets.
import { SlashCommandBuilder } from 'discord.js';
import { effectiveFeeds } from '../src/app.js';
import type { Command } from '../src/discord/command.js';
import { infoEmbed, joinLines, LIMITS, storyLine } from '../src/discord/render.js';
import { requireGuildId, respond } from '../src/discord/respond.js';

// Stories from feeds this server dropped are skipped, so a few more are read than will be shown.
const OVERFETCH = 5;

export default {
  data: new SlashCommandBuilder()
    .setName('latest')
    .setDescription('The newest stories about Cambodia’s scam compounds')
    .addIntegerOption((o) => o.setName('count').setDescription('How many stories (1–10, default 5)').setMinValue(1).setMaxValue(10)),
  defer: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const count = Math.min(10, Math.max(1, interaction.options.getInteger('count') ?? 5));
    const feeds = new Set(effectiveFeeds(await ctx.stores.guilds.get(guildId), ctx.defaultFeeds));
    const recent = await ctx.stores.stories.recent(count * OVERFETCH);
    const stories = recent.filter((s) => s.reports.some((r) => feeds.has(r.feed))).slice(0, count);
    if (stories.length === 0) {
      await respond(interaction, { embeds: [infoEmbed('Latest stories', 'No stories yet from the feeds this server follows.')] });
      return;
    }
    const now = ctx.now();
    const lines = stories.map((s) => storyLine(s, { now }));
    await respond(interaction, {
      embeds: [infoEmbed('Latest stories', `${joinLines(lines, LIMITS.description - 80)}\n\nUse \`/story id\` for the full story.`)],
    });
  },
} satisfies Command;
