// Extractive summaries: pick two or three whole sentences of the source. Extractive on purpose — a
// summary of a trafficking report must never state a number or claim the source does not.
import { statesFigure } from './figures.js';
import { splitSentences, type SentenceSpan } from './sentences.js';
import { tokenize } from './tfidf.js';

export interface SummaryOptions {
  /** Most sentences to keep (default 3). */
  maxSentences?: number;
  /** Fewest sentences to aim for when the text has them (default 2). */
  minSentences?: number;
  /** Item title: sentences sharing its words are favoured. */
  title?: string;
}

// Only the opening of a long article is ranked: news puts the substance first, and the O(n²) graph must
// stay cheap for the pipeline's throughput budget.
const MAX_CONSIDERED = 30;
const MAX_CHARS = 600;
const MIN_TOKENS = 5;
const MAX_TOKENS = 60;
const DAMPING = 0.85;
const TRAILER_HEADING =
  /^(?:references?|sources?|notes?|footnotes?|related(?: articles| stories| news)?|read more|see also|further reading|bibliography)\s*:?$/iu;
const ITERATIONS = 20;

/**
 * Sentences that belong to the page, not the story: feed trailers ("The post … appeared first on …", "Continue
 * reading"), links to other stories ("Read more: …"), photo credits and captions, a lone byline, an ellipsis.
 */
const BOILERPLATE_RE = new RegExp(
  [
    String.raw`^the post .{1,300} appeared first on .{1,120}$`,
    String.raw`^(?:continue reading|read (?:the )?(?:full|whole|rest of the) (?:story|article)|read more|click here|subscribe|sign up|already a subscriber|log in|follow us|share this|advertisement)\b.{0,120}$`,
    String.raw`^(?:read more|read also|also read|related|see also|watch|listen|more|baca juga|xem thêm|อ่านเพิ่มเติม|相关阅读|延伸阅读)\s*[:：|]`,
    String.raw`^(?:photo|photos|image|picture|pictures|file photo|foto|ảnh|ภาพ|图|图片|រូបភាព)\b\s*[:：]`,
    String.raw`^\(?(?:photo|image|picture|foto|ảnh)\s*(?:credit)?\s*[:：]?[^)]{0,80}\)?$`,
    String.raw`^by [\p{Lu}][\p{L}.'’-]*(?: (?:and )?[\p{Lu}][\p{L}.'’-]*){0,4}\.?$`,
    String.raw`^(?:\[?(?:…|\.\.\.)\]?)+$`,
  ].join('|'),
  'iu',
);

/**
 * A wire dateline before the first words ("PHNOM PENH, Jan 12 (Reuters) - ", "JAKARTA (AFP) — ",
 * "BANGKOK — "): where and who, said again in every report, never the news.
 */
const WIRES = 'Reuters|AFP|AP|Xinhua|Bernama|Antara|ANTARA|VNA|Kyodo|Yonhap|UPI|dpa|EFE';
const DATELINE_RE = new RegExp(
  // "PHNOM PENH, Jan 12 (Reuters) - ", "BANGKOK — ", or a city in any case before a wire: "Jakarta (ANTARA) - ".
  String.raw`^(?:[\p{Lu}][\p{Lu} .'’-]{1,40}(?:,\s*[\p{L}]{3,9}\.?\s+\d{1,2})?\s*(?:\((?:${WIRES})\)\s*)?|[\p{Lu}][\p{L} .'’-]{1,40}(?:,\s*[\p{L}]{3,9}\.?\s+\d{1,2})?\s*\((?:${WIRES})\)\s*)[-–—]{1,2}\s+`,
  'u',
);

/** A feed excerpt's tail: "[…]", "… Continue reading →", "Read more »". */
const TRAILER_RE = /\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)?\s*(?:continue reading|read more|read the full (?:story|article))\s*(?:→|»|›|>|\.\.\.|…)?\s*$|\s*\[(?:…|\.\.\.)\]\s*$/iu;

/** The article's own sentences: boilerplate left out, a feed excerpt's tail and a wire dateline cut off. */
function articleSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const whole of splitSentences(text)) {
    if (BOILERPLATE_RE.test(whole.text.trim())) continue;
    const trailer = TRAILER_RE.exec(whole.text);
    const span = trailer ? { ...whole, text: whole.text.slice(0, trailer.index), end: whole.start + trailer.index } : whole;
    if (span.text.trim() === '') continue;
    // Read with a space after the end, so a dateline that ends its paragraph at the dash is found too.
    const dateline = out.length === 0 ? DATELINE_RE.exec(`${span.text.trimEnd()} `) : null;
    // A dateline standing alone: nothing of the story in it.
    if (dateline && dateline[0].trimEnd() === span.text.trim()) continue;
    // A dateline with the story after it is cut off; a short one ("UN — ") is too short to be sure of.
    if (dateline && dateline[0].trim().length >= 6 && span.text.length > dateline[0].length + 20) {
      out.push({ text: span.text.slice(dateline[0].length), start: span.start + dateline[0].length, end: span.end });
      continue;
    }
    out.push(span);
  }
  return out;
}

/**
 * A TF-IDF vector over this document's own vocabulary: term ids ascending, so cosine is a merge-join over
 * two short arrays instead of string-keyed map lookups (this runs ~n²/2 times per item).
 */
interface IdVector {
  ids: Int32Array;
  weights: Float64Array;
  norm: number;
}

function idVector(termIds: readonly number[], idf: Float64Array): IdVector {
  const sorted = [...termIds].sort((a, b) => a - b);
  const ids: number[] = [];
  const weights: number[] = [];
  let k = 0;
  while (k < sorted.length) {
    const id = sorted[k] ?? 0;
    let count = 0;
    while (k < sorted.length && sorted[k] === id) {
      count += 1;
      k += 1;
    }
    ids.push(id);
    // Sublinear tf: a repeated word should not dominate a sentence.
    weights.push((1 + Math.log(count)) * (idf[id] ?? 1));
  }
  let sq = 0;
  for (const w of weights) sq += w * w;
  return { ids: Int32Array.from(ids), weights: Float64Array.from(weights), norm: Math.sqrt(sq) };
}

function idCosine(a: IdVector, b: IdVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] ?? 0;
    const y = b.ids[j] ?? 0;
    if (x === y) {
      dot += (a.weights[i] ?? 0) * (b.weights[j] ?? 0);
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return dot / (a.norm * b.norm);
}

/** TextRank over cosine-similarity edges (weighted PageRank, fixed iteration count). */
function textRank(vectors: readonly IdVector[]): Float64Array {
  const n = vectors.length;
  const weights = new Float64Array(n * n);
  const outSum = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const vi = vectors[i];
    if (!vi) continue;
    for (let j = i + 1; j < n; j += 1) {
      const vj = vectors[j];
      const w = vj ? idCosine(vi, vj) : 0;
      weights[i * n + j] = w;
      weights[j * n + i] = w;
      outSum[i] = (outSum[i] ?? 0) + w;
      outSum[j] = (outSum[j] ?? 0) + w;
    }
  }
  let rank = new Float64Array(n).fill(1 / Math.max(1, n));
  for (let it = 0; it < ITERATIONS; it += 1) {
    const next = new Float64Array(n).fill((1 - DAMPING) / Math.max(1, n));
    for (let j = 0; j < n; j += 1) {
      const out = outSum[j] ?? 0;
      if (out === 0) continue;
      const share = (DAMPING * (rank[j] ?? 0)) / out;
      for (let i = 0; i < n; i += 1) {
        const w = weights[j * n + i] ?? 0;
        if (w > 0) next[i] = (next[i] ?? 0) + share * w;
      }
    }
    rank = next;
  }
  return rank;
}

/** Join spans in source order, separated by a space (no sentence is ever cut). */
function join(spans: readonly SentenceSpan[]): string {
  return [...spans].sort((a, b) => a.start - b.start).map((s) => s.text).join(' ');
}

/** The lead sentences that fit the length budget; the first sentence always, even when it is long. */
function lead(spans: readonly SentenceSpan[], max: number): string {
  const picked: SentenceSpan[] = [];
  let len = 0;
  for (const s of spans) {
    if (picked.length >= max) break;
    const add = s.text.length + (picked.length > 0 ? 1 : 0);
    if (picked.length > 0 && len + add > MAX_CHARS) break;
    picked.push(s);
    len += add;
  }
  return join(picked);
}

interface Candidate {
  span: SentenceSpan;
  index: number;
  vector: IdVector;
  score: number;
}

/**
 * An extractive summary of `text`: the best 2–3 whole sentences in source order, joined by a space, at most
 * ~600 characters (fewer sentences rather than a cut one). Short texts give their lead sentences.
 */
export function summarize(text: string, options: SummaryOptions = {}): string {
  const maxSentences = Math.max(1, options.maxSentences ?? 3);
  const minSentences = Math.min(maxSentences, Math.max(1, options.minSentences ?? 2));
  const all = articleSentences(text);
  if (all.length === 0) return '';
  if (all.length <= maxSentences) return lead(all, maxSentences);

  // Reference lists and "read more" blocks trail the article: their lines repeat headline words and would
  // look central, so nothing after such a heading is considered.
  const tail = all.findIndex((s, i) => i > 0 && TRAILER_HEADING.test(s.text));
  const considered = all.slice(0, Math.min(MAX_CONSIDERED, tail > 0 ? tail : all.length));
  // Vocabulary and document frequencies over the considered sentences (the "documents" of this TF-IDF).
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const termIds = considered.map((span) => {
    const ids: number[] = [];
    for (const t of tokenize(span.text)) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(t, id);
        df.push(0);
      }
      ids.push(id);
    }
    // Document frequency counts a term once per sentence.
    for (const id of new Set(ids)) df[id] = (df[id] ?? 0) + 1;
    return ids;
  });
  const n = considered.length;
  const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);

  // Sentences outside the token band are headings, bylines or run-ons; keep them only if nothing else is left.
  const candidates: Candidate[] = [];
  considered.forEach((span, index) => {
    const ids = termIds[index] ?? [];
    if (ids.length < MIN_TOKENS || ids.length > MAX_TOKENS || span.text.length > MAX_CHARS) return;
    candidates.push({ span, index, vector: idVector(ids, idf), score: 0 });
  });
  if (candidates.length < minSentences) return lead(all, maxSentences);

  const ranks = textRank(candidates.map((c) => c.vector));
  let maxRank = 1e-9;
  for (const r of ranks) maxRank = Math.max(maxRank, r);
  let titleVector: IdVector | null = null;
  if (options.title) {
    // Title words unknown to the body cannot match anything, so they are simply left out.
    const ids = tokenize(options.title).flatMap((t) => {
      const id = vocab.get(t);
      return id === undefined ? [] : [id];
    });
    titleVector = idVector(ids, idf);
  }

  candidates.forEach((c, k) => {
    const centrality = (ranks[k] ?? 0) / maxRank;
    // News leads carry the substance: a gentle decay keeps later sentences eligible.
    const position = 1 / (1 + c.index * 0.35);
    // Advocates read summaries for the numbers: favour sentences that state a figure.
    const figures = statesFigure(c.span.text) ? 0.35 : 0;
    const title = titleVector ? idCosine(titleVector, c.vector) * 0.5 : 0;
    c.score = centrality + 0.6 * position + figures + title;
  });

  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: Candidate[] = [];
  let length = 0;
  for (const c of ranked) {
    if (picked.length >= maxSentences) break;
    const add = c.span.text.length + (picked.length > 0 ? 1 : 0);
    if (length + add > MAX_CHARS) continue;
    // Skip near-duplicates: syndicated paragraphs often repeat the lead almost word for word.
    if (picked.some((p) => idCosine(p.vector, c.vector) > 0.8)) continue;
    picked.push(c);
    length += add;
  }
  if (picked.length === 0) return lead(all, 1);
  return join(picked.map((p) => p.span));
}
