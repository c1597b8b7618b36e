// `npm run bench`: every benchmark section in order, a readable report with figures, ratios and the speed
// goals (PASS/MISS next to each figure; goals live here and nowhere else, never in tests), then one line of
// JSON for machines. A section that throws is reported and the others still run.
//
//   npm run bench                  all sections
//   npm run bench -- --only poll   one section (by name or number; see SECTIONS)
//
// Peak memory is the process RSS sampled every 20 ms from a worker thread: a sampler on the main thread
// would miss exactly the peaks we care about, because they happen while the main thread is busy. A section's
// peak is process-wide, so it includes whatever earlier sections left mapped; the poll section measures its
// bot in a process of its own for that reason.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { benchLatency } from './latency.js';
import { benchParseVsAnalyze, benchRelevantPipeline } from './pipeline.js';
import { benchPoll } from './poll.js';

// ---------------------------------------------------------------------------------------------------------------------
// What sections return (the section modules import these types only)

export interface Goal {
  op: '<' | '<=' | '>' | '>=';
  target: number;
}

export interface Row {
  /** Key in the JSON summary; stable across runs so results can be compared. */
  key: string;
  label: string;
  value: number | string;
  unit?: string;
  goal?: Goal;
}

export interface SectionResult {
  rows: Row[];
  notes?: string[];
}

export interface Measured<T> {
  result: T;
  ms: number;
  peakRssMb: number;
}

export interface SectionContext {
  /** Progress lines while a long section runs, so a run never looks hung. */
  progress(line: string): void;
}

type SectionFn = (ctx: SectionContext) => Promise<SectionResult>;

interface Section {
  id: string;
  title: string;
  run: SectionFn;
}

// ---------------------------------------------------------------------------------------------------------------------
// Peak RSS sampler

const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData);
const tick = () => { const r = process.memoryUsage.rss(); if (r > peak[0]) peak[0] = r; };
setInterval(tick, 20);
`;

/** Also used by the poll section's bot process (see poll.ts), which runs in a child of its own. */
export class RssSampler {
  private readonly shared = new SharedArrayBuffer(8);
  private readonly peak = new Float64Array(this.shared);
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: this.shared });
    // The sampler must never keep the process alive on its own.
    this.worker.unref();
  }

  /**
   * Peak RSS while `fn` runs. The shared peak is only ever raised, so a nested measurement starts from its
   * own baseline and the outer one folds the inner peak back in afterwards.
   */
  async measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
    const outer = this.peak[0] ?? 0;
    this.peak[0] = process.memoryUsage.rss();
    const t0 = performance.now();
    try {
      const result = await fn();
      const ms = performance.now() - t0;
      const peakBytes = Math.max(this.peak[0] ?? 0, process.memoryUsage.rss());
      return { result, ms, peakRssMb: peakBytes / 1024 / 1024 };
    } finally {
      this.peak[0] = Math.max(outer, this.peak[0] ?? 0);
    }
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Sections

/** The teammate's story-assignment bench, if present; its absence is reported, not an error of this run. */
async function storyAssignSection(): Promise<SectionResult> {
  const file = fileURLToPath(new URL('./story-assign.ts', import.meta.url));
  if (!existsSync(file)) {
    return { rows: [{ key: 'stories.assign.status', label: 'bench/story-assign.ts', value: 'missing (section skipped)' }] };
  }
  // A computed specifier keeps the type checker from requiring the file; the shape is checked at run time.
  const specifier = './story-assign.js';
  const mod = (await import(specifier)) as { benchStoryAssign?: () => Promise<Record<string, number | string>> };
  if (typeof mod.benchStoryAssign !== 'function') {
    return { rows: [{ key: 'stories.assign.status', label: 'bench/story-assign.ts', value: 'does not export benchStoryAssign()' }] };
  }
  const figures = await mod.benchStoryAssign();
  const rows: Row[] = Object.entries(figures).map(([key, value]) => {
    const row: Row = { key, label: key.replace(/^stories\./u, ''), value };
    if (key === 'stories.assign.ratio_100k_over_1k') row.goal = { op: '<=', target: 2 };
    if (key.includes('us_per_item')) row.unit = 'µs';
    return row;
  });
  return { rows };
}

const SECTIONS: readonly Section[] = [
  { id: 'parse', title: 'parse vs analyze (issue: foundation)', run: benchParseVsAnalyze },
  { id: 'relevant', title: 'relevant pipeline throughput (editorial core)', run: benchRelevantPipeline },
  { id: 'story-assign', title: 'story assignment (editorial core)', run: storyAssignSection },
  { id: 'latency', title: 'slash-command latency (Discord bot)', run: benchLatency },
  { id: 'poll', title: 'poll cycle over 500 feeds (durability)', run: benchPoll },
];

// ---------------------------------------------------------------------------------------------------------------------
// Formatting

function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function meets(value: number, goal: Goal): boolean {
  switch (goal.op) {
    case '<':
      return value < goal.target;
    case '<=':
      return value <= goal.target;
    case '>':
      return value > goal.target;
    case '>=':
      return value >= goal.target;
  }
}

const OP_TEXT: Record<Goal['op'], string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

interface GoalOutcome {
  value: number;
  op: Goal['op'];
  target: number;
  pass: boolean;
}

function printRow(row: Row, goals: Record<string, GoalOutcome>): void {
  const value = `${formatValue(row.value)}${row.unit ? ` ${row.unit}` : ''}`;
  let line = `  ${row.label.padEnd(48)} ${value.padStart(16)}`;
  if (row.goal) {
    const goalText = `goal ${OP_TEXT[row.goal.op]} ${formatValue(row.goal.target)}${row.unit ? ` ${row.unit}` : ''}`;
    if (typeof row.value === 'number') {
      const pass = meets(row.value, row.goal);
      goals[row.key] = { value: Math.round(row.value * 1000) / 1000, op: row.goal.op, target: row.goal.target, pass };
      line += `   ${goalText.padEnd(20)} ${pass ? 'PASS' : 'MISS'}`;
    } else {
      line += `   ${goalText.padEnd(20)} n/a`;
    }
  }
  console.log(line);
}

// ---------------------------------------------------------------------------------------------------------------------
// Main

function selectSections(argv: string[]): readonly Section[] {
  const at = argv.indexOf('--only');
  if (at < 0) return SECTIONS;
  const wanted = argv[at + 1];
  const byNumber = wanted && /^\d+$/u.test(wanted) ? SECTIONS[Number(wanted) - 1] : undefined;
  const found = byNumber ?? SECTIONS.find((s) => s.id === wanted);
  if (!found) {
    console.error(`--only needs one of: ${SECTIONS.map((s, i) => `${s.id} (${i + 1})`).join(', ')}`);
    process.exit(2);
  }
  return [found];
}

async function main(): Promise<number> {
  const sections = selectSections(process.argv.slice(2));
  const sampler = new RssSampler();
  const started = performance.now();
  const figures: Record<string, number | string> = {};
  const goals: Record<string, GoalOutcome> = {};
  const status: Record<string, 'ok' | 'error'> = {};
  const errors: Record<string, string> = {};

  console.log(
    `compound-watch bench — node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs, ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, ${new Date().toISOString()}`,
  );
  if (typeof globalThis.gc !== 'function') console.log('(run with --expose-gc for comparable memory figures)');

  const ctx: SectionContext = { progress: (line) => console.log(`  … ${line}`) };

  for (const section of sections) {
    const number = SECTIONS.indexOf(section) + 1;
    console.log(`\n== ${number}. ${section.title} ==`);
    // Each section starts from a collected heap, so its peak RSS is not the previous section's garbage.
    globalThis.gc?.();
    try {
      const measured = await sampler.measure(() => section.run(ctx));
      const rows: Row[] = [
        ...measured.result.rows,
        { key: `${section.id}.section_s`, label: 'section wall time', value: measured.ms / 1000, unit: 's' },
        { key: `${section.id}.section_peak_rss_mb`, label: 'section peak RSS', value: Math.round(measured.peakRssMb), unit: 'MB' },
      ];
      for (const row of rows) {
        printRow(row, goals);
        figures[row.key] = typeof row.value === 'number' ? Math.round(row.value * 1000) / 1000 : row.value;
      }
      for (const note of measured.result.notes ?? []) console.log(`  note: ${note}`);
      status[section.id] = 'ok';
    } catch (err) {
      status[section.id] = 'error';
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      errors[section.id] = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'error';
      console.log(`  SECTION FAILED: ${message}`);
    }
  }
  await sampler.stop();

  const goalList = Object.entries(goals);
  const misses = goalList.filter(([, g]) => !g.pass).map(([k]) => k);
  const totalS = (performance.now() - started) / 1000;
  console.log(
    `\n== summary ==\n  ${goalList.length - misses.length}/${goalList.length} goals met` +
      `${misses.length > 0 ? ` (missed: ${misses.join(', ')})` : ''}; ` +
      `${Object.values(status).filter((s) => s === 'error').length} section(s) failed; total ${totalS.toFixed(1)} s`,
  );
  console.log(
    JSON.stringify({
      bench: 'compound-watch',
      node: process.version,
      cpus: os.cpus().length,
      total_s: Math.round(totalS * 10) / 10,
      sections: status,
      errors,
      goals,
      misses,
      figures,
    }),
  );
  return Object.values(status).includes('error') ? 1 : 0;
}

// Only as the entry point: poll.ts imports RssSampler from here inside its child process.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await main();
  // Sections close what they open; exiting explicitly guards the report against a handle someone forgot.
  process.exit(code);
}
