// /unsubscribe channel — stop posting stories to a channel of this server.
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { UserError, type Command } from '../src/discord/command.js';
import { infoEmbed } from '../src/discord/render.js';
import { requireGuildId, respond } from '../src/discord/respond.js';
import { withdrawChannelPosts } from '../src/pipeline/dispatch.js';
import { counted } from '../src/core/words.js';

export default {
  data: new SlashCommandBuilder()
    .setName('unsubscribe')
    .setDescription('Stop posting stories to a channel (admins)')
    .setContexts(InteractionContextType.Guild)
    // Any channel type: a subscribed channel may have been converted since, and must still be removable.
    .addChannelOption((o) => o.setName('channel').setDescription('The subscribed channel').setRequired(true)),
  adminOnly: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const channel = interaction.options.getChannel('channel', true);
    const settings = await ctx.stores.guilds.get(guildId);
    const kept = settings.subscriptions.filter((s) => s.channelId !== channel.id);
    if (kept.length === settings.subscriptions.length) throw new UserError(`<#${channel.id}> is not subscribed.`);
    await ctx.stores.guilds.put({ ...settings, subscriptions: kept });
    // What was already queued for the channel goes too: "no more stories" means none, not the ones in line.
    const withdrawn = await withdrawChannelPosts(ctx.stores, channel.id, ctx.now());
    const dropped = withdrawn > 0 ? ` ${counted(withdrawn, 'queued post')} withdrawn.` : '';
    await respond(interaction, {
      embeds: [infoEmbed('Unsubscribed', `No more stories will be posted to <#${channel.id}>.${dropped} ${counted(kept.length, 'subscription')} left.`)],
      ephemeral: true,
    });
  },
} satisfies Command;
