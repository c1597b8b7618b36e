// Extractive summaries: pick two or three whole sentences of the source. Extractive on purpose — a
// summary of a trafficking report must never state a number or claim the source does not.
import { figuresInSentence } from './figures.js';
import { splitSentences, type SentenceSpan } from './sentences.js';
import { cosine, inverseDocumentFrequency, tfidfVector, tokenize, type SparseVector } from './tfidf.js';

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
const ITERATIONS = 20;

interface Candidate {
  span: SentenceSpan;
  index: number;
  tokens: string[];
  vector: SparseVector;
  score: number;
}

/** TextRank over cosine-similarity edges (weighted PageRank, fixed iteration count). */
function textRank(vectors: readonly SparseVector[]): number[] {
  const n = vectors.length;
  const weights: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const outSum = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const vi = vectors[i];
      const vj = vectors[j];
      const w = vi && vj ? cosine(vi, vj) : 0;
      const row = weights[i];
      const col = weights[j];
      if (row) row[j] = w;
      if (col) col[i] = w;
      outSum[i] = (outSum[i] ?? 0) + w;
      outSum[j] = (outSum[j] ?? 0) + w;
    }
  }
  let rank = new Array<number>(n).fill(1 / Math.max(1, n));
  for (let it = 0; it < ITERATIONS; it += 1) {
    const next = new Array<number>(n).fill((1 - DAMPING) / Math.max(1, n));
    for (let j = 0; j < n; j += 1) {
      const out = outSum[j] ?? 0;
      if (out === 0) continue;
      const share = (DAMPING * (rank[j] ?? 0)) / out;
      const row = weights[j];
      if (!row) continue;
      for (let i = 0; i < n; i += 1) {
        const w = row[i] ?? 0;
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

/**
 * An extractive summary of `text`: the best 2–3 whole sentences in source order, joined by a space, at most
 * ~600 characters (fewer sentences rather than a cut one). Short texts give their lead sentences.
 */
export function summarize(text: string, options: SummaryOptions = {}): string {
  const maxSentences = Math.max(1, options.maxSentences ?? 3);
  const minSentences = Math.min(maxSentences, Math.max(1, options.minSentences ?? 2));
  const all = splitSentences(text);
  if (all.length === 0) return '';
  if (all.length <= maxSentences) return lead(all, maxSentences);

  const considered = all.slice(0, MAX_CONSIDERED);
  const tokenised = considered.map((span) => tokenize(span.text));
  // Sentences outside the token band are headings, bylines or run-ons; keep them only if nothing else is left.
  const pool = considered
    .map((span, index) => ({ span, index, tokens: tokenised[index] ?? [] }))
    .filter((c) => c.tokens.length >= MIN_TOKENS && c.tokens.length <= MAX_TOKENS && c.span.text.length <= MAX_CHARS);
  if (pool.length < minSentences) return lead(all, Math.min(maxSentences, Math.max(minSentences, 1)));

  const idf = inverseDocumentFrequency(tokenised);
  const candidates: Candidate[] = pool.map((c) => ({ ...c, vector: tfidfVector(c.tokens, idf), score: 0 }));
  const ranks = textRank(candidates.map((c) => c.vector));
  const maxRank = Math.max(...ranks, 1e-9);
  const titleVector = options.title ? tfidfVector(tokenize(options.title), idf) : null;

  for (let k = 0; k < candidates.length; k += 1) {
    const c = candidates[k];
    if (!c) continue;
    const centrality = (ranks[k] ?? 0) / maxRank;
    // News leads carry the substance: a gentle decay keeps later sentences eligible.
    const position = 1 / (1 + c.index * 0.35);
    const figures = figuresInSentence(c.span.text).length > 0 ? 0.35 : 0;
    const title = titleVector ? cosine(titleVector, c.vector) * 0.5 : 0;
    c.score = centrality + 0.6 * position + figures + title;
  }

  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: Candidate[] = [];
  let length = 0;
  for (const c of ranked) {
    if (picked.length >= maxSentences) break;
    const add = c.span.text.length + (picked.length > 0 ? 1 : 0);
    if (length + add > MAX_CHARS) continue;
    // Skip near-duplicates: two outlets' sentences quoted together say the same thing twice.
    if (picked.some((p) => cosine(p.vector, c.vector) > 0.8)) continue;
    picked.push(c);
    length += add;
  }
  if (picked.length === 0) return lead(all, 1);
  return join(picked.map((p) => p.span));
}
