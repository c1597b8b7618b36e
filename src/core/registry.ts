// A read-only view over one metric's figure history, for /figures and the story embeds. Pure: no I/O.
// Advocates ask "what is the latest number for X, and who says so", so the view keeps every value with its
// source and never blends outlets into an average: a disagreement is shown as the outlets' own numbers.
import type { Figure, Metric, Qualifier, SourcedFigure } from './types.js';

export interface MetricView {
  /** The most recent figure (by report date; on a tie, the later one in the history). */
  newest: SourcedFigure;
  /** Other outlets' latest values within the period whose value differs from the newest, newest first. */
  disagreements: SourcedFigure[];
  /** Other outlets' latest values within the period that state the same value, newest first. */
  agreeing: SourcedFigure[];
  /** The whole history, oldest first. */
  history: SourcedFigure[];
}

export interface MetricViewOptions {
  /** How far back (days before the newest figure) another outlet's value still counts as current. Default 30. */
  periodDays?: number;
}

const DAY_MS = 86_400_000;

/** Human names of the metrics, for headings and autocomplete. */
export const METRIC_LABELS: Record<Metric, string> = {
  people_held: 'People held in compounds',
  people_released: 'People released or escaped',
  people_rescued: 'People rescued',
  people_repatriated: 'People repatriated or deported',
  nationals_registered: 'Nationals registered with embassies',
  people_arrested: 'People arrested',
  compounds: 'Scam compounds',
  scam_revenue: 'Scam revenue',
  assets_seized: 'Assets seized',
  sanctioned: 'People and companies sanctioned',
  cases: 'Cases and investigations',
};

export function isMetric(value: string): value is Metric {
  return Object.hasOwn(METRIC_LABELS, value);
}

function timeOf(f: SourcedFigure): number {
  const t = Date.parse(f.date);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

export function metricView(history: readonly SourcedFigure[], opts: MetricViewOptions = {}): MetricView | null {
  if (history.length === 0) return null;
  const periodMs = Math.max(0, opts.periodDays ?? 30) * DAY_MS;
  // The store keeps history sorted, but a view must not depend on that: sort stably by date here.
  const sorted = history
    .map((f, i) => ({ f, i }))
    .sort((a, b) => timeOf(a.f) - timeOf(b.f) || a.i - b.i)
    .map((x) => x.f);
  const newest = sorted[sorted.length - 1];
  if (!newest) return null;
  const newestTime = timeOf(newest);

  // One value per other outlet: its latest within the period. An outlet's older figure was superseded by
  // its own newer one, so listing both would show a disagreement the outlet itself no longer holds.
  const latestByOutlet = new Map<string, SourcedFigure>();
  for (const f of sorted) {
    if (f === newest || f.outlet === newest.outlet) continue;
    const t = timeOf(f);
    if (!Number.isFinite(t) || !Number.isFinite(newestTime) || newestTime - t > periodMs) continue;
    latestByOutlet.set(f.outlet, f);
  }
  const others = [...latestByOutlet.values()].reverse();
  const sameValue = (f: SourcedFigure): boolean => f.value === newest.value && f.unit === newest.unit;
  return {
    newest,
    disagreements: others.filter((f) => !sameValue(f)),
    agreeing: others.filter(sameValue),
    history: sorted,
  };
}

const QUALIFIER_WORDS: Record<Exclude<Qualifier, 'vague'>, string> = {
  exact: '',
  about: 'about',
  more_than: 'more than',
  at_least: 'at least',
  up_to: 'up to',
  nearly: 'nearly',
};

const CURRENCY_SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£' };
const COUNT_NOUNS: Record<string, readonly [string, string]> = {
  people: ['person', 'people'],
  compounds: ['compound', 'compounds'],
  cases: ['case', 'cases'],
  entities: ['entity', 'entities'],
};

// Fixed locale: a figure must read the same on every host, whatever its ICU default.
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const SCALED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });

/** 12500000000 → "12.5 billion"; under a million the digits are clearer than words. */
function numberWords(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${SCALED.format(value / 1e12)} trillion`;
  if (abs >= 1e9) return `${SCALED.format(value / 1e9)} billion`;
  if (abs >= 1e6) return `${SCALED.format(value / 1e6)} million`;
  return GROUPED.format(value);
}

/** "thousands", "hundreds" … for figures the text only gave as an order of magnitude. */
function magnitudeWord(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return 'billions';
  if (abs >= 1e6) return 'millions';
  if (abs >= 1e4) return 'tens of thousands';
  if (abs >= 1e3) return 'thousands';
  if (abs >= 100) return 'hundreds';
  if (abs >= 12) return 'dozens';
  return 'several';
}

/** The value in words with its qualifier and unit: "more than 1,400 people", "about $12.5 billion". */
export function formatFigureValue(f: Pick<Figure, 'value' | 'qualifier' | 'unit'>): string {
  const unit = f.unit.toLowerCase();
  const nouns = COUNT_NOUNS[unit];
  if (f.qualifier === 'vague') {
    const words = magnitudeWord(f.value);
    if (nouns) return `${words} of ${nouns[1]}`;
    if (unit === 'usd') return `${words} of dollars`;
    return `${words} (${unit.toUpperCase()})`;
  }
  const qualifier = QUALIFIER_WORDS[f.qualifier];
  let amount: string;
  if (nouns) {
    amount = `${numberWords(f.value)} ${f.value === 1 ? nouns[0] : nouns[1]}`;
  } else {
    const symbol = CURRENCY_SYMBOLS[unit];
    // Only a few symbols are unambiguous ("$" alone is read as US dollars); other units keep their code.
    amount = symbol ? `${symbol}${numberWords(f.value)}` : `${numberWords(f.value)} ${unit.toUpperCase()}`;
  }
  return qualifier ? `${qualifier} ${amount}` : amount;
}
