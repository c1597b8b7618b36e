// /why url — was this article kept, and why (not)? For an article we never saw, the likely reasons: none of
// this server's feeds is on that site, or the feed that would carry it is failing or not polled yet.
import { SlashCommandBuilder, type APIEmbedField } from 'discord.js';
import { canonicalLink } from '../src/core/item.js';
import { UserError, type Command } from '../src/discord/command.js';
import { siteHost } from '../src/feeds/sources.js';
import type { ItemRecord } from '../src/store/ports.js';
import {
  escapeText,
  infoEmbed,
  joinLines,
  kindLabel,
  LIMITS,
  maskedLink,
  neutraliseMentions,
  truncate,
} from '../src/discord/render.js';
import { guildFeeds, requireGuildId, respond } from '../src/discord/respond.js';

function sameSite(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

function keptFields(record: ItemRecord, storyTitle: string | null): APIEmbedField[] {
  const { item, relevance } = record;
  const reasons = relevance.reasons.map((r) => `• ${escapeText(truncate(r, 200))}`);
  const fields: APIEmbedField[] = [
    { name: 'Verdict', value: `${relevance.relevant ? '**Kept** as relevant' : '**Not kept**: judged not relevant'} (score ${relevance.score.toFixed(2)})` },
    { name: 'Reasons', value: joinLines(reasons, LIMITS.fieldValue, 'more reasons') || 'no reasons recorded' },
    {
      name: 'Seen in',
      value: `**${escapeText(truncate(item.outlet, 80))}**${item.outletKind === 'unknown' ? '' : ` (${kindLabel(item.outletKind)})`} — ${maskedLink(escapeText(truncate(item.title || 'untitled', 150)), item.link)}`,
    },
  ];
  if (record.storyId) {
    const title = storyTitle === null ? 'story no longer stored' : escapeText(truncate(storyTitle, 200));
    fields.push({ name: 'Story', value: `${title} · \`${record.storyId}\` (see \`/story\`)` });
  }
  return fields;
}

const NOT_A_LINK = 'That is not an http(s) link.';

export default {
  data: new SlashCommandBuilder()
    .setName('why')
    .setDescription('Was this article kept? Its relevance score and reasons, or why it was not seen')
    .addStringOption((o) => o.setName('url').setDescription('The article link').setRequired(true).setMaxLength(2000)),
  defer: true,
  check(interaction) {
    if (!canonicalLink(interaction.options.getString('url', true))) throw new UserError(NOT_A_LINK);
  },
  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const raw = interaction.options.getString('url', true);
    const link = canonicalLink(raw);
    if (!link) throw new UserError(NOT_A_LINK);
    const record = await ctx.stores.items.getByLink(link);
    if (record) {
      const story = record.storyId ? await ctx.stores.stories.get(record.storyId) : undefined;
      const embed = infoEmbed('Why this article', `\`${neutraliseMentions(truncate(link.replace(/`/gu, ''), 300))}\``, keptFields(record, story?.title ?? null));
      await respond(interaction, { embeds: [embed] });
      return;
    }

    const host = siteHost(link);
    const { feeds, health, lines } = await guildFeeds(ctx, guildId);
    const onHost = lines.filter((_, i) => {
      const feedHost = siteHost(feeds[i] ?? '');
      return Boolean(host && feedHost && sameSite(host, feedHost));
    });
    // Failing feeds first: they are the likelier reason an article was missed than ones not polled yet.
    const troubled = [...lines.filter((_, i) => health[i] === 'failing'), ...lines.filter((_, i) => health[i] === 'not_polled')];
    const fields: APIEmbedField[] = [
      {
        name: `This server's feeds on ${escapeText(host ?? 'that site')}`,
        value: onHost.length
          ? joinLines(onHost, LIMITS.fieldValue)
          : 'None. Articles reach the bot only through feeds (search feeds such as Google News carry other sites); an admin can add one with `/feeds add`.',
      },
    ];
    if (troubled.length > 0) {
      fields.push({ name: `Feeds failing or not polled yet (${troubled.length} of ${feeds.length})`, value: joinLines(troubled, LIMITS.fieldValue, 'more feeds') });
    } else {
      fields.push({ name: 'Feed health', value: feeds.length === 1 ? 'The one feed of this server was polled successfully.' : `All ${feeds.length} feeds of this server were polled successfully.` });
    }
    await respond(interaction, { embeds: [infoEmbed('Not seen yet', `The bot has not seen this article in any feed.`, fields)] });
  },
} satisfies Command;
