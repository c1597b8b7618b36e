// /story id — one story in full: summary, key figures with their sources, every report.
import { SlashCommandBuilder } from 'discord.js';
import { UserError, type Command } from '../src/discord/command.js';
import { storyEmbed } from '../src/discord/render.js';
import { findStory, requireGuildId, respond } from '../src/discord/respond.js';

export default {
  data: new SlashCommandBuilder()
    .setName('story')
    .setDescription('One story in full, with its figures and every report behind it')
    .addStringOption((o) => o.setName('id').setDescription('Story id (from /latest or /search) or a report link').setRequired(true).setMaxLength(2000)),
  async execute(interaction, ctx) {
    requireGuildId(interaction);
    const ref = interaction.options.getString('id', true);
    const story = await findStory(ctx.stores, ref);
    if (!story) throw new UserError('No story with that id or link. `/latest` and `/search` list story ids.');
    await respond(interaction, { embeds: [storyEmbed(story)] });
  },
} satisfies Command;
