// Relevance: is this item about the topic of a profile, how strongly, and why (or why not)?
//
// The scorer is compiled once per profile. Most feed items are irrelevant, so the common path is one
// native regex test over the normalised title + text; only items that contain an anchor, an industry
// term or a named operator are segmented and scored. Pure: no I/O.

import type { TopicProfile } from '../topics/profile.js';
import type { RelevanceVerdict } from './types.js';
import { isKnownPlainAscii } from './html.js';

export interface RelevanceOptions {
  /** Count the same industry in neighbouring countries (Myanmar, Laos, the Philippines). Default false. */
  includeAdjacent?: boolean;
  /** Score at or above which an item is relevant. Default 0.5. */
  threshold?: number;
}

export interface RelevanceInput {
  title: string;
  text: string;
  /** Not needed for matching (terms of every language are tried); kept for callers and future tuning. */
  language?: string;
}

export type RelevanceScorer = (input: RelevanceInput) => RelevanceVerdict;

type Group = 'entity' | 'industry' | 'anchor' | 'adjacent' | 'scam' | 'action' | 'negative' | 'mask';

interface Term {
  /** The term as the profile spells it, without the trailing `*`: what reasons quote. */
  display: string;
  group: Group;
  /** Country of an adjacent place, kind of an entity; empty otherwise. */
  label: string;
  /** Trailing `*`: the word may continue ("scam*" → "scammers"). */
  prefix: boolean;
  /** Latin-like terms must stand as whole words; Han/Hangul/Thai/Khmer terms match as substrings. */
  wholeWord: boolean;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  term: Term | undefined;
}

interface Hit {
  term: Term;
  start: number;
  end: number;
  sentence: number;
  inTitle: boolean;
  /** Offset inside the body (0 for title hits): a body hit near the top is close to the title. */
  bodyOffset: number;
  /** What reasons quote: the profile's spelling, or the whole matched word for a `*` term. */
  shown: string;
}

type Closeness = 'sentence' | 'passage' | 'far';

/** A profile list with the role and label its terms get. */
type TermSource = [group: Group, terms: readonly string[], label: string];

// Weights. A pair is a topic signal (industry term, operator, or generic scam word) plus an anchor.
const PAIR_SCORE: Record<'strong' | 'weak', Record<Closeness, number>> = {
  strong: { sentence: 0.9, passage: 0.8, far: 0.6 },
  weak: { sentence: 0.75, passage: 0.6, far: 0.3 },
};
const ENTITY_ALONE = 0.45;
const STRONG_WITHOUT_ANCHOR = 0.35;
const WEAK_WITHOUT_ANCHOR = 0.15;
const ADJACENT_EXCLUDED_CAP = 0.3;
const ANCHOR_ALONE = 0.1;
const TITLE_BOTH_BONUS = 0.1;
const TITLE_ONE_BONUS = 0.05;
const ACTION_BONUS = 0.05;
const CORROBORATION_BONUS = 0.05;
const NEGATIVE_FIRST = 0.4;
const NEGATIVE_MORE = 0.15;
const NEGATIVE_CAP = 0.5;

// Distances in characters of normalised text. A "sentence" is also capped by length because Thai and
// Khmer paragraphs often carry no sentence punctuation at all.
const SENTENCE_GAP = 250;
const PASSAGE_GAP = 400;
const NEIGHBOUR_SENTENCE_GAP = 1200;
/** A body hit this close to the top is read together with the title (the lead restates the headline). */
const LEAD_LENGTH = 600;

const MAX_LISTED = 3;

// ---------------------------------------------------------------------------------------------------
// Normalisation: the same function runs over profile terms and item text, so both sides agree even
// where NFKC rewrites characters (Thai SARA AM, full-width Latin, compatibility ideographs).

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
// Hyphens, dashes and spaces are folded so "pig-butchering", "pig–butchering" and "pig  butchering" agree.
const SEPARATORS = /[\p{Zs}\t\u2010-\u2015\u2212-]+/gu;

// "Plain" text: ASCII, and characters normalisation leaves alone (no letters or digits, unchanged by NFKC and
// by case, not invisible: pound, euro, degree, curly quotes, guillemets, bullets), plus the dashes, which it
// folds like hyphens. Most English news is plain, curly quotes and all; it needs no NFKC.
const DASHES = '\u2010-\u2015\u2212';
const NOT_PLAIN = new RegExp(`[^\\u0000-\\u007f\u00a3\u00a9\u00ab\u00ae\u00b0\u00bb\u00d7\u2018\u2019\u201c\u201d\u2022\u20ac${DASHES}]`);
/** One plain-text separator as a regex pattern: where a text has no run of them, folding maps each to one space. */
const PLAIN_ONE_SPACE = `[ \\t${DASHES}-]`;
/** A run of plain-text separators as a regex pattern: what SEPARATORS folds there. */
const PLAIN_SPACE = `${PLAIN_ONE_SPACE}+`;
/** A tab, hyphen or dash; with a double space, what folding changes. (One class and an includes are quicker than one alternation.) */
const PLAIN_SEPARATOR_TEST = new RegExp(`[\\t${DASHES}-]`);
const PLAIN_SEPARATORS = new RegExp(`${PLAIN_ONE_SPACE}{2,}|${PLAIN_SEPARATOR_TEST.source}`, 'g');
/** Two separators in a row: folding would shorten the text there, so positions in it would move. */
const PLAIN_SEPARATOR_RUN = new RegExp(`${PLAIN_ONE_SPACE}{2}`);

/** Plain text, lower-cased, with separators folded as SEPARATORS would: a copy only when one needs folding. */
function foldPlainSeparators(lower: string): string {
  return PLAIN_SEPARATOR_TEST.test(lower) || lower.includes('  ') ? lower.replace(PLAIN_SEPARATORS, ' ') : lower;
}

/** Typographic apostrophes, read as "'" so "O’Smach" matches "O'Smach" (one character for one: offsets hold). */
const CURLY_APOSTROPHE = /[\u2018\u2019\u02bc]/;
const CURLY_APOSTROPHES = new RegExp(CURLY_APOSTROPHE.source, 'g');

function hasCurlyApostrophe(s: string): boolean {
  return CURLY_APOSTROPHE.test(s);
}

function foldApostrophes(s: string): string {
  return hasCurlyApostrophe(s) ? s.replace(CURLY_APOSTROPHES, "'") : s;
}

/**
 * normaliseForMatching of text already known to be plain and without typographic apostrophes (the scorer sends
 * text that has them down the general path).
 */
function normalisePlain(s: string): string {
  return foldPlainSeparators(s.toLowerCase());
}

export function normaliseForMatching(s: string): string {
  // NFKC, invisible characters and case folding change nothing in plain text but the letters' case.
  if (!NOT_PLAIN.test(s)) return foldApostrophes(normalisePlain(s));
  return foldApostrophes(s.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(SEPARATORS, ' '));
}

const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hangul}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Does this code point continue a Latin-like word? Letters of space-less scripts do not: a Latin
 *  name written straight after Thai or Chinese text still stands as a word. */
function continuesWord(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a);
  const ch = String.fromCodePoint(cp);
  return WORD_CHAR.test(ch) && !NO_SPACE_SCRIPT.test(ch);
}

function boundaryBefore(text: string, index: number): boolean {
  if (index === 0) return true;
  let cp = text.charCodeAt(index - 1);
  if (cp >= 0xdc00 && cp <= 0xdfff && index >= 2) cp = text.codePointAt(index - 2) ?? cp;
  return !continuesWord(cp);
}

function boundaryAfter(text: string, index: number): boolean {
  const cp = text.codePointAt(index);
  return cp === undefined || !continuesWord(cp);
}

// ---------------------------------------------------------------------------------------------------
// Compilation: terms go into a trie (code point → node). The trie gives (a) a prefix-factored regex
// that the engine runs natively to find candidate positions, and (b) a longest-match walk at those
// positions where whole-word rules are checked in code (regex lookarounds cannot fall back to a
// shorter term when the longest one fails its boundary).

function addTerm(root: TrieNode, raw: string, group: Group, label: string): void {
  const trimmed = raw.trim();
  const prefix = trimmed.endsWith('*');
  const display = prefix ? trimmed.slice(0, -1).trim() : trimmed;
  const key = normaliseForMatching(display);
  if (key.length === 0) return;
  let node = root;
  for (const ch of key) {
    const cp = ch.codePointAt(0) ?? 0;
    let child = node.next.get(cp);
    if (child === undefined) {
      child = { next: new Map(), term: undefined };
      node.next.set(cp, child);
    }
    node = child;
  }
  // First writer wins: groups are added strongest first, so a term listed twice keeps its stronger role.
  if (node.term === undefined) {
    node.term = { display, group, label, prefix, wholeWord: !NO_SPACE_SCRIPT.test(key) };
  }
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Regex source matching the shortest term prefix at a position: enough to find candidates. With `space`,
 * a space in a term is written as that pattern instead (see plainGateRe).
 */
function trieToPattern(node: TrieNode, space?: string): string {
  const singles: string[] = [];
  const branches: string[] = [];
  for (const [cp, child] of node.next) {
    const rest = child.term !== undefined || child.next.size === 0 ? '' : trieToPattern(child, space);
    // A space pattern is not a single character, so it cannot join the character class of `singles`.
    if (space !== undefined && cp === 0x20) branches.push(space + rest);
    else if (rest === '') singles.push(escapeRegex(String.fromCodePoint(cp)));
    else branches.push(escapeRegex(String.fromCodePoint(cp)) + rest);
  }
  if (singles.length === 1) branches.push(singles[0] ?? '');
  else if (singles.length > 1) branches.push(`[${singles.join('')}]`);
  if (branches.length === 1) return branches[0] ?? '';
  return `(?:${branches.join('|')})`;
}

/**
 * Does every term of the trie start with a letter or digit? Then a regex \b before a term that can match plain
 * text means a word start (terms starting with a letter of another script cannot match plain text at all).
 */
function startsWithWordCharacters(root: TrieNode): boolean {
  return [...root.next.keys()].every((cp) =>
    cp < 0x80 ? (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) : /\p{L}/u.test(String.fromCodePoint(cp)),
  );
}

function compileRegex(root: TrieNode, flags: string, space?: string): RegExp {
  // An empty profile must never match, not match everywhere.
  return root.next.size === 0 ? new RegExp('(?!)', flags) : new RegExp(trieToPattern(root, space), flags);
}

/**
 * What normaliseForMatching makes of a code unit of plain text: ASCII capitals lower-cased, a tab, hyphen or dash
 * a space (one for one: only runs of separators shrink, and the caller has none), anything else unchanged.
 */
function plainKey(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c | 0x20;
  if (c === 0x09 || c === 0x2d || (c >= 0x2010 && c <= 0x2015) || c === 0x2212) return 0x20;
  return c;
}

/**
 * The longest term starting at `start` that may stand there. With `asWritten`, `text` is plain text without
 * separator runs, each character read as normalisation would write it (see plainKey): its normalised form has
 * every character at the same index, and plain text holds no surrogates, so code units will do.
 */
function longestAt(root: TrieNode, text: string, start: number, asWritten = false): { term: Term; end: number } | undefined {
  const okBefore = boundaryBefore(text, start);
  let node = root;
  let i = start;
  let best: { term: Term; end: number } | undefined;
  while (i < text.length) {
    const cp = asWritten ? plainKey(text.charCodeAt(i)) : (text.codePointAt(i) ?? 0);
    const child = node.next.get(cp);
    if (child === undefined) break;
    node = child;
    i += cp > 0xffff ? 2 : 1;
    const t = node.term;
    if (t !== undefined && (!t.wholeWord || (okBefore && (t.prefix || boundaryAfter(text, i))))) {
      best = { term: t, end: i };
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Sentences: ends of sentences in normalised text. A full stop counts only before a space or the end,
// so "12.5bn" and "U.S." inside a sentence do not split it.

const SENTENCE_END = /[.!?](?=\s|$)|[\n\r\u3002\u17d4\u17d5\u0e2f]/g;

function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m !== null; m = SENTENCE_END.exec(text)) ends.push(m.index);
  return ends;
}

/** Index of the sentence holding `pos`: how many sentence ends lie before it. */
function sentenceIndex(ends: readonly number[], pos: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ends[mid] ?? Infinity) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sets each hit's sentence index: only pairing needs it, so it is worked out only for items with a pair. */
function placeInSentences(text: string, hits: Hit[]): void {
  const ends = sentenceEnds(text);
  for (const h of hits) h.sentence = sentenceIndex(ends, h.start);
}

/**
 * Hits by group, and the strong signals (industry terms and operators together), in text order, each list
 * capped (see MAX_HITS_PER_GROUP).
 */
function bucket(hits: readonly Hit[]): Record<Group | 'strong', Hit[]> {
  const out: Record<Group | 'strong', Hit[]> = {
    entity: [], industry: [], anchor: [], adjacent: [], scam: [], action: [], negative: [], mask: [], strong: [],
  };
  for (const h of hits) {
    const group = h.term.group;
    if (out[group].length < MAX_HITS_PER_GROUP) out[group].push(h);
    if ((group === 'industry' || group === 'entity') && out.strong.length < MAX_HITS_PER_GROUP) out.strong.push(h);
  }
  return out;
}

function closeness(a: Hit, b: Hit): Closeness {
  if (a.inTitle && b.inTitle) return 'sentence';
  if (a.inTitle || b.inTitle) {
    const body = a.inTitle ? b : a;
    return body.bodyOffset <= LEAD_LENGTH ? 'passage' : 'far';
  }
  const gap = Math.max(0, a.start < b.start ? b.start - a.end : a.start - b.end);
  if (a.sentence === b.sentence && gap <= SENTENCE_GAP) return 'sentence';
  if (gap <= PASSAGE_GAP) return 'passage';
  if (Math.abs(a.sentence - b.sentence) <= 1 && gap <= NEIGHBOUR_SENTENCE_GAP) return 'passage';
  return 'far';
}

const q = (h: Hit): string => `'${h.shown}'`;

/** First hit of each distinct term, in text order. */
function distinctTerms(hits: readonly Hit[]): Hit[] {
  const seen = new Set<Term>();
  const out: Hit[] = [];
  for (const h of hits) {
    if (seen.has(h.term)) continue;
    seen.add(h.term);
    out.push(h);
  }
  return out;
}

/** "'a', 'b' appear" / "'a' appears": distinct terms, at most MAX_LISTED of them. */
function listTerms(hits: readonly Hit[], singular: string, plural: string): string {
  const distinct = distinctTerms(hits);
  return `${distinct.slice(0, MAX_LISTED).map(q).join(', ')} ${distinct.length > 1 ? plural : singular}`;
}

/** The country (or region) most often named among adjacent hits. */
function mainLabel(hits: readonly Hit[]): string {
  const counts = new Map<string, number>();
  for (const h of hits) counts.set(h.term.label, (counts.get(h.term.label) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [label, n] of counts) {
    if (n > bestCount) {
      best = label;
      bestCount = n;
    }
  }
  return best;
}

const round = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

// ---------------------------------------------------------------------------------------------------

/** Bounds on the work per item (see scoreRelevance). */
const MAX_SCORED_TEXT = 20_000;
const MAX_SCORED_TITLE = 1_000;
const MAX_HITS_PER_GROUP = 150;

export function createRelevanceScorer(profile: TopicProfile, options: RelevanceOptions = {}): RelevanceScorer {
  const includeAdjacent = options.includeAdjacent ?? false;
  const threshold = options.threshold ?? 0.5;
  const anchorName = profile.anchorName;

  const gate: TrieNode = { next: new Map(), term: undefined };
  const all: TrieNode = { next: new Map(), term: undefined };
  // Strongest roles first: a term listed in two groups keeps the first (see addTerm).
  const adjacentSources = profile.adjacent.map((a): TermSource => ['adjacent', a.terms, a.label]);
  const gateGroups: TermSource[] = [
    ...profile.entities.map((e): TermSource => ['entity', e.terms, e.label]),
    ['industry', profile.industry, ''],
    ['anchor', profile.anchors, ''],
    ...(includeAdjacent ? adjacentSources : []),
    ['scam', profile.scamWords, ''],
  ];
  const otherGroups: TermSource[] = [
    ...(includeAdjacent ? [] : adjacentSources),
    ['action', profile.actions, ''],
    ['negative', profile.negatives, ''],
    // Found like terms, so the longest match at a position takes a mask whole and the terms inside it are never
    // seen; mask hits count for nothing.
    ['mask', profile.masks ?? [], ''],
  ];
  for (const [group, terms, label] of gateGroups) {
    for (const t of terms) {
      addTerm(gate, t, group, label);
      addTerm(all, t, group, label);
    }
  }
  for (const [group, terms, label] of otherGroups) for (const t of terms) addTerm(all, t, group, label);

  // Candidates only: a gate match may still fail a word boundary ("scampi"), which the walk rejects.
  const gateRe = compileRegex(gate, '');
  // The same gate for plain text as written: a space in a term stands for any run of spaces, tabs, hyphens
  // and dashes, which is exactly what normaliseForMatching folds there, and ASCII case is ignored, which is
  // exactly what lower-casing does there. Most items are plain and irrelevant; this way they are judged without
  // a lower-cased copy, the separator rewrite or the joined text.
  const plainGateRe = compileRegex(gate, 'i', PLAIN_SPACE);
  // Terms that can match plain text count only as whole words (longestAt checks), so the gate may as well ask
  // for a word start before a term: inside a word most positions then fail at once, which makes the scan about
  // a quarter quicker. The regex \b takes "_" for a letter where longestAt does not, so text with an underscore
  // is tested without it.
  const plainWordGateRe = startsWithWordCharacters(gate) ? new RegExp(`\\b${plainGateRe.source}`, 'i') : plainGateRe;
  const candidateRe = compileRegex(all, 'g');
  // The same word-start shortcut for the candidates of plain text without an underscore.
  const plainWordCandidateRe = startsWithWordCharacters(all) ? new RegExp(`\\b${candidateRe.source}`, 'g') : candidateRe;
  // Candidates in plain text as written, without separator runs (see addHits), with and without the shortcut.
  const asWrittenCandidateRe = compileRegex(all, 'gi', PLAIN_ONE_SPACE);
  const asWrittenWordCandidateRe = startsWithWordCharacters(all) ? new RegExp(`\\b${asWrittenCandidateRe.source}`, 'gi') : asWrittenCandidateRe;

  /**
   * Adds the hits of the candidates `re` finds in `text`, which starts at `offset` in the normalised
   * `${title}\n${body}` (`titleEnd`: where the title ends there). Without `asWritten`, `text` is that normalised
   * text. With it, `text` is one part of plain text as written, without separator runs: normalising such text only
   * lower-cases it and turns each separator into a space, so every character keeps its index; the regex ignores
   * case and takes any one separator for a space, and longestAt reads each character as normalised.
   */
  function addHits(hits: Hit[], text: string, offset: number, titleEnd: number, re: RegExp, asWritten: boolean): void {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const found = longestAt(all, text, m.index, asWritten);
      if (found === undefined) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const start = offset + m.index;
      const inTitle = start < titleEnd;
      let wordEnd = found.end;
      if (found.term.prefix) while (wordEnd < text.length && !boundaryAfter(text, wordEnd)) wordEnd++;
      // The rest of the word a prefix term begins, as normalisation writes it.
      const rest = wordEnd > found.end ? text.slice(found.end, wordEnd) : '';
      hits.push({
        term: found.term,
        start,
        end: offset + found.end,
        // Filled in by placeInSentences when a pair is scored; most items never need it.
        sentence: 0,
        inTitle,
        bodyOffset: inTitle ? 0 : start - titleEnd - 1,
        shown: found.term.display + (asWritten ? rest.toLowerCase() : rest),
      });
      re.lastIndex = found.end;
    }
  }

  function verdict(score: number, reasons: string[]): RelevanceVerdict {
    const s = round(score);
    return { relevant: s >= threshold, score: s, reasons };
  }

  const nothingFound = `no ${anchorName} place, scam-industry term or named operator`;
  // Most items get this verdict: one frozen object serves them all (nothing downstream changes a verdict).
  const nothingVerdict = verdict(0, [nothingFound]);
  Object.freeze(nothingVerdict.reasons);
  Object.freeze(nothingVerdict);
  const nothing = (): RelevanceVerdict => nothingVerdict;

  return function scoreRelevance(input: RelevanceInput): RelevanceVerdict {
    // What an item is about shows in its first pages; bounding the scan keeps a hostile, keyword-stuffed
    // body from costing quadratic time in the signal × anchor pairing below.
    const rawTitle = input.title.slice(0, MAX_SCORED_TITLE);
    const rawBody = input.text.slice(0, MAX_SCORED_TEXT);
    // Typographic apostrophes are folded ("O’Smach" is "O'Smach"), which the as-written gates do not do: such
    // text takes the general path.
    const plain =
      (isKnownPlainAscii(rawTitle) && isKnownPlainAscii(rawBody)) ||
      (!NOT_PLAIN.test(rawTitle) && !NOT_PLAIN.test(rawBody) && !hasCurlyApostrophe(rawTitle) && !hasCurlyApostrophe(rawBody));
    let hits: Hit[];
    /** The normalised `${title}\n${body}`: sentence ends are read there (made on demand for plain text). */
    let text: string | undefined;
    if (plain) {
      // Lower-casing and folding separators is all normalisation does to plain text, and the plain gates allow
      // for both.
      const wordStarts = !rawTitle.includes('_') && !rawBody.includes('_');
      const re = wordStarts ? plainWordGateRe : plainGateRe;
      if (!re.test(rawTitle) && !re.test(rawBody)) return nothing();
      if (!PLAIN_SEPARATOR_RUN.test(rawTitle) && !PLAIN_SEPARATOR_RUN.test(rawBody)) {
        // Most items that pass the gate are still irrelevant; this finds their hits without normalised copies.
        hits = [];
        const candidates = wordStarts ? asWrittenWordCandidateRe : asWrittenCandidateRe;
        addHits(hits, rawTitle, 0, rawTitle.length, candidates, true);
        addHits(hits, rawBody, rawTitle.length + 1, rawTitle.length, candidates, true);
      } else {
        const title = normalisePlain(rawTitle);
        text = `${title}\n${normalisePlain(rawBody)}`;
        hits = [];
        addHits(hits, text, 0, title.length, wordStarts ? plainWordCandidateRe : candidateRe, false);
      }
    } else {
      const title = normaliseForMatching(rawTitle);
      text = `${title}\n${normaliseForMatching(rawBody)}`;
      if (!gateRe.test(text)) return nothing();
      hits = [];
      addHits(hits, text, 0, title.length, candidateRe, false);
    }

    const byGroup = bucket(hits);
    const entities = byGroup.entity;
    const strong = byGroup.strong;
    const weak = byGroup.scam;
    const signals = [...strong, ...weak];
    const homeAnchors = byGroup.anchor;
    const adjacent = byGroup.adjacent;
    const anchors = includeAdjacent ? [...homeAnchors, ...adjacent] : homeAnchors;
    const actions = byGroup.action;
    const negatives = byGroup.negative;
    const reasons: string[] = [];
    let score: number;

    if (signals.length > 0 && anchors.length > 0) {
      placeInSentences(text ?? `${normalisePlain(rawTitle)}\n${normalisePlain(rawBody)}`, hits);
      let best: { value: number; signal: Hit; anchor: Hit; closeness: Closeness } | undefined;
      const pairedSentences = new Set<number>();
      for (const signal of signals) {
        const strength = signal.term.group === 'scam' ? 'weak' : 'strong';
        for (const anchor of anchors) {
          const c = closeness(signal, anchor);
          if (c === 'sentence') pairedSentences.add(signal.inTitle ? -1 : signal.sentence);
          const value = PAIR_SCORE[strength][c];
          if (best === undefined || value > best.value) best = { value, signal, anchor, closeness: c };
        }
      }
      // Both lists are non-empty, so a best pair exists; the guard only satisfies the compiler.
      if (best === undefined) return verdict(0, ['no scorable pair']);
      score = best.value;
      const pair = `${q(best.signal)} and ${q(best.anchor)}`;
      reasons.push(
        best.closeness === 'sentence'
          ? `${pair} in one sentence`
          : best.closeness === 'passage'
            ? `${pair} in the same passage`
            : `${pair} only far apart (weak signal)`,
      );

      if (best.signal.inTitle && best.anchor.inTitle) {
        score += TITLE_BOTH_BONUS;
        reasons.push(`the title names both ${pair}`);
      } else if (best.signal.inTitle || best.anchor.inTitle) {
        score += TITLE_ONE_BONUS;
        reasons.push(`${q(best.signal.inTitle ? best.signal : best.anchor)} in the title`);
      }
      if (pairedSentences.size >= 2) {
        score += CORROBORATION_BONUS;
        reasons.push(`topic and place meet in ${pairedSentences.size} sentences`);
      }
      const { signal, anchor } = best;
      const action = actions.find((a) => closeness(a, signal) !== 'far' || closeness(a, anchor) !== 'far');
      if (action !== undefined) {
        score += ACTION_BONUS;
        reasons.push(`${q(action)} (a development) near the topic terms`);
      }
      if (best.anchor.term.group === 'adjacent') {
        reasons.push(`about ${best.anchor.term.label} (adjacent country, included)`);
      } else if (adjacent.length > 0) {
        reasons.push(`also mentions ${mainLabel(adjacent)} (adjacent country)`);
      }
    } else if (entities.length > 0) {
      // Operators such as Chen Zhi or Prince Group are topical even when the item never names the place.
      score = ENTITY_ALONE;
      if (entities.some((e) => e.inTitle)) score += TITLE_ONE_BONUS * 2;
      const industryToo = signals.find((s) => s.term.group !== 'entity');
      if (industryToo !== undefined) score += TITLE_ONE_BONUS * 2;
      reasons.push(
        `no ${anchorName} place named, but a named operator is topical by itself` +
          (industryToo !== undefined ? ` (with ${q(industryToo)})` : ''),
      );
      if (!includeAdjacent && adjacent.length > 0) {
        reasons.push(`about ${mainLabel(adjacent)} (adjacent country, excluded by default)`);
      }
    } else if (signals.length > 0) {
      const hasStrong = strong.length > 0;
      if (!includeAdjacent && adjacent.length > 0) {
        score = hasStrong ? ADJACENT_EXCLUDED_CAP : WEAK_WITHOUT_ANCHOR;
        reasons.push(`about ${mainLabel(adjacent)} (adjacent country, excluded by default)`);
      } else {
        score = hasStrong ? STRONG_WITHOUT_ANCHOR : WEAK_WITHOUT_ANCHOR;
        if (signals.some((s) => s.inTitle)) score += TITLE_ONE_BONUS;
        reasons.push(`${listTerms(signals, 'appears', 'appear')} but no ${anchorName} anchor`);
      }
    } else if (anchors.length > 0) {
      score = ANCHOR_ALONE;
      reasons.push(`${listTerms(anchors, 'appears', 'appear')} but no scam-industry term`);
    } else {
      score = 0;
      reasons.push(nothingFound);
    }

    for (const e of distinctTerms(entities).slice(0, MAX_LISTED)) {
      const inTitle = entities.some((h) => h.term === e.term && h.inTitle);
      reasons.push(`${q(e)} (${e.term.label}) in the ${inTitle ? 'title' : 'text'}`);
    }

    // Confusers only count against items with no industry term: a raid story may mention the border.
    if (strong.length === 0 && negatives.length > 0) {
      const n = distinctTerms(negatives).length;
      score -= Math.min(NEGATIVE_CAP, NEGATIVE_FIRST + NEGATIVE_MORE * (n - 1));
      reasons.push(`${listTerms(negatives, 'suggests', 'suggest')} other news and no scam-industry term occurs`);
    }

    return verdict(score, reasons);
  };
}
