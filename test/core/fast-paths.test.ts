// The shortcuts taken for the common case (plain ASCII, already-clean text, UTC dates) must give exactly what
// the general path gives. Each test compares the two on inputs chosen to sit on the edges between them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/core/dates.js';
import { cleanText, decodeEntities, htmlToLine, htmlToText, isKnownPlainAscii } from '../../src/core/html.js';
import { canonicalLink } from '../../src/core/item.js';
import { detectItemLanguage, detectLanguage } from '../../src/core/lang.js';
import { createRelevanceScorer, normaliseForMatching, type RelevanceInput } from '../../src/core/relevance.js';
import { cambodiaScamCompounds } from '../../src/topics/cambodia-scam-compounds.js';
import { rng } from '../support/random.js';

/** The project's labelled relevance items: varied titles and bodies in several languages. */
const relevanceFixtures = (
  JSON.parse(readFileSync(new URL('../fixtures/relevance/items.json', import.meta.url), 'utf8')) as { items: RelevanceInput[] }
).items;

/** `count` strings, each 1 to `maxParts` pieces drawn at random (seeded) and joined. */
function* randomMixes(pieces: readonly string[], seed: number, count: number, maxParts: number): Generator<string> {
  const next = rng(seed);
  for (let n = 0; n < count; n++) {
    const parts: string[] = [];
    const length = 1 + Math.floor(next() * maxParts);
    for (let i = 0; i < length; i++) parts.push(pieces[Math.floor(next() * pieces.length)] ?? '');
    yield parts.join('');
  }
}

/** cleanText as it was written before the quick tests: every pass, always. */
function cleanTextReference(s: string): string {
  return s
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
    .replace(/[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '')
    .replace(/[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

describe('cleanText quick path', () => {
  const pieces = [
    'word', 'Cambodia', ' ', ' ', '  ', '\n', '\n\n', ' \n', '\n ', '\t', '\r\n', '\r', '\u00A0', '\u200B', '\u202E',
    '\u2028', '\u2029', '\u0007', '\u0085', '\u3000', 'é', 'ស', '£', '.', '-',
  ];

  it('gives what every pass in turn gives, on 3,000 random mixes of spaces, breaks and invisible characters', () => {
    for (const input of randomMixes(pieces, 42, 3000, 12)) {
      expect(cleanText(input), JSON.stringify(input)).toBe(cleanTextReference(input));
    }
  });

  it('returns clean text unchanged and only trims its ends', () => {
    expect(cleanText('A clean line.\nAnother one.')).toBe('A clean line.\nAnother one.');
    expect(cleanText('\nEdges only \n')).toBe('Edges only');
  });

  it('folds line and paragraph separators like line breaks, so titles come out on one line', () => {
    expect(cleanText('one\u2028two\u2029\u2029three')).toBe('one\ntwo\nthree');
    expect(htmlToLine('Raid\u2028in <b>Bavet</b>\n\n frees 200')).toBe('Raid in Bavet frees 200');
  });

  it('still unwraps CDATA, drops comments, scripts and processing instructions behind the one special-markup test', () => {
    expect(htmlToText('<p>A<![CDATA[ raid ]]>B</p><!-- note --><?php echo 1 ?><script>alert(1)</script>C')).toBe('A raid B\nC');
    expect(htmlToText('<P>Plain <EM>markup</EM></P>')).toBe('Plain markup');
  });
});

/** htmlToText as it was written before the tag walk: the special passes when one test finds any, then a regex replace. */
function htmlToTextReference(html: string): string {
  if (!html) return '';
  let s = html;
  if (s.includes('&amp;')) s = s.replace(/&amp;(#\d{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{1,31};)/g, '&$1');
  const hidden = 'script|style|noscript|template|iframe|object|svg';
  if (s.includes('<')) {
    if (new RegExp(`<(?:[!?]|(?:${hidden})\\b)`, 'i').test(s)) {
      s = s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
      s = s.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
      s = s.replace(new RegExp(`<(${hidden})\\b[^>]*>[\\s\\S]*?(?:<\\/\\1\\s*>|$)`, 'gi'), ' ');
      s = s.replace(/<[!?][^>]*>/g, ' ');
    }
    const block = new Set('p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table thead tbody section article aside header footer pre hr figure figcaption dl dt dd address main nav center'.split(' '));
    const spaced = new Set(['td', 'th', 'img', 'input', 'button', 'label']);
    s = s.replace(/<\/?([A-Za-z][A-Za-z0-9]*)\b[^>]*>/g, (_tag, name: string) => {
      const n = name.toLowerCase();
      return block.has(n) ? '\n' : spaced.has(n) ? ' ' : '';
    });
  }
  return cleanText(decodeEntities(s));
}

describe('htmlToText tag walk', () => {
  const pieces = [
    'word', 'Raid', ' ', '\n', 'é', '’', '_', '/', '<', '>', '"', '=', '&amp;', '&lt;b&gt;', '&#8220;',
    '<p>', '</P>', '<br/>', '<BR >', '<b class="x">', '</b>', '<td>', '</ td>', '<h1>', '<1>', '<a_b>', '<a href="/x?a=1&b=2">',
    '</a>', '<img src=x>', '<script>', '</script>', '<SCRIPT type="t">', '<scripts>', '<script_x>', '<scripté>', '</style>',
    '<style', '<svg/>', '<iframe', '<!-- c -->', '<!--', '-->', '<!x>', '<!DOCTYPE html>', '<?p ?>', '<![CDATA[ x ]]>',
    '<a title="<script">', '<a title="<!x">', '<a title="<b>">', '<span title="<p>">', '<div\nclass=y>',
  ];

  it('gives what the regex passes give, on 5,000 random mixes of tags, specials and text', () => {
    for (const input of randomMixes(pieces, 7, 5000, 10)) {
      expect(htmlToText(input), JSON.stringify(input)).toBe(htmlToTextReference(input));
    }
  });

  it('finds a special element even inside an attribute, as the special passes do', () => {
    expect(htmlToText('<a title="<script">x</a>Shown')).toBe(htmlToTextReference('<a title="<script">x</a>Shown'));
    expect(htmlToText('<p>Seen</p><p>Also <i>seen</i>, <x_y> kept</p>')).toBe('Seen\nAlso seen, <x_y> kept');
    // A name running to the end of the text (charCodeAt past the end is NaN, never a letter or digit).
    expect(htmlToText('Ends with <b')).toBe('Ends with <b');
    expect(htmlToText('Ends with <b1')).toBe('Ends with <b1');
  });
});

describe('relevance on plain text (ASCII, curly quotes, dashes, currency signs) as written', () => {
  const score = createRelevanceScorer(cambodiaScamCompounds);
  const scoreAdjacent = createRelevanceScorer(cambodiaScamCompounds, { includeAdjacent: true });
  // A trailing accented word that no term contains sends the same text down the general (NFKC) path.
  const viaGeneralPath = (i: RelevanceInput): RelevanceInput => ({ ...i, text: `${i.text} é` });

  const variants: RelevanceInput[] = [
    { title: 'PIG-BUTCHERING ring raided', text: 'Police in PHNOM  PENH freed 40 workers.' },
    { title: 'Scam\tcompound shut', text: 'The scam - compound near Sihanoukville was closed after a raid.' },
    { title: 'Cyber-scam crackdown', text: 'Officers in Poipet -- near the border -- arrested 12 people at a fraud   centre.' },
    { title: 'Hotel prices rise in Siem Reap', text: 'Tourism officials expect more visitors this year.' },
    { title: 'Phone scam warning', text: 'Callers pretend to be from a bank; no place named.' },
    { title: 'Nothing here', text: 'Weather: sunny with light winds.' },
    // An underscore ends a word for the matcher but not for a regex \b.
    { title: 'Tags', text: 'Filed under #_pig-butchering and #_Sihanoukville.' },
    // Dashes fold like hyphens; quotes and currency signs are not letters.
    { title: 'Pig\u2013butchering ring raided', text: '\u201cWe were sold,\u201d one said in Phnom\u2014Penh, after paying \u00a3900 \u2022 \u20ac1,000.' },
    { title: 'Scam \u2212 compound', text: '\u00abFraud\u2010centre\u00bb near O\u2019Smach \u00d7 Poipet, 30\u00b0C \u00a9 \u00ae.' },
  ];
  // Every fixture again with its straight quotes curled and its hyphens turned into dashes.
  const curled = [...relevanceFixtures, ...variants].map((i) => {
    const curl = (t: string): string => t.replace(/'/g, '\u2019').replace(/"/g, '\u201c').replace(/-/g, '\u2013');
    return { title: curl(i.title), text: curl(i.text) };
  });

  it('gives the same verdict, score and reasons as the general path for every fixture and separator variant', () => {
    const all = [...relevanceFixtures, ...variants, ...curled];
    expect(all.length).toBeGreaterThan(120);
    for (const item of all) {
      expect(score(item), item.title).toEqual(score(viaGeneralPath(item)));
      expect(scoreAdjacent(item), item.title).toEqual(scoreAdjacent(viaGeneralPath(item)));
    }
  });

  it('gives the same verdict, score and reasons as the general path on 3,000 random items built from profile terms', () => {
    const p = cambodiaScamCompounds;
    // Latin-script terms only: the others never match plain text. Random case, word endings after `*` terms,
    // separators single and in runs, sentence ends, filler words and the plain symbols around them.
    const terms = [
      ...p.anchors, ...p.industry, ...p.scamWords, ...p.actions, ...p.negatives,
      ...p.entities.flatMap((e) => e.terms), ...p.adjacent.flatMap((a) => a.terms),
    ].filter((t) => /^[\x20-\x7e]+$/.test(t));
    expect(terms.length).toBeGreaterThan(60);
    const next = rng(20261203);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const casing = (t: string): string => {
      const r = next();
      return r < 0.5 ? t : r < 0.7 ? t.toUpperCase() : t.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
    };
    const word = (): string => {
      if (next() < 0.12) {
        const t = pick(terms);
        const base = t.endsWith('*') ? `${t.slice(0, -1)}${pick(['', 'ing', 's', 'ers', '_x'])}` : t;
        return casing(base).replace(/ /g, () => pick([' ', ' ', '-', '\u2013', '\t', '  ', ' - ']));
      }
      return pick(['the', 'police', 'said', 'on', 'Monday', 'workers', '40', '\u00a3900', '\u201cwe\u201d', 'O\u2019Smach', 'x', 'scampi']);
    };
    const separator = (): string => pick([' ', ' ', ' ', ' ', '-', '. ', '! ', ', ', '\n', ' \u2014 ', '--', '\u2212', '? ', '.\u2013']);
    const sentence = (words: number): string => Array.from({ length: words }, word).map((w, i) => (i === 0 ? w : separator() + w)).join('');
    let relevant = 0;
    for (let n = 0; n < 3_000; n++) {
      const item = { title: sentence(1 + Math.floor(next() * 6)), text: sentence(Math.floor(next() * 140)) };
      const verdict = score(item);
      if (verdict.relevant) relevant++;
      expect(verdict, JSON.stringify(item)).toEqual(score(viaGeneralPath(item)));
      if (n % 3 === 0) expect(scoreAdjacent(item), JSON.stringify(item)).toEqual(scoreAdjacent(viaGeneralPath(item)));
    }
    // Both kinds of verdict were compared, the paired ones (sentence placement) included.
    expect(relevant).toBeGreaterThan(300);
    expect(relevant).toBeLessThan(2_700);
  });

  it('normalises text with any one character up to U+FFFF as NFKC, lower-casing, separator and apostrophe folding would', () => {
    const reference = (t: string): string =>
      t
        .normalize('NFKC')
        .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
        .toLowerCase()
        .replace(/[\p{Zs}\t\u2010-\u2015\u2212-]+/gu, ' ')
        .replace(/[\u2018\u2019\u02bc]/gu, "'");
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const text = `Raid - in ${String.fromCharCode(cp)} Bavet  now`;
      if (normaliseForMatching(text) !== reference(text)) expect(normaliseForMatching(text), `U+${cp.toString(16)}`).toBe(reference(text));
    }
  });

  it('keeps whole-word matching right for a profile term that starts with a symbol', () => {
    const profile = { ...cambodiaScamCompounds, industry: [...cambodiaScamCompounds.industry, '\u20acfraud'] };
    const item = { title: 'Ring busted', text: 'They ran a \u20acfraud ring out of Phnom Penh.' };
    const scoreSymbol = createRelevanceScorer(profile);
    expect(scoreSymbol(item)).toEqual(scoreSymbol(viaGeneralPath(item)));
    expect(scoreSymbol(item).relevant).toBe(true);
  });

  it('still finds hyphenated, tabbed and doubly spaced terms in any case', () => {
    expect(score(variants[0] as RelevanceInput).relevant).toBe(true);
    expect(score(variants[1] as RelevanceInput).relevant).toBe(true);
    expect(score(variants[5] as RelevanceInput).score).toBe(0);
    expect(score(variants[6] as RelevanceInput).relevant).toBe(true);
    expect(score(variants[7] as RelevanceInput).relevant).toBe(true);
    expect(score(variants[8] as RelevanceInput).relevant).toBe(true);
  });
});

describe('language detection shortcuts', () => {
  it('reads English with pound signs, curly quotes and dashes as English without the script pass', () => {
    expect(detectLanguage('Pensioner loses £26,000 – the bank’s “safe account” was a trap, and police said the callers were in another country.')).toBe('en');
  });

  it('still tells scripts apart when a non-Latin script is present among Latin words', () => {
    expect(detectLanguage('Prince Group ប៉ូលិសបានជួយសង្គ្រោះពលករបរទេសនៅក្រុងព្រះសីហនុ')).toBe('km');
    expect(detectLanguage('ตำรวจไทยช่วยเหลือแรงงานจากแก๊งคอลเซ็นเตอร์ in Poipet')).toBe('th');
  });

  it('keeps accented Latin text on the full word scan (Vietnamese letters, Spanish function words)', () => {
    expect(detectLanguage('Cảnh sát đã giải cứu những người lao động và đưa họ về nước')).toBe('vi');
    expect(detectLanguage('La policía liberó a los trabajadores que estaban retenidos en el complejo según las autoridades')).toBe('es');
  });

  it('reads an item from its title and body as from the two joined by a line break', () => {
    const english = 'the police said that workers were freed and they will be sent home. ';
    const cases: Array<[string, string]> = [
      ...relevanceFixtures.map((i): [string, string] => [i.title, i.text]),
      // Titles around the sample length, and a word cut where the sample ends.
      ...[398, 399, 400, 401, 450].map((n): [string, string] => [english.repeat(8).slice(0, n), 'Die Polizei hat die Arbeiter befreit und nach Hause geschickt.']),
      ...[0, 1, 5, 40].map((n): [string, string] => ['Raid', `${'x'.repeat(394 - n)} the the the ${english}`]),
      ['', english],
      [english, ''],
    ];
    expect(cases.length).toBeGreaterThan(60);
    for (const [title, body] of cases) {
      for (const hint of [null, 'es', 'cs']) {
        expect(detectItemLanguage(title, body, hint), title).toBe(detectLanguage(`${title}\n${body}`, hint));
      }
    }
  });

  it('caches feed hints per hint, so two feeds with different hints do not share an answer', () => {
    expect(detectLanguage('12345', 'IT-it')).toBe('it');
    expect(detectLanguage('12345', 'fr-FR')).toBe('fr');
    expect(detectLanguage('12345', 'IT-it')).toBe('it');
    expect(detectLanguage('12345', 'xx-')).toBe('xx');
    expect(detectLanguage('12345', '--')).toBe('und');
  });
});

describe('texts cleanText already found ASCII', () => {
  const score = createRelevanceScorer(cambodiaScamCompounds);
  /** Two other texts through cleanText, so the item's own are no longer remembered. */
  const forget = (): void => {
    cleanText('forget one');
    cleanText('forget two');
  };

  it('remembers only the last two printable ASCII results, by value', () => {
    const title = cleanText(' Raid in Bavet ');
    const body = cleanText('Police freed 40 workers.');
    expect(isKnownPlainAscii(title) && isKnownPlainAscii(body)).toBe(true);
    expect(isKnownPlainAscii('Police freed 40 workers.')).toBe(true);
    cleanText('Another text');
    expect(isKnownPlainAscii(title)).toBe(false);
    const accented = cleanText('Café in Kampot');
    expect(isKnownPlainAscii(accented)).toBe(false);
    expect(isKnownPlainAscii(cleanText('Tab\there'))).toBe(false);
  });

  it('gives relevance and language the answers they find by reading the text, on every fixture', () => {
    for (const item of relevanceFixtures) {
      const title = cleanText(item.title);
      const text = cleanText(item.text);
      const remembered = { verdict: score({ title, text }), language: detectItemLanguage(title, text, null) };
      forget();
      const read = { verdict: score({ title, text }), language: detectItemLanguage(title, text, null) };
      expect(remembered, item.title).toEqual(read);
    }
  });
});

describe('links already canonical', () => {
  /** What canonicalLink gives, through the URL parser, for a link without query, fragment or credentials. */
  const viaParser = (link: string): string | null => {
    try {
      const url = new URL(link);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  };
  const schemes = ['http', 'https', 'https', 'HTTP', 'Https'];
  const labels = ['example', 'news', 'a-b', 'org', 'com', 'xn--mnchen-3ya', 'xn--zz', '123', '0x7f', '08', 'EXAMPLE', 'ex_ample', 'b', ''];
  const segments = ['', '.', '..', 'a', '2026-01-02', 'x~y', '%41', 'A_b', '.hidden', 'x.y', '%2e', 'slug-123', 'é', ' '];

  it('are kept as written exactly when the URL parser would write them the same, on 5,000 random links', () => {
    const next = rng(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    for (let n = 0; n < 5000; n++) {
      const host = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(labels)).join('.') + (next() < 0.1 ? '.' : '');
      const port = next() < 0.1 ? ':8080' : '';
      const path = Array.from({ length: Math.floor(next() * 4) }, () => pick(segments)).join('/');
      const link = `${pick(schemes)}://${host}${port}${next() < 0.9 ? '/' : ''}${path}${next() < 0.2 ? '/' : ''}`;
      expect(canonicalLink(link), link).toBe(viaParser(link));
    }
  });
});

describe('UTC dates written out without a Date', () => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');

  it('agrees with Date on 2,000 random RFC 822 dates in GMT and with offsets, with and without weekday and seconds', () => {
    const next = rng(7);
    const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    for (let n = 0; n < 2000; n++) {
      const y = 1970 + Math.floor(next() * 230);
      const mo = Math.floor(next() * 12);
      const d = 1 + Math.floor(next() * 28);
      const h = Math.floor(next() * 24);
      const mi = Math.floor(next() * 60);
      const s = Math.floor(next() * 60);
      const zone = next() < 0.5 ? 'GMT' : `${next() < 0.5 ? '+' : '-'}${two(Math.floor(next() * 14))}${next() < 0.5 ? '00' : '30'}`;
      const weekday = next() < 0.5 ? `${weekdays[Math.floor(next() * 7)]}, ` : '';
      const seconds = next() < 0.8 ? `:${two(s)}` : '';
      const text = `${weekday}${d} ${months[mo]} ${y} ${two(h)}:${two(mi)}${seconds} ${zone}`;
      expect(parseDate(text), text).toBe(new Date(Date.parse(text)).toISOString());
    }
  });

  it('rejects days a month does not have, and knows leap years', () => {
    expect(parseDate('Thu, 29 Feb 2024 10:00:00 GMT')).toBe('2024-02-29T10:00:00.000Z');
    expect(parseDate('Sat, 29 Feb 2025 10:00:00 GMT')).toBeNull();
    expect(parseDate('Thu, 29 Feb 2100 10:00:00 GMT')).toBeNull();
    expect(parseDate('Tue, 29 Feb 2000 10:00:00 GMT')).toBe('2000-02-29T10:00:00.000Z');
    expect(parseDate('31 Apr 2026 10:00:00 GMT')).toBeNull();
  });

  it('leaves the edge of the day and leap seconds to Date', () => {
    expect(parseDate('Mon, 16 Nov 2026 24:00:00 GMT')).toBe('2026-11-17T00:00:00.000Z');
    expect(parseDate('Wed, 31 Dec 2026 23:59:60 GMT')).toBe('2026-12-31T23:59:59.000Z');
    expect(parseDate('Mon, 16 Nov 2026 12:00:00 +0700')).toBe('2026-11-16T05:00:00.000Z');
  });
});
