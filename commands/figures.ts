// /figures [metric] [history] — "what is the latest number for X, and who says so": the newest value per metric
// with its source, other outlets' values where they disagree, and on request the series with a PNG chart.
// history:true needs a metric: one chart per answer keeps the reply readable and the upload small, so asking
// for history without a metric is a UserError that says which metrics exist.
import { SlashCommandBuilder, type APIEmbedField, type ChatInputCommandInteraction } from 'discord.js';
import { isMetric, METRIC_LABELS, metricView, type MetricView } from '../src/core/registry.js';
import type { Metric } from '../src/core/types.js';
import { counted } from '../src/core/words.js';
import { renderHistoryChart } from '../src/discord/chart.js';
import { UserError, type Command, type CommandContext } from '../src/discord/command.js';
import { figureLine, infoEmbed, joinLines, LIMITS, outletCredit } from '../src/discord/render.js';
import { requireGuildId, respond } from '../src/discord/respond.js';

const METRIC_ORDER = Object.keys(METRIC_LABELS) as Metric[];
const HISTORY_LINES = 15;

function sortMetrics(metrics: readonly Metric[]): Metric[] {
  return [...new Set(metrics)].filter(isMetric).sort((a, b) => METRIC_ORDER.indexOf(a) - METRIC_ORDER.indexOf(b));
}

/** The newest value, then who disagrees, then who agrees (by name only: the value is the same). */
function viewText(view: MetricView, max: number): string {
  const lines = [`**${figureLine(view.newest, { withDate: true })}**`];
  if (view.disagreements.length > 0) {
    lines.push('Other outlets say:', ...view.disagreements.map((f) => `• ${figureLine(f, { withDate: true })}`));
  }
  if (view.agreeing.length > 0) {
    lines.push(`Also reported by: ${view.agreeing.map((f) => outletCredit(f.outlet, f.outletKind, f.link)).join('; ')}`);
  }
  return joinLines(lines, max);
}

/** An unknown metric, or a chart asked for without one: said to the user alone, before any "thinking…". */
async function checkInput(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const asked = interaction.options.getString('metric')?.trim() || null;
  const history = interaction.options.getBoolean('history') ?? false;
  if (asked !== null ? isMetric(asked) : !history) return;
  // The stored metrics are read only for the message: a known metric asked for does not need them.
  const available = sortMetrics(await ctx.stores.figures.metrics()).map((m) => `\`${m}\``).join(', ') || 'none yet';
  if (asked !== null) throw new UserError(`Unknown metric. Pick one from the list; with figures: ${available}.`);
  throw new UserError(`history:true charts one metric: add metric (with figures: ${available}).`);
}

export default {
  data: new SlashCommandBuilder()
    .setName('figures')
    .setDescription('Latest figures (people held, released, compounds, revenue …) and who reported them')
    .addStringOption((o) => o.setName('metric').setDescription('What is counted').setAutocomplete(true).setMaxLength(64))
    .addBooleanOption((o) => o.setName('history').setDescription('Show every value over time, with a chart (needs a metric)')),
  defer: true,
  check: checkInput,
  async execute(interaction, ctx) {
    requireGuildId(interaction);
    const asked = interaction.options.getString('metric')?.trim() || null;
    const history = interaction.options.getBoolean('history') ?? false;
    const known = async () => sortMetrics(await ctx.stores.figures.metrics());

    if (asked === null) {
      const metrics = await known();
      // Read together; Promise.all keeps the metrics' order, so the fields come out in METRIC_ORDER.
      const views = await Promise.all(metrics.map(async (metric) => ({ metric, view: metricView(await ctx.stores.figures.history(metric)) })));
      const fields: APIEmbedField[] = [];
      for (const { metric, view } of views) {
        if (view) fields.push({ name: METRIC_LABELS[metric], value: viewText(view, LIMITS.fieldValue) });
      }
      const description = fields.length
        ? 'Newest figure per metric with its source; other outlets’ values are listed where they differ, never averaged.'
        : 'No figures recorded yet.';
      // At most one field per metric, fewer than Discord's 25, and respond() enforces the limit regardless.
      await respond(interaction, { embeds: [infoEmbed('Figures', description, fields)] });
      return;
    }

    // checkInput has run first (the router calls it before deferring), so this only narrows the type.
    if (!isMetric(asked)) throw new UserError('Unknown metric.');
    const metric: Metric = asked;
    const view = metricView(await ctx.stores.figures.history(metric));
    if (!view) throw new UserError(`No figures recorded yet for ${METRIC_LABELS[metric].toLowerCase()}.`);
    const fields: APIEmbedField[] = [];
    if (history) {
      const recent = view.history.slice(-HISTORY_LINES).reverse();
      fields.push({ name: `History (${counted(view.history.length, 'value')}, newest first)`, value: joinLines(recent.map((f) => `• ${figureLine(f, { withDate: true })}`), LIMITS.fieldValue) });
    }
    const embed = infoEmbed(METRIC_LABELS[metric], viewText(view, LIMITS.description), fields);
    if (!history) {
      await respond(interaction, { embeds: [embed] });
      return;
    }
    const name = `figures-${metric}.png`;
    const chart = renderHistoryChart(
      view.history.map((f) => ({ date: f.date, value: f.value })),
      // The chart font is ASCII only; the label is ours, never feed text, so nothing needs escaping there.
      { title: METRIC_LABELS[metric] },
    );
    await respond(interaction, { embeds: [{ ...embed, image: { url: `attachment://${name}` } }], files: [{ attachment: chart, name }] });
  },
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().normalize('NFKC').toLowerCase();
    const metrics = sortMetrics(await ctx.stores.figures.metrics());
    const choices = metrics
      .filter((m) => !typed || m.includes(typed) || METRIC_LABELS[m].toLowerCase().includes(typed))
      .slice(0, 25)
      .map((m) => ({ name: METRIC_LABELS[m], value: m }));
    await interaction.respond(choices);
  },
} satisfies Command;
