// /search query — stories whose title, summary or outlets contain every word of the query. Matching is by
// substring on case-folded text, not by word boundaries, because Khmer, Thai and Chinese write without spaces.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { effectiveFeeds } from '../src/app.js';
import type { Story } from '../src/core/types.js';
import { UserError, type Command } from '../src/discord/command.js';
import { escapeText, infoEmbed, joinLines, LIMITS, storyLine, truncate } from '../src/discord/render.js';
import { requireGuildId, respond } from '../src/discord/respond.js';
import { counted } from '../src/core/words.js';

/** Days of stories scanned: the index is per day, and a search must stay a bounded read. */
const MAX_DAYS = 60;
const DAYS_PER_READ = 10;
const MAX_SHOWN = 10;

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const NO_WORDS = 'Search for at least one word (letters or digits).';

/** Query words: runs of letters, marks and digits in any script (marks keep Khmer and Thai vowels attached). */
function queryWords(query: string): string[] {
  return [...new Set(fold(query).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [])];
}

function storyMatches(story: Story, words: readonly string[]): boolean {
  const haystack = fold(`${story.title}\n${story.summary}\n${story.outlets.join('\n')}`);
  return words.every((w) => haystack.includes(w));
}

async function run(interaction: ChatInputCommandInteraction, ctx: Parameters<Command['execute']>[1]): Promise<void> {
  const guildId = requireGuildId(interaction);
  const query = interaction.options.getString('query', true);
  const words = queryWords(query);
  if (words.length === 0) throw new UserError(NO_WORDS);
  const feeds = new Set(effectiveFeeds(await ctx.stores.guilds.get(guildId), ctx.defaultFeeds));
  const days = (await ctx.stores.stories.days()).slice(-MAX_DAYS);
  const found = new Map<string, Story>();
  for (let end = days.length; end > 0; end -= DAYS_PER_READ) {
    const batch = await ctx.stores.stories.byDays(days.slice(Math.max(0, end - DAYS_PER_READ), end));
    for (const s of batch) {
      if (s.reports.some((r) => feeds.has(r.feed)) && storyMatches(s, words)) found.set(s.id, s);
    }
  }
  const results = [...found.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  const shownQuery = escapeText(truncate(query.trim(), 100));
  if (results.length === 0) {
    await respond(interaction, { embeds: [infoEmbed('Search', `No stories in the last ${counted(days.length, 'day')} of stories match “${shownQuery}”.`)] });
    return;
  }
  const now = ctx.now();
  const lines = results.slice(0, MAX_SHOWN).map((s) => storyLine(s, { now }));
  const head = `${results.length} stor${results.length === 1 ? 'y matches' : 'ies match'} “${shownQuery}”, newest first:`;
  await respond(interaction, { embeds: [infoEmbed('Search', `${head}\n\n${joinLines(lines, LIMITS.description - head.length - 2)}`)] });
}

export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Find stories by words in their title, summary or outlets')
    .addStringOption((o) => o.setName('query').setDescription('Words that must all appear').setRequired(true).setMinLength(1).setMaxLength(200)),
  defer: true,
  check(interaction) {
    if (queryWords(interaction.options.getString('query', true)).length === 0) throw new UserError(NO_WORDS);
  },
  execute: run,
} satisfies Command;
