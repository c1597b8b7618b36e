// Sentence splitting with offsets, so callers (figures, summaries) can quote exact substrings of the source.
// Rule-based on purpose: it must be cheap (thousands of items a second) and predictable on the scripts our
// outlets use (Latin, Khmer, Thai, Han, Hangul, Vietnamese).

export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

// Terminators that end a sentence wherever they stand: CJK full-width marks and the Khmer khan / bariyoosan
// are written without a following space, so requiring whitespace after them would never split.
const HARD_MARKS = '。！？។៕｡‼⁇';
// Terminators that end a sentence only before whitespace (see softBoundary).
const SOFT_MARKS = '.!?…؟';
// Closing quotes and brackets that belong to the sentence they follow (`."`, `.)`, `?»`).
const CLOSERS = '"\'”’)\\]}»›」』）】〉》';
const HARD_RE = new RegExp(`[${HARD_MARKS}]`, 'u');

// Abbreviations after which a period never ends a sentence (titles, ranks, Latin shorthand).
const NEVER_SPLIT = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cpt', 'sgt', 'cmdr', 'adm', 'gov',
  'sen', 'rep', 'rev', 'hon', 'pres', 'st', 'mt', 'ft', 'e.g', 'i.e', 'vs', 'v', 'cf', 'al', 'approx', 'est',
  'pol', 'h.e', 'fig', 'ref', 'vol', 'pp', 'p', 'art', 'sec', 'para', 'ch', 'jr', 'sr',
]);
// Abbreviations that may also close a sentence ("…sanctioned by the U.S. The move…"): split only when the
// next word is a typical sentence opener, otherwise keep going ("the U.S. Treasury said").
const MAYBE_SPLIT = new Set([
  'u.s', 'u.k', 'u.n', 'e.u', 'inc', 'ltd', 'co', 'corp', 'bros', 'etc', 'no', 'nos',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'a.m', 'p.m',
]);
const SENTENCE_OPENERS = new Set([
  'the', 'a', 'an', 'it', 'its', 'he', 'she', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those',
  'his', 'her', 'their', 'our', 'in', 'on', 'at', 'but', 'and', 'however', 'meanwhile', 'according', 'after',
  'as', 'since', 'while', 'when', 'some', 'many', 'more', 'most', 'there', 'officials', 'police', 'authorities',
]);

// Scripts written without spaces between words.
const THAI = /\p{Script=Thai}/gu;
const LETTER = /\p{L}/gu;
const HAS_THAI = /\p{Script=Thai}/u;
// A Thai line longer than this is split at spaces (Thai marks clause/sentence breaks with a space but also
// uses spaces around numbers and names, so stay conservative).
const THAI_MAX_CHUNK = 160;

// A run of terminators ("?!", "...", "。」") and, as a second group, any closers after it, found in one regex
// scan. ".", "!", "?", "…" only end a sentence when whitespace follows (see softBoundary): a "." inside
// "12.5", "US$1.2" or "theguardian.com" is not an ending.
const TERMINATOR_RE = new RegExp(`([${SOFT_MARKS}${HARD_MARKS}]+)([${CLOSERS}]*)`, 'gu');

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u0085]/g;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/u.test(ch);
}

// Module constants, not literals in the functions below: see docs/decisions/0005-hot-path-under-tsx.md.
const LOWER_RE = /\p{Ll}/u;
const UPPER_RE = /\p{Lu}/u;
const ONE_LETTER_RE = /^\p{L}$/u;
const NUMBER_RE = /\p{N}/u;
const THAI_CHAR_RE = /\p{Script=Thai}/u;

/** The word (letters and inner dots) immediately before `end`, lowercased, e.g. "u.s" for "U.S.". */
function wordBefore(line: string, end: number): string {
  let i = end;
  while (i > 0) {
    const ch = line[i - 1] ?? '';
    if (/[\p{L}\p{M}.]/u.test(ch)) i -= 1;
    else break;
  }
  return line.slice(i, end).replace(/^\.+/u, '').toLowerCase();
}

/** The next word after position `from`, skipping spaces and opening quotes. */
function nextWord(line: string, from: number): { word: string; first: string } {
  let i = from;
  while (i < line.length && /[\s"'“‘([«]/u.test(line[i] ?? '')) i += 1;
  const m = /^[\p{L}\p{N}\p{M}]+/u.exec(line.slice(i, i + 40));
  return { word: (m?.[0] ?? '').toLowerCase(), first: line[i] ?? '' };
}

/**
 * Decide whether a soft terminator run `lastTerm` starting at `termStart`, with its closers ending at `after`
 * (exclusive), closes the sentence.
 */
function softBoundary(line: string, termStart: number, after: number, lastTerm: string): boolean {
  if (after < line.length && !isSpace(line[after])) return false;
  const { word: next, first } = nextWord(line, after);
  if (first === '') return true; // end of line
  const onlyPeriod = lastTerm === '.';
  // A lower-case continuation after "." or "…" is almost always an abbreviation or an ellipsis mid-sentence.
  const lowerNext = LOWER_RE.test(first);
  if (onlyPeriod) {
    const w = wordBefore(line, termStart);
    if (NEVER_SPLIT.has(w)) return false;
    // Initials: "J. Smith", "R. (2026".
    if (ONE_LETTER_RE.test(w) && w.length === 1 && UPPER_RE.test(line[termStart - 1] ?? '')) return false;
    if (MAYBE_SPLIT.has(w)) {
      if (NUMBER_RE.test(first)) return false; // "Jan. 21", "No. 5"
      return SENTENCE_OPENERS.has(next);
    }
    if (lowerNext) return false;
    return true;
  }
  if (/…|\.\.\./u.test(lastTerm) && lowerNext) return false;
  return true;
}

/** Split one line (no line breaks inside) into sentence spans relative to `offset`. */
function splitLine(line: string, offset: number, out: SentenceSpan[]): void {
  let segStart = 0;
  const push = (s: number, e: number): void => {
    // Trim whitespace but keep offsets exact.
    while (s < e && isSpace(line[s])) s += 1;
    while (e > s && isSpace(line[e - 1])) e -= 1;
    if (e > s) out.push({ text: line.slice(s, e), start: offset + s, end: offset + e });
  };
  TERMINATOR_RE.lastIndex = 0;
  for (let m = TERMINATOR_RE.exec(line); m !== null; m = TERMINATOR_RE.exec(line)) {
    const i = m.index;
    const j = i + m[0].length;
    const marks = m[1] ?? '';
    if (HARD_RE.test(marks) || softBoundary(line, i, j, marks)) {
      push(segStart, j);
      segStart = j;
    }
  }
  push(segStart, line.length);
}

/** Conservative split of a long Thai span at spaces, so chunks stay readable but words are never cut. */
function splitThai(span: SentenceSpan, out: SentenceSpan[]): void {
  // Cheap checks first: only long spans that are mostly Thai are candidates.
  if (span.text.length <= THAI_MAX_CHUNK || !HAS_THAI.test(span.text)) {
    out.push(span);
    return;
  }
  const letters = span.text.match(LETTER)?.length ?? 0;
  const thai = span.text.match(THAI)?.length ?? 0;
  if (letters === 0 || thai / letters < 0.5) {
    out.push(span);
    return;
  }
  let chunkStart = 0;
  const t = span.text;
  for (let k = 0; k < t.length; k += 1) {
    if (t[k] !== ' ' || k - chunkStart < THAI_MAX_CHUNK) continue;
    // Only break between two Thai characters: a space next to a digit or Latin word is part of a phrase.
    if (!THAI_CHAR_RE.test(t[k - 1] ?? '') || !THAI_CHAR_RE.test(t[k + 1] ?? '')) continue;
    out.push({ text: t.slice(chunkStart, k), start: span.start + chunkStart, end: span.start + k });
    chunkStart = k + 1;
  }
  if (chunkStart < t.length) {
    out.push({ text: t.slice(chunkStart), start: span.start + chunkStart, end: span.end });
  }
}

/**
 * Split `text` into sentences. Every span's `text` equals `input.slice(start, end)`; whitespace between
 * sentences is left out. A line break always ends a sentence, so headings stand alone.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let lineStart = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(text); m !== null; m = LINE_BREAK.exec(text)) {
    splitLine(text.slice(lineStart, m.index), lineStart, spans);
    lineStart = m.index + m[0].length;
  }
  splitLine(text.slice(lineStart), lineStart, spans);
  const out: SentenceSpan[] = [];
  for (const s of spans) splitThai(s, out);
  return out;
}
