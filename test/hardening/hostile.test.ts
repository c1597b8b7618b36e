// The hostile-input corpus (test/fixtures/hostile/, see its README) through ONE real poll cycle, the way a
// deployment would meet it: every feed must end in a clear one-line error or in safe output, the good feed
// must not notice its neighbours, and the cycle must stay within a time and memory bound.
import { readFileSync, readdirSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCore, type Core } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { normaliseEntry } from '../../src/core/item.js';
import type { Story } from '../../src/core/types.js';
import { parseFeedXml } from '../../src/feeds/parse.js';
import { silentLogger } from '../../src/log.js';
import { storyEmbed } from '../../src/discord/render.js';
import { runPollCycle, type CycleResult, type FeedOutcome } from '../../src/pipeline/poll-cycle.js';
import type { ItemRecord } from '../../src/store/ports.js';
import { EVENT_RELEASE_A, rss } from '../support/articles.js';
import { gzipZeros, startFeedServer, type FeedServer, type RouteHandler } from '../support/feed-server.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/hostile');
const MiB = 1024 * 1024;

const CYCLE_BOUND_MS = 30_000;
const RSS_GROWTH_BOUND = 300 * MiB;

// ---------------------------------------------------------------------------------------------------------------
// What each input is, how it is served, and what we accept as its outcome.

type Expect =
  /** Must fail, with a message matching. */
  | { error: RegExp }
  /** Must succeed (safe output is checked for every successful feed anyway). */
  | { ok: true }
  /** Either is acceptable; only safety is asserted. */
  | { either: true };

interface Case {
  name: string;
  handler: RouteHandler;
  expect: Expect;
}

const ENTITY_REFUSAL = /unsafe XML|entit/iu;

/** How each committed file is served; files not listed are served as application/rss+xml with no charset. */
const FILE_EXPECT: Record<string, Expect> = {
  'truncated.xml': { error: /XML|unclosed|unexpected end/iu },
  'mismatched-tags.xml': { error: /XML|closing tag|mismatch/iu },
  'unclosed-cdata.xml': { error: /XML|CDATA|unclosed|unexpected end/iu },
  'xxe-file.xml': { error: ENTITY_REFUSAL },
  'xxe-http.xml': { error: ENTITY_REFUSAL },
  'xxe-public.xml': { error: ENTITY_REFUSAL },
  'billion-laughs.xml': { error: ENTITY_REFUSAL },
  'quadratic-blowup.xml': { error: ENTITY_REFUSAL },
  'parameter-entities.xml': { error: ENTITY_REFUSAL },
  'parameter-entity-external.xml': { error: ENTITY_REFUSAL },
  'external-dtd.xml': { ok: true },
  'xinclude.xml': { either: true },
  'utf8-labelled-windows-1252.xml': { ok: true },
  'utf-7-prolog.xml': { either: true },
  'binary-garbage.bin': { error: /binary|not an RSS/iu },
  'empty.xml': { error: /empty/iu },
  'whitespace-only.xml': { error: /empty/iu },
  'html-page.html': { error: /HTML/iu },
  'json-feed.json': { error: /JSON/iu },
  'control-characters.xml': { either: true },
  'control-char-refs.xml': { either: true },
  'control-characters-sparse.xml': { either: true },
  'bidi-overrides.xml': { ok: true },
  'zero-width-keywords.xml': { ok: true },
  'markdown-injection.xml': { ok: true },
  'mention-injection.xml': { ok: true },
  'javascript-links.xml': { ok: true },
  'data-links.xml': { ok: true },
  'atom-javascript-links.xml': { ok: true },
  'cdata-script.xml': { ok: true },
  'escaped-script.xml': { ok: true },
  'atom-xml-base.xml': { ok: true },
  'bad-char-refs.xml': { either: true },
  'rss-no-channel.xml': { error: /channel|not.*feed/iu },
  'wrong-root.xml': { error: /root element/iu },
  'pi-and-comments.xml': { ok: true },
  'line-separators.xml': { ok: true },
  'doctype-no-entities.xml': { ok: true },
  // Encoded at test time (see README).
  'windows-1252-labelled-utf8.src.xml': { ok: true },
  'gb2312-prolog.src.xml': { ok: true },
  'big5-prolog.src.xml': { ok: true },
  'windows-874-prolog.src.xml': { ok: true },
  'tis-620-prolog.src.xml': { ok: true },
  'iso-8859-1-prolog.src.xml': { ok: true },
};

const CONTENT_TYPE: Record<string, string> = {
  'utf8-labelled-windows-1252.xml': 'application/rss+xml; charset=windows-1252',
  'windows-1252-labelled-utf8.src.xml': 'application/rss+xml; charset=utf-8',
  'html-page.html': 'text/html; charset=utf-8',
  'json-feed.json': 'application/feed+json',
  'binary-garbage.bin': 'application/octet-stream',
};

/** The bytes of a committed fixture as the server sends them: `{{ORIGIN}}` filled in, `.src.xml` encoded. */
function fixtureBytes(file: string, origin: string): Buffer {
  const raw = readFileSync(path.join(DIR, file));
  if (file.endsWith('.bin')) return raw;
  const text = raw.toString('utf8').replaceAll('{{ORIGIN}}', origin);
  if (!file.endsWith('.src.xml')) return Buffer.from(text, 'utf8');
  const declared = /encoding="([^"]+)"/u.exec(text)?.[1];
  if (!declared || !iconv.encodingExists(declared)) throw new Error(`${file}: no usable encoding in its prolog`);
  const bytes = iconv.encode(text, declared);
  // A lossy encode would test nothing: make sure every character survived the round trip.
  if (iconv.decode(bytes, declared) !== text) throw new Error(`${file}: text not representable in ${declared}`);
  return bytes;
}

/** Expected titles of the re-encoded fixtures: the UTF-8 source is the truth the decoder has to reach. */
function sourceTitles(file: string): string[] {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  return [...text.matchAll(/<item>.*?<title>(.*?)<\/title>/gu)].map((m) => m[1] ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Generated bodies (generated.json holds the sizes; the shapes are here).

interface GenSpec {
  kind: string;
  mebibytes?: number;
  kibibytes?: number;
  count?: number;
  depth?: number;
  intervalMs?: number;
}

const GENERATED = JSON.parse(readFileSync(path.join(DIR, 'generated.json'), 'utf8')) as Record<string, GenSpec>;
/** Generated bodies served in the cycle (the keyword-dense item is judged directly, see its test). */
const SERVED_GENERATED = Object.keys(GENERATED).filter((name) => GENERATED[name]?.kind !== 'keyword-dense-item');

const RSS_OPEN = (title: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://hostile.example/</link><description>generated</description>\n`;
const RSS_CLOSE = '</channel></rss>\n';
const RELEVANT_BODY = 'Cambodian police raided a scam compound in Sihanoukville and rescued 320 workers.';

function manyItems(count: number): string {
  const parts: string[] = [RSS_OPEN('Many items')];
  for (let i = 0; i < count; i += 1) parts.push(`<item><title>Item ${i}</title><link>https://h.example/${i}</link></item>\n`);
  parts.push(RSS_CLOSE);
  return parts.join('');
}

/** Streams `total` bytes (a feed prefix, then filler items) with backpressure, stopping when the client leaves. */
function streamHandler(total: number): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const filler = Buffer.from('<item><title>filler</title><link>https://hostile.example/f</link></item>\n'.repeat(14_000));
    let sent = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    const pump = (): void => {
      while (!closed && sent < total) {
        const chunk = sent === 0 ? Buffer.concat([Buffer.from(RSS_OPEN('Fifty')), filler]) : filler;
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!closed) res.end(RSS_CLOSE);
    };
    pump();
  };
}

/** Sends a complete, valid feed one byte per `intervalMs`: only the total timeout can end it. */
function dripHandler(intervalMs: number): RouteHandler {
  return (_req, res) => {
    const body = Buffer.from(rss('Drip', [EVENT_RELEASE_A]));
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(body.length) });
    res.flushHeaders();
    let i = 0;
    const timer = setInterval(() => {
      if (i >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.subarray(i, i + 1));
      i += 1;
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

function staticHandler(body: Buffer, headers: http.OutgoingHttpHeaders = { 'content-type': 'application/rss+xml' }): RouteHandler {
  return (_req, res) => void res.writeHead(200, headers).end(body);
}

function generatedCases(gzipBomb: Buffer): Case[] {
  const spec = (name: string): GenSpec => {
    const s = GENERATED[name];
    if (!s) throw new Error(`generated.json has no ${name}`);
    return s;
  };
  const cases: Case[] = [];
  cases.push({
    name: 'gzip-bomb',
    handler: staticHandler(gzipBomb, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }),
    expect: { error: /exceeds .*MiB/iu },
  });
  cases.push({ name: 'body-50mib', handler: streamHandler((spec('body-50mib').mebibytes ?? 50) * MiB), expect: { error: /exceeds .*MiB/iu } });
  cases.push({ name: 'drip', handler: dripHandler(spec('drip').intervalMs ?? 1000), expect: { error: /timed out/iu } });

  const depth = spec('nesting-10000').depth ?? 10_000;
  const deep = `${RSS_OPEN('Deep')}<item><guid>deep-1</guid><title>Deep item</title><link>https://hostile.example/deep</link>${'<x>'.repeat(depth)}bottom${'</x>'.repeat(depth)}</item>\n${RSS_CLOSE}`;
  cases.push({ name: 'nesting-10000', handler: staticHandler(Buffer.from(deep)), expect: { either: true } });

  const titleSize = (spec('title-100kb').kibibytes ?? 100) * 1024;
  const longTitle = `Scam compound in Cambodia ${'very long title '.repeat(Math.ceil(titleSize / 16))}`.slice(0, titleSize);
  const long = `${RSS_OPEN('Long title')}<item><guid>long-1</guid><title>${longTitle}</title><link>https://hostile.example/long</link><description>${RELEVANT_BODY}</description></item>\n${RSS_CLOSE}`;
  cases.push({ name: 'title-100kb', handler: staticHandler(Buffer.from(long)), expect: { ok: true } });

  // The two CPU-heavy bodies go last: the cycle's feeds share one event loop, so while one is parsed and judged,
  // the fetch clock of every fetch in flight keeps ticking (see the items-50000 test).

  // Just under the default 5 MiB body cap, so the big item really is parsed, normalised and judged.
  const bigSize = (spec('item-5mib').mebibytes ?? 5) * MiB;
  const bigHead = `${RSS_OPEN('Big item')}<item><guid>big-1</guid><title>One very big item about a scam compound in Cambodia</title><link>https://hostile.example/big</link><description>`;
  const bigTail = `</description></item>\n${RSS_CLOSE}`;
  // Ordinary prose after one relevant lead sentence: a topic term in every sentence is a separate, known problem
  // (see "keyword-dense" below), and this case is about size.
  const filler = 'The weather in the region was mild and the river rose slowly through the afternoon. ';
  const room = bigSize - bigHead.length - bigTail.length - RELEVANT_BODY.length - 2;
  const bigBody = `${RELEVANT_BODY} ${filler.repeat(Math.floor(room / filler.length))}`;
  cases.push({ name: 'item-5mib', handler: staticHandler(Buffer.from(bigHead + bigBody + bigTail)), expect: { ok: true } });

  cases.push({ name: 'items-50000', handler: staticHandler(Buffer.from(manyItems(spec('items-50000').count ?? 50_000))), expect: { either: true } });
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// Safety predicates

// C0 controls except \t and \n, plus DEL and the C1 block (cleanText's contract, and terminals act on them too).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
// Every executable payload in the corpus carries this marker; literal "<script>" text can be legitimate (below).
const SCRIPT = /PWNED/iu;

function textProblems(label: string, value: string): string[] {
  const problems: string[] = [];
  const control = CONTROL.exec(value);
  if (control) problems.push(`${label} has control U+${control[0].codePointAt(0)?.toString(16).padStart(4, '0')}`);
  const bidi = BIDI.exec(value);
  if (bidi) problems.push(`${label} has bidi U+${bidi[0].codePointAt(0)?.toString(16)}`);
  if (SCRIPT.test(value)) problems.push(`${label} has script content: ${JSON.stringify(value.slice(0, 120))}`);
  return problems;
}

function recordProblems(r: ItemRecord): string[] {
  const problems: string[] = [];
  const { item } = r;
  if (item.link !== null && !/^https?:\/\//u.test(item.link)) problems.push(`link ${JSON.stringify(item.link)}`);
  if (item.link !== null) {
    try {
      const protocol = new URL(item.link).protocol;
      if (protocol !== 'http:' && protocol !== 'https:') problems.push(`link protocol ${protocol}`);
    } catch {
      problems.push(`link unparseable ${JSON.stringify(item.link)}`);
    }
  }
  problems.push(...textProblems('title', item.title), ...textProblems('text', item.text), ...textProblems('summary', r.summary));
  return problems;
}

function errorProblems(f: FeedOutcome): string[] {
  const e = f.error ?? '';
  const problems: string[] = [];
  if (e === '') problems.push('empty error');
  if (/[\r\n]/u.test(e)) problems.push('error has a line break');
  if (/\n\s+at |\bat .*\.[cm]?[jt]s:\d+/u.test(e)) problems.push('error has a stack');
  if (e.length >= 300) problems.push(`error is ${e.length} chars`);
  // Whatever an entity or include pointed at must never be echoed back.
  if (/root:|lollollollollol|AAAAAAAAAA/u.test(e)) problems.push('error leaks expanded content');
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

let server: FeedServer;
let core: Core;
let cases: Case[];
let result: CycleResult;
let elapsedMs = 0;
let peakGrowth = 0;
const byName = new Map<string, FeedOutcome>();

function fail(message: string): never {
  throw new Error(message);
}

function outcome(name: string): FeedOutcome {
  const f = byName.get(name);
  if (!f) throw new Error(`no outcome for ${name}`);
  return f;
}

function record(name: string, linkPath: string): ItemRecord | undefined {
  // Item ids are hashes; every fixture item has a distinct link path, which is easier to name.
  return outcome(name).records.find((r) => r.item.link?.includes(linkPath) ?? false);
}

beforeAll(async () => {
  server = await startFeedServer();
  const bomb = await gzipZeros(GENERATED['gzip-bomb']?.mebibytes ?? 200);
  expect(bomb.length).toBeLessThan(MiB);

  const files = readdirSync(DIR).filter((f) => f !== 'README.md' && f !== 'generated.json');
  // Every file in the folder must be in the table, so a new fixture cannot be silently skipped.
  expect(files.filter((f) => !(f in FILE_EXPECT))).toEqual([]);
  cases = files.map((file) => ({
    name: file,
    handler: staticHandler(fixtureBytes(file, server.origin), { 'content-type': CONTENT_TYPE[file] ?? 'application/rss+xml' }),
    expect: FILE_EXPECT[file] ?? { either: true },
  }));
  cases.push({ name: 'good', handler: staticHandler(Buffer.from(rss('Good wire', [EVENT_RELEASE_A]))), expect: { ok: true } });
  cases.push(...generatedCases(bomb));
  for (const c of cases) server.route(`/${c.name}`, c.handler);

  core = await buildCore(
    loadConfig({ LOG_LEVEL: 'silent', FETCH_TIMEOUT_MS: '3000', ALLOW_PRIVATE_FEEDS: 'true' }),
    silentLogger,
    { memory: true },
  );

  // Peak RSS, sampled while the cycle runs: a bomb that inflates and is freed again would not show at the end.
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    result = await runPollCycle(
      core.cycleDeps,
      cases.map((c) => server.url(`/${c.name}`)),
      { analyze: true },
    );
  } finally {
    elapsedMs = performance.now() - started;
    clearInterval(sampler);
  }
  peakGrowth = Math.max(peak, process.memoryUsage().rss) - baseline;
  for (const f of result.feeds) byName.set(decodeURIComponent(new URL(f.source).pathname.slice(1)), f);
  if (process.env['HOSTILE_REPORT']) {
    for (const f of result.feeds) {
      const name = new URL(f.source).pathname.slice(1);
      console.log(`${name}: ${f.status} ${f.error ?? `${f.entries} entries`}`);
    }
    console.log(`cycle ${Math.round(elapsedMs)} ms, peak RSS growth ${Math.round(peakGrowth / MiB)} MiB`);
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  await core?.stores.close();
});

describe('hostile feeds in one poll cycle', () => {
  it('finishes within the time bound', () => {
    expect(elapsedMs).toBeLessThan(CYCLE_BOUND_MS);
  });

  it('keeps peak RSS growth bounded', () => {
    expect(peakGrowth).toBeLessThan(RSS_GROWTH_BOUND);
  });

  it('still processes the good feed', () => {
    const good = outcome('good');
    expect(good.status).toBe('ok');
    expect(good.records).toHaveLength(1);
    expect(good.records[0]?.relevance.relevant).toBe(true);
  });

  it('serves at least 32 committed fixtures', () => {
    expect(cases.filter((c) => !['good', ...Object.keys(GENERATED)].includes(c.name)).length).toBeGreaterThanOrEqual(32);
  });

  it('never fetches what an entity, DTD, XInclude, stylesheet or xml:base points at', () => {
    expect(server.requests.filter((r) => r.path.startsWith('/exfil')).map((r) => r.path)).toEqual([]);
  });

  describe.each([...Object.keys(FILE_EXPECT), ...SERVED_GENERATED])('%s', (name) => {
    it('ends in a clear one-line error or in safe output', () => {
      const f = outcome(name);
      const c = cases.find((x) => x.name === name);
      expect(c).toBeDefined();
      const want = c?.expect;
      if (want && 'error' in want) {
        expect(f.status, `${name}: ${f.entries} entries`).toBe('error');
        expect(f.error).toMatch(want.error);
      }
      if (want && 'ok' in want) expect(f.status, `${name}: ${f.error ?? ''}`).toBe('ok');
      if (f.status === 'error') {
        expect(errorProblems(f), f.error ?? '').toEqual([]);
      } else {
        const problems = f.records.flatMap((r) => recordProblems(r).map((p) => `${r.item.title.slice(0, 60)}: ${p}`));
        expect(problems).toEqual([]);
      }
    });
  });
});

describe('specific hostile inputs', () => {
  it('reads zero-width characters out of keywords, so the item is still judged relevant', () => {
    const zw = record('zero-width-keywords.xml', '/zw1');
    expect(zw?.item.title).toBe('Police raid scam compound in Cambodia');
    expect(zw?.relevance.relevant).toBe(true);
  });

  it('reads other invisible characters (word joiner, BOM, soft hyphen) out of keywords too', () => {
    const zw = record('zero-width-keywords.xml', '/zw2');
    expect(zw?.item.title).toBe('Police raid scam compound in Cambodia');
    expect(zw?.relevance.relevant).toBe(true);
  });

  it('drops bidi overrides and controls from titles and text', () => {
    const records = ['bidi-overrides.xml', 'control-characters.xml', 'control-characters-sparse.xml'].flatMap((n) => outcome(n).records);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.item.title).not.toMatch(BIDI);
      expect(r.item.title).not.toMatch(CONTROL);
      expect(r.item.text).not.toMatch(BIDI);
      expect(r.item.text).not.toMatch(CONTROL);
    }
    expect(record('bidi-overrides.xml', '/bidi1')?.item.title).toBe('Scam compound in Cambodia gnp.exe and isolate rtl fsi');
  });

  it('keeps only http(s) links, whatever the spelling of javascript:, data: or xml:base', () => {
    const names = ['javascript-links.xml', 'data-links.xml', 'atom-javascript-links.xml', 'atom-xml-base.xml'];
    const links = names.flatMap((n) => outcome(n).records.map((r) => r.item.link));
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) if (link !== null) expect(link).toMatch(/^https?:\/\//u);
    // A relative or protocol-relative link resolves against the feed URL (http), never against xml:base.
    const relative = links.filter((l): l is string => l !== null && !l.startsWith('https://hostile.example/'));
    for (const link of relative) expect(new URL(link).protocol).toMatch(/^https?:$/u);
  });

  it('removes script, style and other executable content wrapped in CDATA or entities', () => {
    for (const name of ['cdata-script.xml', 'escaped-script.xml']) {
      for (const r of outcome(name).records) expect(`${r.item.title}\n${r.item.text}\n${r.summary}`).not.toMatch(SCRIPT);
    }
    const cdata = record('cdata-script.xml', '/cdata1');
    expect(cdata?.item.title).toBe('Scam compound raid in Cambodia');
    expect(`${cdata?.item.title}\n${cdata?.item.text}`).not.toMatch(/<\s*\/?\s*(?:script|style|iframe|noscript|svg)\b|onerror/iu);
    expect(cdata?.item.text).toMatch(/After the script\./u);
  });

  it('keeps a double-escaped tag as the literal text the publisher wrote', () => {
    // "&amp;lt;script&amp;gt;" is HTML for the visible characters "<script>": showing them is correct (an article
    // about XSS may quote a tag), and Discord rendering escapes "<". Nothing here is executable.
    expect(record('escaped-script.xml', '/esc2')?.item.title).toBe('Double <script>LITERAL</script> scam compound in Cambodia');
  });

  it('decodes non-UTF-8 feeds from their prolog when the server gives no charset', () => {
    for (const file of ['gb2312-prolog.src.xml', 'big5-prolog.src.xml', 'windows-874-prolog.src.xml', 'tis-620-prolog.src.xml', 'iso-8859-1-prolog.src.xml']) {
      expect(outcome(file).records.map((r) => r.item.title), file).toEqual(sourceTitles(file));
    }
  });

  it('decodes a UTF-8 body labelled windows-1252', () => {
    expect(outcome('utf8-labelled-windows-1252.xml').records.map((r) => r.item.title)).toEqual(sourceTitles('utf8-labelled-windows-1252.xml'));
  });

  // A `charset=utf-8` header loses to the prolog when the bytes are not UTF-8 (else "Café" turns into U+FFFD).
  it('decodes a windows-1252 body labelled UTF-8 (header lies, prolog is right)', () => {
    expect(outcome('windows-1252-labelled-utf8.src.xml').records.map((r) => r.item.title)).toEqual(
      sourceTitles('windows-1252-labelled-utf8.src.xml'),
    );
  });

  // The feed title becomes the outlet name: it is cleaned like item titles (no controls, no bidi overrides).
  it('cleans feed-level text too: the feed title becomes the outlet name shown in Discord', () => {
    const problems: string[] = [];
    for (const name of ['bidi-overrides.xml', 'control-characters.xml', 'control-characters-sparse.xml']) {
      const f = outcome(name);
      problems.push(...textProblems(`${name} feed title`, f.title ?? ''));
      for (const r of f.records) problems.push(...textProblems(`${name} outlet`, r.item.outlet));
    }
    expect(problems).toEqual([]);
  });

  it('parses and normalises 50,000 items when they get the time', () => {
    // In the cycle this feed may legitimately time out (see the report: another feed's CPU work runs on the same
    // event loop while its 3 s fetch clock ticks), so the bound on the parse itself is checked here, alone.
    const f = outcome('items-50000');
    if (f.status === 'ok') expect(f.entries).toBe(GENERATED['items-50000']?.count);
    else expect(f.error).toBe('timed out after 3 s');
  });

  it('parses 50,000 items in a bounded time outside the cycle', async () => {
    const body = manyItems(GENERATED['items-50000']?.count ?? 50_000);
    const started = performance.now();
    const parsed = await parseFeedXml(body);
    const items = parsed.entries.map((e) => normaliseEntry(e, { source: 'https://h.example/feed', outlet: 'x', outletKind: 'unknown' }));
    expect(items).toHaveLength(GENERATED['items-50000']?.count ?? 50_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  // Scoring pairs topic hits with place hits; the scan is bounded so a keyword-stuffed body costs linear time
  // (unbounded, 1 MiB of such text took 12 s and a 5 MiB item would have blocked the event loop for minutes).
  it('judges a keyword-dense item in linear time', () => {
    const size = (GENERATED['keyword-dense']?.kibibytes ?? 384) * 1024;
    const sentence = `${RELEVANT_BODY} `;
    const text = sentence.repeat(Math.ceil(size / sentence.length));
    const item = { ...(outcome('good').records[0]?.item ?? fail('no good item')), text };
    const started = performance.now();
    const verdict = core.editorial.judge(item);
    const elapsed = performance.now() - started;
    expect(verdict.relevant).toBe(true);
    // Linear scoring takes a few tens of ms for this; the quadratic one takes seconds.
    expect(elapsed).toBeLessThan(500);
  });

  it('refuses the gzip bomb and the 50 MiB body without reading them whole', () => {
    // The 50 MiB route streams with backpressure: the fetch must have stopped long before the end.
    expect(outcome('gzip-bomb').error).toMatch(/5 MiB/u);
    expect(outcome('body-50mib').error).toMatch(/5 MiB/u);
  });

  it('times out the drip feed at FETCH_TIMEOUT_MS', () => {
    expect(outcome('drip').error).toBe('timed out after 3 s');
  });
});

describe('rendering injected items for Discord', () => {
  function storyFor(name: string, linkPath: string): Story {
    const r = record(name, linkPath);
    expect(r?.relevance.relevant, `${name} ${linkPath} should be relevant`).toBe(true);
    const fromCycle = [...result.changed.values()].find((c) => r && c.story.itemIds.includes(r.item.id))?.story;
    expect(fromCycle).toBeDefined();
    return fromCycle as Story;
  }

  function embedTexts(story: Story): { prose: string[]; all: string } {
    const embed = storyEmbed(story);
    const prose = [embed.title ?? '', embed.description ?? ''];
    const all = [...prose, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]), embed.footer?.text ?? '', embed.author?.name ?? ''].join('\n');
    return { prose, all };
  }

  /** Markdown characters in `text` not escaped by an odd run of backslashes, and markdown at a line start. */
  function unescapedMarkdown(text: string): string[] {
    const found: string[] = [];
    for (const m of text.matchAll(/(\\*)([*_~`|[\]])/gu)) {
      if ((m[1]?.length ?? 0) % 2 === 0) found.push(`${m[2]} at ${m.index}`);
    }
    for (const line of text.split('\n')) if (/^\s*(?:#|>|-\s|\d+\.)/u.test(line)) found.push(`line start: ${line.slice(0, 20)}`);
    return found;
  }

  it('neutralises every mention', () => {
    for (const [name, linkPath] of [
      ['mention-injection.xml', '/m1'],
      ['markdown-injection.xml', '/md1'],
    ] as const) {
      const { all } = embedTexts(storyFor(name, linkPath));
      expect(all).not.toMatch(/@(?:everyone|here)/u);
      expect(all).not.toMatch(/<[@#]/u);
      expect(all).not.toMatch(/<@[!&]?\d/u);
    }
  });

  it('escapes markdown in the title and summary, and never lets an injected link through', () => {
    const story = storyFor('markdown-injection.xml', '/md1');
    const { prose, all } = embedTexts(story);
    for (const text of prose) expect(unescapedMarkdown(text)).toEqual([]);
    expect(all).not.toContain('[click](https://evil.example)');
    expect(all).not.toContain('**bold**');
    expect(all).not.toContain('||spoiler||');
    expect(all).not.toMatch(/^# big/mu);
  });
});
