// /subscribe channel [mode] [hour] [timezone] [admin-channel] — post stories to a channel, at once or as a daily
// digest. Re-subscribing a channel updates its mode, hour and timezone but keeps its original `since`, so
// stories that became eligible for that channel stay eligible.
import { ChannelType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { UserError, type Command } from '../src/discord/command.js';
import { infoEmbed } from '../src/discord/render.js';
import { requireGuildId, respond } from '../src/discord/respond.js';
import type { Subscription, SubscriptionMode } from '../src/store/ports.js';

const POSTABLE = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** The canonical IANA name when the runtime knows the zone; a UserError otherwise. */
function validTimezone(input: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: input }).resolvedOptions().timeZone;
  } catch {
    throw new UserError('Unknown timezone: use an IANA name such as `Asia/Phnom_Penh` or `UTC`.');
  }
}

export default {
  data: new SlashCommandBuilder()
    .setName('subscribe')
    .setDescription('Post new stories to a channel (admins)')
    .setContexts(InteractionContextType.Guild)
    .addChannelOption((o) => o.setName('channel').setDescription('Where stories are posted').setRequired(true).addChannelTypes(...POSTABLE))
    .addStringOption((o) =>
      o.setName('mode').setDescription('Post each story at once (default) or one daily digest').addChoices(
        { name: 'instant', value: 'instant' },
        { name: 'digest', value: 'digest' },
      ),
    )
    .addIntegerOption((o) => o.setName('hour').setDescription('Digest hour, 0–23 (default 8)').setMinValue(0).setMaxValue(23))
    .addStringOption((o) => o.setName('timezone').setDescription('IANA timezone of the digest hour (default UTC)').setMaxLength(64))
    .addChannelOption((o) => o.setName('admin-channel').setDescription('Where feed-failure notices go').addChannelTypes(...POSTABLE)),
  adminOnly: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const channel = interaction.options.getChannel('channel', true, [...POSTABLE]);
    const adminChannel = interaction.options.getChannel('admin-channel', false, [...POSTABLE]);
    const modeOption = interaction.options.getString('mode') ?? 'instant';
    if (modeOption !== 'instant' && modeOption !== 'digest') throw new UserError('Mode is `instant` or `digest`.');
    const mode: SubscriptionMode = modeOption;
    const hour = interaction.options.getInteger('hour') ?? 8;
    if (hour < 0 || hour > 23) throw new UserError('The hour is 0–23.');
    const timezone = validTimezone(interaction.options.getString('timezone')?.trim() || 'UTC');

    const settings = await ctx.stores.guilds.get(guildId);
    const existing = settings.subscriptions.find((s) => s.channelId === channel.id);
    const subscription: Subscription = {
      channelId: channel.id,
      mode,
      digestHour: hour,
      timezone,
      since: existing?.since ?? ctx.now().toISOString(),
    };
    await ctx.stores.guilds.put({
      ...settings,
      subscriptions: [...settings.subscriptions.filter((s) => s.channelId !== channel.id), subscription],
      adminChannelId: adminChannel ? adminChannel.id : settings.adminChannelId,
    });

    const how = mode === 'instant' ? 'each new story as it is found' : `a daily digest at ${String(hour).padStart(2, '0')}:00 ${timezone}`;
    const lines = [
      `${existing ? 'Updated' : 'Subscribed'} <#${channel.id}>: ${how}.`,
      existing ? 'Stories already eligible for this channel stay eligible.' : 'Only stories first seen from now on are posted there.',
    ];
    if (adminChannel) lines.push(`Feed-failure notices go to <#${adminChannel.id}>.`);
    lines.push('The bot needs to view the channel, send messages and embed links there; `/status` shows if posting fails.');
    await respond(interaction, { embeds: [infoEmbed('Subscription saved', lines.join('\n'))], ephemeral: true });
  },
} satisfies Command;
