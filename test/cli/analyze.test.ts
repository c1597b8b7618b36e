// `compound-watch analyze` as a user runs it: the real bin, real feed files, the JSON contract.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../src/cli/analyze.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/compound-watch.mjs');
const REAL = path.resolve('../shared/real-feeds');
const SEEDS = path.resolve('../shared/seeds');

export async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const EXPECTED_ENTRIES: Record<string, number> = {
  'netnewswire__livemint.xml': 25,
  'netnewswire__aktuality.rss': 30,
  'netnewswire__kc0011.rss': 20,
  'netnewswire__macworld.rss': 30,
  'netnewswire__phpxml.rss': 20,
  'netnewswire__donthitsave.xml': 10,
  'feed-rs__rss_1.0_iso8859.xml': 1,
  'feed-rs__rss_2.0_ilmessaggero.xml': 1,
  'feed-rs__rss_2.0_nbcny.xml': 1,
  'feed-rs__atom_mediarss_reddit_1.xml': 25,
};

const MOJIBAKE = /\uFFFD|Ã[\u0080-\u00BF]|Â[\u0080-\u00BF ]|â€/u;

describe('compound-watch analyze', () => {
  it('takes all ten real-world feeds: one item per entry, no mojibake, dates where given', async () => {
    const files = readdirSync(REAL).filter((f) => f in EXPECTED_ENTRIES);
    expect(files).toHaveLength(10);
    const { code, stdout } = await cli(['analyze', '--json', ...files.map((f) => path.join(REAL, f))]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as AnalyzeOutput;
    for (const f of files) {
      const source = path.join(REAL, f);
      const feed = out.feeds.find((x) => x.source === source);
      expect(feed?.error, f).toBeNull();
      expect(feed?.items, f).toBe(EXPECTED_ENTRIES[f]);
      const items = out.items.filter((i) => i.feed === source);
      expect(items, f).toHaveLength(EXPECTED_ENTRIES[f] ?? -1);
      for (const i of items) {
        expect(i.title, f).not.toMatch(MOJIBAKE);
        expect(i.relevant, f).toBe(false);
        expect(i.reasons.length, f).toBeGreaterThan(0);
      }
      // Every one of these feeds dates its entries (pubDate, dc:date or Atom published/updated).
      expect(items.filter((i) => i.published === null), f).toHaveLength(0);
    }
    const gb = out.items.filter((i) => i.feed.endsWith('kc0011.rss'));
    expect(gb.some((i) => /\p{Script=Han}/u.test(i.title))).toBe(true);
    expect(gb[0]?.published).toMatch(/^\d{4}-\d{2}-\d{2}T/u);
    // The ISO-8859-1 feed's umlaut must come out as one character, not as mojibake or a replacement character.
    const latin1 = out.items.find((i) => i.feed.endsWith('iso8859.xml'));
    expect(latin1?.title).toBe('Digitalministerium: Neue Glasfaserförderung mit Schnellkasse');
    expect(latin1?.language).toBe('de');
    // Body text is not part of the JSON contract; test/feeds/real-feeds.test.ts checks it for every feed.
  });

  it('groups the two seed reports as one story with their figures', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-seeds-'));
    const feedFor = (name: string, outlet: string, date: string) => {
      const text = readFileSync(path.join(SEEDS, name), 'utf8');
      const title = text.split(/(?<=[.!?])\s/u)[0] ?? name;
      const esc = (s: string) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;');
      const file = path.join(dir, `${name}.xml`);
      writeFileSync(
        file,
        `<?xml version="1.0"?><rss version="2.0"><channel><title>${outlet}</title><item><guid>${name}</guid><title>${esc(title)}</title>` +
          `<link>https://${outlet.toLowerCase().replace(/ /gu, '')}.example/${name}</link><description>${esc(text)}</description><pubDate>${date}</pubDate></item></channel></rss>`,
      );
      return file;
    };
    const a = feedFor('report-a.txt', 'Outlet A', 'Wed, 21 Jan 2026 10:00:00 GMT');
    const b = feedFor('report-b.txt', 'Outlet B', 'Thu, 22 Jan 2026 10:00:00 GMT');
    const { code, stdout } = await cli(['analyze', '--json', a, b]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as AnalyzeOutput;
    expect(out.items.every((i) => i.relevant)).toBe(true);
    expect(new Set(out.items.map((i) => i.storyId)).size).toBe(1);
    expect(out.stories).toHaveLength(1);
    const figs = out.stories[0]?.figures ?? [];
    const has = (value: number, qualifier: string, metric: string) =>
      figs.some((f) => f.value === value && f.qualifier === qualifier && f.metric === metric);
    expect(has(1400, 'more_than', 'nationals_registered')).toBe(true);
    expect(has(100000, 'up_to', 'people_held')).toBe(true);
    expect(has(100000, 'about', 'people_held')).toBe(true);
    expect(has(10, 'at_least', 'compounds')).toBe(true);
    expect(figs.some((f) => f.value === 12_500_000_000 && f.qualifier === 'more_than' && f.unit === 'usd' && f.metric === 'scam_revenue')).toBe(true);
    expect(figs.some((f) => f.qualifier === 'vague')).toBe(true);
    expect(figs.some((f) => f.value === 2026 || f.quote.includes('%'))).toBe(false);
    for (const i of out.items) expect(i.summary.length).toBeGreaterThan(0);
  });

  it('counts one article reached through two feeds of its outlet as one report', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { rss, EVENT_RAID, IRRELEVANT } = await import('../support/articles.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-two-feeds-'));
    // A site's main feed and its tag feed: the same article under a guid that is not a URL (so two item ids).
    const main = path.join(dir, 'main.xml');
    const tag = path.join(dir, 'tag.xml');
    writeFileSync(main, rss('Local News', [EVENT_RAID, ...IRRELEVANT]));
    writeFileSync(tag, rss('Local News', [EVENT_RAID]));
    const { code, stdout } = await cli(['analyze', '--json', main, tag]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as AnalyzeOutput;
    const raid = out.items.filter((i) => i.title === EVENT_RAID.title);
    expect(raid).toHaveLength(2);
    expect(new Set(raid.map((i) => i.storyId)).size).toBe(1);
    expect(out.stories).toHaveLength(1);
    expect(out.stories[0]?.itemIds).toHaveLength(1);
    expect(out.stories[0]?.outlets).toEqual(['Local News']);
  });

  it('reports a bad source per feed and still analyses the others', async () => {
    const good = path.join(REAL, 'feed-rs__rss_2.0_nbcny.xml');
    const { code, stdout } = await cli(['analyze', '--json', good, '/nonexistent/feed.xml']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as AnalyzeOutput;
    expect(out.feeds[0]?.error).toBeNull();
    expect(out.feeds[1]?.error).toMatch(/nonexistent|no such file|not found/iu);
  });

  it('exits non-zero with one line and no stack trace when no source is usable, at every log level', async () => {
    // An empty LOG_LEVEL is unset, so the default (info) applies: what a user who configured nothing sees.
    for (const level of ['', 'debug', 'silent']) {
      const { code, stdout, stderr } = await cli(['analyze', '/nonexistent/a.xml', 'http://127.0.0.1:9/feed'], { LOG_LEVEL: level });
      expect(code, level).not.toBe(0);
      expect(stdout, level).toBe('');
      expect(stderr.trim().split('\n'), level).toHaveLength(1);
      expect(stderr, level).toMatch(/^compound-watch: no usable source: all 2 sources failed: /u);
      // Each source is named with its own error.
      expect(stderr, level).toMatch(/\/nonexistent\/a\.xml: cannot read feed file .*ENOENT/u);
      expect(stderr, level).toMatch(/http:\/\/127\.0\.0\.1:9\/feed: /u);
      expect(stderr, level).not.toMatch(/\n\s+at /u);
    }
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await cli(['analyze', path.join(REAL, 'feed-rs__rss_2.0_nbcny.xml')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/keep\s+score/u);
    expect(stdout).toMatch(/^1 item, 0 relevant, 0 stories$/mu);
    expect(stdout).toMatch(/ \(1 item\)$/mu);
    expect(stdout.split('\n').filter((line) => / $/u.test(line))).toEqual([]);
  });

  it('ends quietly, with status 0, when the reader of its output goes away (`analyze --json … | head`)', async () => {
    const files = readdirSync(REAL).filter((f) => f in EXPECTED_ENTRIES).map((f) => path.join(REAL, f));
    const child = spawn(process.execPath, [BIN, 'analyze', '--json', ...files], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader leaves before anything is written: every write of the document meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('rejects a bad configuration with one readable line naming every problem', async () => {
    const { code, stderr } = await cli(['analyze', 'x'], { LOG_LEVEL: 'loud', STORY_WINDOW_DAYS: 'seven' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/LOG_LEVEL/u);
    expect(stderr).toMatch(/STORY_WINDOW_DAYS/u);
  });
});

describe('compound-watch poll --once', () => {
  it('polls the configured feeds with the store, prints what it kept, and keeps nothing twice', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { rss, EVENT_RELEASE_A, IRRELEVANT } = await import('../support/articles.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-'));
    const feed = path.join(dir, 'feed.xml');
    writeFileSync(feed, rss('Wire', [EVENT_RELEASE_A, ...IRRELEVANT]));
    const env = { FEEDS: feed, DATA_DIR: path.join(dir, 'data') };
    const first = await cli(['poll', '--once'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(EVENT_RELEASE_A.title);
    expect(first.stdout).toMatch(/first poll: recorded, nothing posted/u);
    expect(first.stdout).toMatch(/^1 new relevant item, 1 story created or updated$/mu);
    const second = await cli(['poll', '--once', '--json'], env);
    expect(second.code).toBe(0);
    // One compact line in a pipe.
    expect(second.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(second.stdout) as { feeds: Array<{ newItems: number; firstPoll: boolean; kept: unknown[] }>; storiesChanged: number; postsWaiting: number };
    expect(out.feeds[0]).toMatchObject({ newItems: 0, firstPoll: false, kept: [] });
    expect(out).toMatchObject({ storiesChanged: 0, postsWaiting: 0 });
  });

  it('queues what it keeps for the bot to post, as the bot would, instead of using it up', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { rss, EVENT_RELEASE_A, EVENT_RAID, IRRELEVANT } = await import('../support/articles.js');
    const { openStores } = await import('../../src/store/keyv-store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-queue-'));
    const feed = path.join(dir, 'feed.xml');
    const env = { FEEDS: feed, DATA_DIR: path.join(dir, 'data') };
    writeFileSync(feed, rss('Wire', IRRELEVANT));
    expect((await cli(['poll', '--once'], env)).code).toBe(0);
    // A relevant report arrives after the first poll: it is news, and must reach the channels.
    writeFileSync(feed, rss('Wire', [EVENT_RAID, EVENT_RELEASE_A, ...IRRELEVANT]));
    const second = await cli(['poll', '--once'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^\d+ posts? waiting for the bot to send/mu);
    const stores = await openStores({ storeUrl: null, dataDir: path.join(dir, 'data') });
    try {
      const kept = [...second.stdout.matchAll(/\[story (s[0-9a-f]+)\]/gu)].map((m) => m[1]);
      expect(kept.length).toBeGreaterThan(0);
      const pending = await stores.outbox.pending();
      expect(pending.filter((p) => p.kind === 'story').map((p) => p.storyId).sort()).toEqual([...new Set(kept)].sort());
    } finally {
      await stores.close();
    }
  });

  it('refuses, with one line, to poll a store another process is polling', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { rss, IRRELEVANT } = await import('../support/articles.js');
    const { openStores } = await import('../../src/store/keyv-store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-busy-'));
    const feed = path.join(dir, 'feed.xml');
    writeFileSync(feed, rss('Wire', IRRELEVANT));
    const stores = await openStores({ storeUrl: null, dataDir: path.join(dir, 'data') });
    try {
      expect(await stores.lease.acquire('poller', 'the-bot', 60_000)).toBe(true);
      const r = await cli(['poll', '--once'], { FEEDS: feed, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: '' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^compound-watch: another compound-watch process is polling this store/u);
      expect(r.stdout).toBe('');
    } finally {
      await stores.close();
    }
  });

  it('logs a debug line per feed at LOG_LEVEL=debug, and nothing at the default level', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-debug-'));
    const good = path.join(REAL, 'feed-rs__rss_2.0_nbcny.xml');
    const env = { FEEDS: `${good},/nonexistent/feed.xml`, DATA_DIR: path.join(dir, 'data') };
    const debug = await cli(['poll', '--once'], { ...env, LOG_LEVEL: 'debug' });
    const lines = debug.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string; source?: string; status?: string });
    expect(lines.filter((l) => l.msg === 'feed polled').map((l) => [l.source, l.status])).toEqual([
      [good, 'ok'],
      ['/nonexistent/feed.xml', 'error'],
    ]);
    expect((await cli(['poll', '--once'], { ...env, LOG_LEVEL: 'info' })).stderr).toBe('');
  });

  it('exits non-zero with one line when no configured feed is usable, at the default log level', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-none-'));
    const r = await cli(['poll', '--once'], { FEEDS: '/nonexistent/feed.xml', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^compound-watch: no usable source: \/nonexistent\/feed\.xml: cannot read feed file/u);
  });

  it('prints a bad feed in its output, not as a log line, when other feeds work', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-poll-mixed-'));
    const good = path.join(REAL, 'feed-rs__rss_2.0_nbcny.xml');
    const r = await cli(['poll', '--once'], { FEEDS: `/nonexistent/feed.xml,${good}`, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✗ \/nonexistent\/feed\.xml: cannot read feed file/u);
    expect(r.stdout).toContain(`✓ ${good}: 1 entry, 1 new`);
    expect(r.stderr).toBe('');
  });
});
