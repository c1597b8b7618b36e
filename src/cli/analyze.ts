// `compound-watch analyze SOURCE… [--json]`: what the bot would keep, group, summarise and extract,
// without a store on disk and without Discord. The JSON shape is described in docs/json-output.md.
import { buildCore } from '../app.js';
import type { Config } from '../config.js';
import type { Figure } from '../core/types.js';
import type { Logger } from '../log.js';
import { runPollCycle, type CycleResult } from '../pipeline/poll-cycle.js';
import type { ItemRecord } from '../store/ports.js';
import { noUsableSource, UsageError } from './errors.js';
import { ProgressLine, type ProgressOptions, type ProgressStream } from './progress.js';
import { counted } from '../core/words.js';

export interface AnalyzeOutput {
  feeds: Array<{ source: string; title: string | null; items: number; error: string | null }>;
  items: Array<{
    id: string;
    feed: string;
    outlet: string;
    title: string;
    link: string | null;
    published: string | null;
    language: string;
    relevant: boolean;
    relevance: number;
    reasons: string[];
    storyId: string | null;
    summary: string;
    figures: Figure[];
  }>;
  stories: Array<{ id: string; title: string; itemIds: string[]; outlets: string[]; figures: Figure[] }>;
}

const plainFigure = (f: Figure): Figure => ({
  value: f.value,
  qualifier: f.qualifier,
  unit: f.unit,
  metric: f.metric,
  label: f.label,
  quote: f.quote,
});

/** Figures without their sourcing fields; an empty list is passed on as it is (most items have none). */
const plainFigures = (figures: Figure[]): Figure[] => (figures.length === 0 ? figures : figures.map(plainFigure));

export function toAnalyzeOutput(result: CycleResult): AnalyzeOutput {
  const items = result.feeds.flatMap((feed) =>
    feed.records.map((r: ItemRecord) => ({
      id: r.item.id,
      feed: feed.source,
      outlet: r.item.outlet,
      title: r.item.title,
      link: r.item.link,
      published: r.item.published,
      language: r.item.language,
      relevant: r.relevance.relevant,
      relevance: Math.round(r.relevance.score * 1000) / 1000,
      reasons: r.relevance.reasons,
      storyId: r.storyId,
      summary: r.summary,
      figures: plainFigures(r.figures),
    })),
  );
  const stories = [...result.changed.values()].map(({ story }) => ({
    id: story.id,
    title: story.title,
    itemIds: story.itemIds,
    outlets: story.outlets,
    figures: plainFigures(story.figures),
  }));
  return {
    feeds: result.feeds.map((f) => ({ source: f.source, title: f.title, items: f.entries, error: f.error })),
    items,
    stories,
  };
}

/**
 * The `--json` document: indented for a person at a terminal, compact for a pipe or a file (a program reads it,
 * and `jq .` indents it on demand); compact is also less than half the work with thousands of items.
 */
export function formatAnalyzeJson(out: AnalyzeOutput, forTerminal = false): string {
  return forTerminal ? JSON.stringify(out, null, 2) : JSON.stringify(out);
}

/** The last column: cut to `n` characters, not padded (no trailing spaces). */
function cut(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

export function renderTable(out: AnalyzeOutput): string {
  const lines: string[] = [];
  for (const f of out.feeds) {
    lines.push(f.error ? `✗ ${f.source}: ${f.error}` : `✓ ${f.source} — ${f.title ?? 'untitled'} (${counted(f.items, 'item')})`);
  }
  lines.push('');
  lines.push(`${'keep'.padEnd(5)}${'score'.padEnd(7)}${'date'.padEnd(12)}${'lang'.padEnd(6)}${'story'.padEnd(13)}title`);
  for (const i of out.items) {
    lines.push(
      `${(i.relevant ? 'yes' : '-').padEnd(5)}${i.relevance.toFixed(2).padEnd(7)}${(i.published?.slice(0, 10) ?? '?').padEnd(12)}` +
        `${i.language.padEnd(6)}${(i.storyId ?? '').padEnd(13)}${cut(i.title, 70)}`,
    );
    if (i.relevant) lines.push(`     why: ${i.reasons.join('; ')}`);
  }
  if (out.stories.length > 0) {
    lines.push('', 'Stories:');
    for (const s of out.stories) {
      lines.push(`  ${s.id}  ${s.title}`);
      lines.push(`    reported by ${s.outlets.join(', ')} (${counted(s.itemIds.length, 'report')})`);
      for (const f of s.figures) lines.push(`    ${f.metric}: ${f.qualifier} ${f.value} ${f.unit} — "${f.quote}"`);
    }
  }
  const kept = out.items.filter((i) => i.relevant).length;
  lines.push('', `${counted(out.items.length, 'item')}, ${kept.toLocaleString('en-US')} relevant, ${counted(out.stories.length, 'story', 'stories')}`);
  return lines.join('\n');
}

export async function analyze(
  sources: string[],
  opts: {
    json: boolean;
    config: Config;
    logger: Logger;
    stdout: (s: string) => void;
    /** Whether stdout is a terminal: the JSON document is indented for a person to read. */
    stdoutIsTTY?: boolean;
    stderr: ProgressStream;
    progress?: ProgressOptions;
  },
): Promise<number> {
  if (sources.length === 0) throw new UsageError('analyze needs at least one SOURCE (a feed URL or file path)');
  const core = await buildCore(opts.config, opts.logger, { memory: true, persist: false });
  const progress = new ProgressLine(opts.stderr, 'analyzing', opts.progress);
  try {
    const result = await runPollCycle(core.cycleDeps, sources, {
      analyze: true,
      logFeedErrors: false,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    const out = toAnalyzeOutput(result);
    if (out.feeds.every((f) => f.error !== null)) throw noUsableSource(out.feeds);
    opts.stdout(opts.json ? formatAnalyzeJson(out, opts.stdoutIsTTY === true) : renderTable(out));
    return 0;
  } finally {
    progress.done();
    await core.stores.close();
  }
}
