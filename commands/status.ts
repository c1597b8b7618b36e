// /status — is the bot alive and is this server's setup working: process facts, then this server's feeds and
// subscriptions, so an admin can tell "nothing happened" from "something is broken".
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { channelFailureKey, type ChannelPostFailure } from '../src/discord/publisher.js';
import { escapeText, infoEmbed, relativeAge, truncate } from '../src/discord/render.js';
import { guildFeeds, requireGuildId, respond } from '../src/discord/respond.js';

export default {
  data: new SlashCommandBuilder()
    .setName('status')
    .setDescription('Bot health and this server’s feeds and subscriptions (admins)')
    .setContexts(InteractionContextType.Guild),
  adminOnly: true,
  defer: true,
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const now = ctx.now();
    const [status, { settings, feeds, failing, notPolled }] = await Promise.all([ctx.status(), guildFeeds(ctx, guildId)]);

    const cycle = status.lastCycle
      ? `${relativeAge(status.lastCycle, now)}${status.lastCycleMs === null ? '' : ` (took ${(status.lastCycleMs / 1000).toFixed(1)} s)`}`
      : 'none yet';
    const bot = [
      `Backend: ${escapeText(status.backend)} · shard ${escapeText(status.shard)}`,
      `Running since ${relativeAge(status.startedAt, now)}`,
      `Last poll cycle: ${cycle}`,
      `Posts waiting: ${status.pendingPosts}`,
    ];
    const failures = await Promise.all(settings.subscriptions.map((s) => ctx.stores.meta.get<ChannelPostFailure>(channelFailureKey(s.channelId))));
    const subs = settings.subscriptions.map((s, i) => {
      const line = `<#${s.channelId}> — ${s.mode === 'instant' ? 'instant' : `digest at ${String(s.digestHour).padStart(2, '0')}:00 ${escapeText(s.timezone)}`}`;
      const failure = failures[i];
      return failure
        ? `${line}\n  ⚠️ posting failed ${relativeAge(failure.at, now)}: ${escapeText(truncate(failure.error, 120))}. Check that the bot can view the channel, send messages and embed links there.`
        : line;
    });
    const server = [
      `Feeds: ${feeds.length} (${failing} failing, ${notPolled} not polled yet) — details in \`/feeds list\``,
      `Feed-failure notices: ${settings.adminChannelId ? `<#${settings.adminChannelId}>` : 'not set (see `/subscribe admin-channel`)'}`,
    ];
    await respond(interaction, {
      embeds: [
        infoEmbed('Status', bot.join('\n'), [
          { name: 'This server', value: server.join('\n') },
          { name: `Subscriptions (${subs.length})`, value: subs.length ? subs.join('\n') : 'none — use `/subscribe`' },
        ]),
      ],
      ephemeral: true,
    });
  },
} satisfies Command;
