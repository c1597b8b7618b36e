// The progress line of a long `analyze` or `poll --once`: shown on a terminal only, after a delay, updated while a
// large feed is still being read, and cleared before the command prints its result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOutput } from '../../src/cli/analyze.js';
import { pollOnce } from '../../src/cli/poll.js';
import { ProgressLine } from '../../src/cli/progress.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { IRRELEVANT, rss, type Article } from '../support/articles.js';

const ERASE = '\r\u001b[K';

class FakeTerminal {
  readonly writes: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  /** The texts shown, without the erase sequences. */
  get lines(): string[] {
    return this.writes.map((w) => w.replace(ERASE, '')).filter((w) => w !== '');
  }
}

function manyItems(n: number): Article[] {
  return Array.from({ length: n }, (_, i) => {
    const base = IRRELEVANT[i % IRRELEVANT.length] as Article;
    return { ...base, guid: `${base.guid}-${i}`, link: `${base.link}-${i}` };
  });
}

describe('ProgressLine', () => {
  const progress = (feedsDone: number, items: number) => ({ feedsDone, feedsTotal: 3, items });

  it('writes nothing when stderr is not a terminal', () => {
    const out = new FakeTerminal(false);
    const line = new ProgressLine(out, 'analyzing', { afterMs: 0, everyMs: 0 });
    line.update(progress(1, 10));
    line.update(progress(3, 20));
    line.done();
    expect(line.enabled).toBe(false);
    expect(out.writes).toEqual([]);
  });

  it('waits until the run is long, then rewrites one line in place, at most once per interval', () => {
    let now = 1_000;
    const out = new FakeTerminal(true);
    const line = new ProgressLine(out, 'analyzing', { afterMs: 1_000, everyMs: 100, now: () => now });
    line.update(progress(0, 250));
    now += 999;
    line.update(progress(1, 500));
    expect(out.writes).toEqual([]);
    now += 1;
    line.update(progress(1, 750));
    now += 50;
    line.update(progress(1, 1_000)); // within the interval: skipped
    now += 50;
    line.update(progress(2, 1_250));
    now += 1;
    line.update(progress(3, 1_300)); // the last feed always shows
    expect(out.writes).toEqual([
      `${ERASE}analyzing: 1/3 feeds, 750 items read`,
      `${ERASE}analyzing: 2/3 feeds, 1,250 items read`,
      `${ERASE}analyzing: 3/3 feeds, 1,300 items read`,
    ]);
    line.done();
    line.done();
    expect(out.writes.slice(3)).toEqual([ERASE]);
  });

  it('clears nothing when it never showed', () => {
    const out = new FakeTerminal(true);
    const line = new ProgressLine(out, 'polling', { afterMs: 60_000 });
    line.update(progress(3, 5));
    line.done();
    expect(out.writes).toEqual([]);
  });
});

describe('progress of the CLI commands', () => {
  let dir: string;
  let big: string;
  let small: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cw-progress-'));
    big = path.join(dir, 'big.xml');
    small = path.join(dir, 'small.xml');
    writeFileSync(big, rss('Big feed', manyItems(1_000)));
    writeFileSync(small, rss('Small feed', manyItems(3)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = (extra: Record<string, string> = {}) => loadConfig({ DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', ...extra });

  it('analyze shows items read while one large feed is processed, then clears the line before printing', async () => {
    const stderr = new FakeTerminal(true);
    const printed: string[] = [];
    const code = await analyze([big, small], {
      json: true,
      config: config(),
      logger: silentLogger,
      stdout: (s) => printed.push(s),
      stderr,
      progress: { afterMs: 0, everyMs: 0 },
    });
    expect(code).toBe(0);
    // Updates come every 250 items while the big feed is still being read, not only per finished feed. The
    // feeds are fetched side by side, so the small one may or may not be done by then.
    const during = stderr.lines.filter((l) => /^analyzing: [01]\/2 feeds, [\d,]+ items read$/.test(l));
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(stderr.lines.at(-1)).toBe('analyzing: 2/2 feeds, 1,003 items read');
    expect(stderr.writes.at(-1)).toBe(ERASE);
    const out = JSON.parse(printed.join('\n')) as AnalyzeOutput;
    expect(out.items).toHaveLength(1_003);
  });

  it('analyze writes no progress to a stderr that is not a terminal', async () => {
    const stderr = new FakeTerminal(false);
    const printed: string[] = [];
    await analyze([big], { json: true, config: config(), logger: silentLogger, stdout: (s) => printed.push(s), stderr, progress: { afterMs: 0 } });
    expect(stderr.writes).toEqual([]);
    expect((JSON.parse(printed.join('\n')) as AnalyzeOutput).items).toHaveLength(1_000);
  });

  it('analyze writes no progress for a short run', async () => {
    const stderr = new FakeTerminal(true);
    await analyze([small], { json: true, config: config(), logger: silentLogger, stdout: () => {}, stderr });
    expect(stderr.writes).toEqual([]);
  });

  it('poll --once shows the same progress line and clears it', async () => {
    const stderr = new FakeTerminal(true);
    const printed: string[] = [];
    const code = await pollOnce({
      config: config({ FEEDS: `${big},${small}`, DATA_DIR: path.join(dir, 'poll') }),
      logger: silentLogger,
      stdout: (s) => printed.push(s),
      json: false,
      stderr,
      progress: { afterMs: 0, everyMs: 0 },
    });
    expect(code).toBe(0);
    // The two feeds are polled side by side, so which one finishes first varies; the big one reports as it goes.
    const during = stderr.lines.filter((l) => /^polling: [01]\/2 feeds, [\d,]+ items read$/.test(l));
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(stderr.lines.at(-1)).toBe('polling: 2/2 feeds, 1,003 items read');
    expect(stderr.writes.at(-1)).toBe(ERASE);
    expect(printed.join('\n')).toContain('1,000 entries, 1,000 new');
  });
});
