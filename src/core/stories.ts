// Grouping reports of the same event into stories (pure: no I/O, time comes from the documents).
//
// API
//   const clusterer = new StoryClusterer({ windowDays: 7 });
//   const a = clusterer.assign(doc);     // → { storyId, isNew, score, reasons }
//   store.save(clusterer.snapshot());    // JSON-safe; StoryClusterer.restore(saved) at start-up
//   clusterer.prune(now);                // forget stories past the window in place (the bot instead saves a
//                                        // snapshot, which keeps only held stories, and restores it)
//   clusterer.lastComparisons            // full scorings done by the last assign (bounded, ≤ maxCandidates)
//
// How a report finds its story
//   1. Features: TF-IDF terms of title + text (title counted twice: it is the densest summary), named
//      entities (entities.ts), figure keys, a MinHash of word 3-shingles (catches wire copies), the title's
//      token set, and a time: published, else first seen.
//   2. Candidates, sub-linearly: an inverted index from the item's rarest terms and entities (top by idf)
//      to story ids. Posting lists are capped to the newest `postingCap` stories, so a hot term costs the
//      same whether 1,000 or 100,000 stories are held. Only the `maxCandidates` stories sharing the most keys
//      are scored in full.
//   3. Score: cosine to the story centroid, shared rare entities, shared figures, minus conflicting
//      figures (two repatriation flights look alike in words but not in head counts), damped by the time
//      gap. Outside the window a story is never joined. A wire copy or near-identical title always joins.
//
// Document frequencies are learned incrementally from everything assigned (idf = ln((N+1)/(df+1)) + 1),
// so the clusterer needs no training corpus; the table is bounded by dropping the rarest terms.
// Story centroids are sums of unit TF-IDF vectors with the idf of each report's arrival: re-weighting
// every candidate's centroid on every report would cost more than the rest of the scoring together.
import { extractEntities, type Entity } from './entities.js';
import { shortHash } from './hash.js';
import { termCounts, tokenize } from './tfidf.js';
import type { Figure, Metric } from './types.js';

export interface StoryCandidateDoc {
  itemId: string;
  title: string;
  text: string;
  outlet: string;
  /** ISO date of publication, or null when the feed gives none. */
  published: string | null;
  /** ISO date the pipeline first saw the item; used when `published` is null, absurd or in the future. */
  seenAt: string;
  /** Figures already extracted from title + text (figures.ts). */
  figures: readonly Figure[];
}

export interface ClusterOptions {
  /** A report joins only a story whose reports lie within this many days of it. Default 7. */
  windowDays?: number;
  /** Score a report needs to join a story. Default tuned on test/fixtures/stories/events.json. */
  threshold?: number;
  /** Stories are kept this many days past the window, for reports that arrive late. Default 1. */
  marginDays?: number;
  /** Stories scored in full per report. Default 10. */
  maxCandidates?: number;
  /** Index keys (rare terms, names) a story must share with a report to be scored at all. Default 1. */
  minOverlap?: number;
  /** Newest story ids kept per index key. Default 64 (the newest stories are the ones inside the window). */
  postingCap?: number;
  /** Bound on the document-frequency table. Default 50,000 terms. */
  maxDfTerms?: number;
}

export interface Assignment {
  storyId: string;
  isNew: boolean;
  /** The winning score (0 for a new story with no candidate; ≥ 1 for a copy). */
  score: number;
  /** Why, for /why and logs, e.g. "shared entities: Chen Zhi, Prince Group", "cosine 0.42". */
  reasons: string[];
}

/** One story as saved in a snapshot: the fingerprint, not the reports. */
export interface StorySnapshot {
  id: string;
  firstSeen: string;
  lastSeen: string;
  /** Wall-clock time of the last report (absent in older snapshots: lastSeen is used). */
  touched?: string;
  itemIds: string[];
  /** Centroid terms and their (idf-free) weights. */
  terms: Array<[string, number]>;
  /** [key, label, number of reports naming it] */
  entities: Array<[string, string, number]>;
  figures: Array<[Metric, number]>;
  exemplars: Array<{ title: string[]; sig: number[] }>;
  /** Index keys, oldest first. */
  keys: string[];
}

export interface ClustererSnapshot {
  version: 1;
  /** Documents counted in `df`. */
  docs: number;
  df: Array<[string, number]>;
  /** Oldest lastSeen first, so restoring rebuilds the posting lists newest-last. */
  stories: StorySnapshot[];
}

const DAY_MS = 86_400_000;
const DEFAULTS = {
  windowDays: 7,
  threshold: 0.3,
  marginDays: 1,
  maxCandidates: 10,
  minOverlap: 1,
  postingCap: 64,
  maxDfTerms: 50_000,
} as const;

const CENTROID_TERMS = 40;
const DOC_TERMS = 100;
const INDEX_TERMS = 12;
const INDEX_ENTITIES = 6;
const MAX_ENTITIES = 30;
const MAX_FIGURES = 30;
const MAX_EXEMPLARS = 8;
const MAX_STORY_KEYS = 48;
const MAX_ITEM_IDS = 1_000;
const MINHASH_SIZE = 16;
/** Prefix that keeps entity keys apart from word terms in the df table and the index. */
const ENTITY = '@';

/**
 * What a figure counts, coarsely. Outlets label one number differently ("143 flown home" is repatriated
 * for one, released for another), so agreement is judged within a family, not a metric.
 */
function family(metric: Metric): string {
  switch (metric) {
    case 'scam_revenue':
    case 'assets_seized':
      return 'money';
    case 'compounds':
    case 'sanctioned':
    case 'cases':
      return metric;
    default:
      return 'people';
  }
}

/** Figures that count one event's people or things: two events rarely share them by chance. */
const EVENT_METRICS: ReadonlySet<Metric> = new Set<Metric>([
  'people_released',
  'people_rescued',
  'people_repatriated',
  'nationals_registered',
  'people_arrested',
  'compounds',
  'assets_seized',
  'sanctioned',
]);

/** A stable story id from the id of its first report: "s" + 10 hex characters. */
export function storyIdFor(firstItemId: string): string {
  return 's' + shortHash(firstItemId, 10);
}

interface Exemplar {
  /** Unique title tokens, sorted. */
  title: string[];
  /** MinHash signature (a typed array: 100,000 stories × 8 exemplars of boxed numbers would weigh). */
  sig: Uint32Array;
}

interface EntityCount {
  key: string;
  /** `key` with the entity prefix, as used in the df table and the index (built once, not per lookup). */
  dfKey: string;
  label: string;
  count: number;
}

/** One df-table row; `weight` caches idf or rarity (see weight()) as of `at` documents. */
interface DfRow {
  /** The key itself, so callers can share this one string instance. */
  key: string;
  n: number;
  at: number;
  weight: number;
}

interface FigureKey {
  metric: Metric;
  value: number;
}

/** Adds the figure's (metric, value) unless the list already has it. */
function addFigureKey(list: FigureKey[], fig: FigureKey): void {
  if (!list.some((x) => x.metric === fig.metric && x.value === fig.value)) list.push({ metric: fig.metric, value: fig.value });
}

interface StoryState {
  id: string;
  firstSeen: number;
  lastSeen: number;
  /** When a report last reached the story (wall clock, from seenAt). Keeps a story held while reports of it
   *  still arrive, even when their publication dates are older than the newest event seen. */
  touched: number;
  itemIds: string[];
  // Parallel arrays rather than a Map: 100,000 stories × 40 terms must stay affordable.
  terms: string[];
  /** Sum of the reports' unit TF-IDF vectors (idf as of each report's arrival), top CENTROID_TERMS. */
  weights: number[];
  /** Euclidean norm of `weights`. */
  norm: number;
  entities: EntityCount[];
  figures: FigureKey[];
  exemplars: Exemplar[];
  keys: string[];
}

interface DocFeatures {
  time: number;
  /** When we saw the report (seenAt), for `touched`. */
  seen: number;
  /** tf × idf, truncated to DOC_TERMS, and its norm. */
  vec: Map<string, number>;
  norm: number;
  entities: Array<Entity & { dfKey: string }>;
  entityKeys: Set<string>;
  /** Sum of the entities' rarity. */
  entityMass: number;
  figures: FigureKey[];
  exemplar: Exemplar;
  titleSet: Set<string>;
  keys: string[];
}

/** A candidate's score and its parts; reasons are written only for the winner. */
interface Scored {
  story: StoryState;
  score: number;
  gap: number;
  /** Set when the report is a copy of one of the story's reports: the only reason then. */
  copy?: string;
  cos?: number;
  sharedEntities?: EntityCount[];
  sharedFigures?: FigureKey[];
  conflicts?: number;
}

function explain(s: Scored): string[] {
  if (s.copy !== undefined) return [s.copy];
  const reasons: string[] = [];
  if (s.sharedEntities !== undefined && s.sharedEntities.length > 0) {
    reasons.push(`shared entities: ${s.sharedEntities.map((e) => e.label).join(', ')}`);
  }
  reasons.push(`cosine ${(s.cos ?? 0).toFixed(2)}`);
  if (s.sharedFigures !== undefined && s.sharedFigures.length > 0) {
    reasons.push(`shared figures: ${s.sharedFigures.map((x) => `${x.metric} ${x.value}`).join(', ')}`);
  }
  if ((s.conflicts ?? 0) > 0) reasons.push(`conflicting figures: ${s.conflicts}`);
  reasons.push(formatDays(s.gap));
  return reasons;
}

// ---- small pure helpers -------------------------------------------------------------------------

/** FNV-1a, 32 bits: a fast non-cryptographic hash for shingles. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finaliser: turns one hash into MINHASH_SIZE independent-looking ones via distinct seeds. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const MINHASH_SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => mix(0x9e3779b9 + i * 0x632be5ab));

/** MinHash signature of the word 3-shingles: equal minima estimate the shingle Jaccard of two texts. */
function minhash(tokens: readonly string[]): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  const width = Math.min(3, tokens.length);
  for (let i = 0; i + width <= tokens.length; i++) {
    const h = fnv1a(tokens.slice(i, i + width).join(' '));
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const v = mix(h ^ (MINHASH_SEEDS[k] ?? 0));
      if (v < (sig[k] ?? 0)) sig[k] = v;
    }
  }
  return sig;
}

function minhashSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== MINHASH_SIZE || b.length !== MINHASH_SIZE) return 0;
  let same = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a[k] === b[k]) same++;
  return same / MINHASH_SIZE;
}

/** Jaccard of two token sets, `b` given as unique tokens. */
function jaccard(a: ReadonlySet<string>, b: readonly string[]): number {
  if (a.size === 0 || b.length === 0) return 0;
  let shared = 0;
  for (const t of b) if (a.has(t)) shared++;
  return shared / (a.size + b.length - shared);
}

function relativeGap(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}
/** Counts further apart than this contradict; closer ones may be rounding or an update ("more than 140" vs 180). */
const CONTRADICT = 0.25;

function docTime(doc: StoryCandidateDoc, fallback: number): number {
  const seen = Date.parse(doc.seenAt);
  const published = doc.published === null ? NaN : Date.parse(doc.published);
  // A publication date in the future (beyond clock skew) is a feed lying; trust when we saw it.
  if (Number.isFinite(published) && (!Number.isFinite(seen) || published <= seen + DAY_MS)) return published;
  return Number.isFinite(seen) ? seen : fallback;
}

/** The n heaviest entries, heaviest first; each weight is computed once (the comparator would call it n log n times). */
function topBy<T>(entries: readonly T[], weight: (e: T) => number, n: number): T[] {
  const scored = entries.map((e) => ({ e, w: weight(e) }));
  scored.sort((a, b) => b.w - a.w);
  return scored.slice(0, n).map((x) => x.e);
}

function formatDays(ms: number): string {
  const days = ms / DAY_MS;
  return days < 1 ? `${Math.round(days * 24)} h apart` : `${days.toFixed(1)} days apart`;
}

// ---- the clusterer ------------------------------------------------------------------------------

export class StoryClusterer {
  /** Full scorings done by the last assign(): bounded by maxCandidates, whatever the number of stories. */
  lastComparisons = 0;
  /** Distinct stories reached through the index by the last assign(). */
  lastCandidates = 0;

  private readonly windowMs: number;
  private readonly marginMs: number;
  private readonly threshold: number;
  private readonly maxCandidates: number;
  private readonly minOverlap: number;
  private readonly postingCap: number;
  private readonly maxDfTerms: number;

  private readonly stories = new Map<string, StoryState>();
  /** Index key → story ids, newest last. */
  private readonly postings = new Map<string, string[]>();
  private readonly storyOfItem = new Map<string, string>();
  private readonly df = new Map<string, DfRow>();
  private docs = 0;
  /** Latest report time seen: the reference for snapshot() when no `now` is given. */
  private latest = 0;
  /** Latest wall-clock time a report arrived. */
  private latestTouch = 0;

  constructor(options: ClusterOptions = {}) {
    this.windowMs = (options.windowDays ?? DEFAULTS.windowDays) * DAY_MS;
    this.marginMs = (options.marginDays ?? DEFAULTS.marginDays) * DAY_MS;
    this.threshold = options.threshold ?? DEFAULTS.threshold;
    this.maxCandidates = options.maxCandidates ?? DEFAULTS.maxCandidates;
    this.minOverlap = options.minOverlap ?? DEFAULTS.minOverlap;
    this.postingCap = options.postingCap ?? DEFAULTS.postingCap;
    this.maxDfTerms = options.maxDfTerms ?? DEFAULTS.maxDfTerms;
  }

  get size(): number {
    return this.stories.size;
  }

  /** The story an item was assigned to, while that story is held. */
  storyOf(itemId: string): string | undefined {
    return this.storyOfItem.get(itemId);
  }

  assign(doc: StoryCandidateDoc): Assignment {
    this.lastComparisons = 0;
    this.lastCandidates = 0;
    const known = this.storyOfItem.get(doc.itemId);
    // Re-assigning an item (a restart before the state was saved, a feed re-listing it) must not add it twice.
    if (known !== undefined && this.stories.has(known)) {
      return { storyId: known, isNew: false, score: 1, reasons: ['already assigned'] };
    }

    const f = this.features(doc);
    this.latest = Math.max(this.latest, f.time);
    this.latestTouch = Math.max(this.latestTouch, f.seen);
    let best: Scored | undefined;
    for (const story of this.candidates(f.keys)) {
      this.lastComparisons++;
      const scored = this.score(f, story);
      if (scored !== undefined && (best === undefined || scored.score > best.score)) best = scored;
    }

    if (best !== undefined && best.score >= this.threshold) {
      this.addToStory(best.story, doc.itemId, f);
      return { storyId: best.story.id, isNew: false, score: round2(best.score), reasons: explain(best) };
    }
    const story = this.newStory(doc.itemId, f);
    const reasons =
      best === undefined
        ? ['no earlier story in the window shares its rare terms or names']
        : [`closest story ${best.story.id} scored ${best.score.toFixed(2)} < ${this.threshold}`];
    return { storyId: story.id, isNew: true, score: best === undefined ? 0 : round2(best.score), reasons };
  }

  /** Whether a story is still held: its newest report is inside the window, by event time or by arrival. */
  private held(story: StoryState, eventCutoff: number, touchCutoff: number): boolean {
    return story.lastSeen >= eventCutoff || story.touched >= touchCutoff;
  }

  /** Forgets stories whose last report is older than the window (plus margin) before `now`, by both clocks. */
  prune(now: Date): void {
    const cutoff = now.getTime() - this.windowMs - this.marginMs;
    const dropped = new Set<string>();
    for (const story of this.stories.values()) if (!this.held(story, cutoff, cutoff)) dropped.add(story.id);
    if (dropped.size === 0) return;
    const touchedKeys = new Set<string>();
    for (const id of dropped) {
      const story = this.stories.get(id);
      if (story === undefined) continue;
      for (const key of story.keys) touchedKeys.add(key);
      for (const itemId of story.itemIds) this.storyOfItem.delete(itemId);
      this.stories.delete(id);
    }
    for (const key of touchedKeys) {
      const list = this.postings.get(key)?.filter((id) => !dropped.has(id));
      if (list === undefined || list.length === 0) this.postings.delete(key);
      else this.postings.set(key, list);
    }
  }

  /** The state worth keeping: df and the stories still inside the window (+ margin) of `now` (default: the latest report). */
  snapshot(now?: Date): ClustererSnapshot {
    const span = this.windowMs + this.marginMs;
    const eventCutoff = (now?.getTime() ?? this.latest) - span;
    const touchCutoff = (now?.getTime() ?? this.latestTouch) - span;
    const kept = [...this.stories.values()]
      .filter((s) => this.held(s, eventCutoff, touchCutoff))
      .sort((a, b) => a.lastSeen - b.lastSeen);
    return {
      version: 1,
      docs: this.docs,
      df: [...this.df].map(([key, row]) => [key, row.n]),
      stories: kept.map((s) => ({
        id: s.id,
        firstSeen: new Date(s.firstSeen).toISOString(),
        lastSeen: new Date(s.lastSeen).toISOString(),
        touched: new Date(s.touched).toISOString(),
        itemIds: [...s.itemIds],
        terms: s.terms.map((t, i) => [t, s.weights[i] ?? 0]),
        entities: s.entities.map((e) => [e.key, e.label, e.count]),
        figures: s.figures.map((x) => [x.metric, x.value]),
        exemplars: s.exemplars.map((e) => ({ title: [...e.title], sig: Array.from(e.sig) })),
        keys: [...s.keys],
      })),
    };
  }

  static restore(snapshot: ClustererSnapshot, options?: ClusterOptions): StoryClusterer {
    const c = new StoryClusterer(options);
    c.docs = snapshot.docs;
    for (const [key, n] of snapshot.df) c.df.set(key, { key, n, at: -1, weight: 0 });
    const ordered = [...snapshot.stories].sort((a, b) => Date.parse(a.lastSeen) - Date.parse(b.lastSeen));
    for (const s of ordered) {
      const story: StoryState = {
        id: s.id,
        firstSeen: Date.parse(s.firstSeen),
        lastSeen: Date.parse(s.lastSeen),
        touched: Date.parse(s.touched ?? s.lastSeen),
        itemIds: [...s.itemIds],
        terms: s.terms.map(([t]) => c.df.get(t)?.key ?? t),
        weights: s.terms.map(([, w]) => w),
        norm: Math.hypot(...s.terms.map(([, w]) => w)),
        entities: s.entities.map(([key, label, count]) => ({ key, dfKey: ENTITY + key, label, count })),
        figures: s.figures.map(([metric, value]) => ({ metric, value })),
        exemplars: s.exemplars.map((e) => ({ title: [...e.title], sig: Uint32Array.from(e.sig) })),
        keys: [],
      };
      c.stories.set(story.id, story);
      for (const itemId of story.itemIds) c.storyOfItem.set(itemId, story.id);
      c.index(story, s.keys);
      c.latest = Math.max(c.latest, story.lastSeen);
      c.latestTouch = Math.max(c.latestTouch, story.touched);
    }
    return c;
  }

  // ---- features and df ------------------------------------------------------------------------

  /**
   * idf of a term, ln((N+1)/(df+1)) + 1; or, for an entity key, its rarity: ~0 for a name in nearly
   * every report ("Cambodia"), high for a rare one ("Huione Group"). Rarity uses a +10 prior so it stays
   * meaningful while only a handful of reports are known (plain idf of anything shared is then ~1).
   * Cached on the df row until N changes: one scoring round asks for the same keys many times.
   */
  private weight(key: string): number {
    const row = this.df.get(key);
    const n = row?.n ?? 0;
    if (row !== undefined && row.at === this.docs) return row.weight;
    const w = key.startsWith(ENTITY)
      ? Math.max(0, Math.log((this.docs + 10) / Math.max(1, n)))
      : Math.log((this.docs + 1) / (n + 1)) + 1;
    if (row !== undefined) {
      row.weight = w;
      row.at = this.docs;
    }
    return w;
  }

  private features(doc: StoryCandidateDoc): DocFeatures {
    const titleTokens = tokenize(doc.title);
    const textTokens = tokenize(doc.text);
    const counts = termCounts(textTokens);
    for (const t of titleTokens) counts.set(t, (counts.get(t) ?? 0) + 2);
    // Count this document before weighting it, so its own rare terms get a defined idf. Terms are
    // swapped for the df table's copy of the string, so 100,000 centroids share one string per term.
    this.docs++;
    const tf = new Map<string, number>();
    for (const [t, c] of counts) tf.set(this.countDf(t), 1 + Math.log(c));
    const entities = extractEntities(doc.title, doc.text).map((e) => ({ ...e, dfKey: this.countDf(ENTITY + e.key) }));
    const canonical = (t: string): string => this.df.get(t)?.key ?? t;
    if (this.df.size > this.maxDfTerms) this.shrinkDf();

    const weighted = [...tf].map(([t, w]) => [t, w * this.weight(t)] as [string, number]);
    weighted.sort((a, b) => b[1] - a[1]);
    weighted.length = Math.min(weighted.length, DOC_TERMS);
    const vec = new Map(weighted);
    let sq = 0;
    for (const w of vec.values()) sq += w * w;

    const termKeys = weighted.slice(0, INDEX_TERMS).map(([t]) => t);
    const entityKeys = topBy(entities, (e) => this.weight(e.dfKey), INDEX_ENTITIES).map((e) => e.dfKey);

    const titleSet = new Set(titleTokens);
    const figures: FigureKey[] = [];
    for (const fig of doc.figures) {
      if (fig.qualifier === 'vague') continue;
      addFigureKey(figures, fig);
    }

    const time = docTime(doc, this.latest);
    const seen = Date.parse(doc.seenAt);
    return {
      time,
      seen: Number.isFinite(seen) ? seen : time,
      vec,
      norm: Math.sqrt(sq),
      entities,
      entityKeys: new Set(entities.map((e) => e.key)),
      entityMass: entities.reduce((sum, e) => sum + this.weight(e.dfKey), 0),
      figures,
      exemplar: { title: [...titleSet].map(canonical).sort(), sig: minhash([...titleTokens, ...textTokens]) },
      titleSet,
      keys: [...termKeys, ...entityKeys],
    };
  }

  /** Counts one more document for `key`; returns the table's own copy of the string. */
  private countDf(key: string): string {
    const row = this.df.get(key);
    if (row === undefined) {
      this.df.set(key, { key, n: 1, at: -1, weight: 0 });
      return key;
    }
    row.n++;
    row.at = -1;
    return row.key;
  }

  /** Keeps the df table bounded: forget the rarest terms first (mostly typos, numbers, one-off names). */
  private shrinkDf(): void {
    const target = Math.floor(this.maxDfTerms * 0.75);
    for (let floor = 1; this.df.size > target; floor++) {
      for (const [t, row] of this.df) if (row.n <= floor) this.df.delete(t);
    }
  }

  // ---- candidates -----------------------------------------------------------------------------

  /** Stories sharing index keys with the report, most shared keys first, at most maxCandidates. */
  private candidates(keys: readonly string[]): StoryState[] {
    const overlap = new Map<string, number>();
    for (const key of keys) {
      const list = this.postings.get(key);
      if (list === undefined) continue;
      for (let i = list.length - 1, seen = 0; i >= 0 && seen < this.postingCap; i--, seen++) {
        const id = list[i] ?? '';
        overlap.set(id, (overlap.get(id) ?? 0) + 1);
      }
    }
    this.lastCandidates = overlap.size;
    // Overlap counts are small integers (≤ keys.length): bucket them instead of sorting thousands of ids.
    const buckets: string[][] = [];
    for (const [id, n] of overlap) (buckets[n] ??= []).push(id);
    const ranked: StoryState[] = [];
    // A candidate sharing under a third of the best candidate's keys cannot outscore it on shared terms:
    // skipping those keeps the full comparisons few when thousands of stories share one common key.
    const floor = Math.max(this.minOverlap, Math.ceil((buckets.length - 1) / 3));
    for (let n = buckets.length - 1; n >= floor; n--) {
      for (const id of buckets[n] ?? []) {
        // Ids of pruned stories linger in lists their story no longer tracked; skip them here.
        const story = this.stories.get(id);
        if (story === undefined) continue;
        ranked.push(story);
        if (ranked.length >= this.maxCandidates) return ranked;
      }
    }
    return ranked;
  }

  // ---- scoring --------------------------------------------------------------------------------

  private score(f: DocFeatures, story: StoryState): Scored | undefined {
    const gap = Math.max(0, f.time - story.lastSeen, story.firstSeen - f.time);
    if (gap > this.windowMs) return undefined;
    // A story spans at most the window from its first to its last report: without this cap, look-alike
    // events a few days apart chain into one story that never ends (each joins its predecessor).
    if (Math.max(story.lastSeen, f.time) - Math.min(story.firstSeen, f.time) > this.windowMs) return undefined;

    // Copies first: a republished wire story joins whatever the other signals say.
    for (const ex of story.exemplars) {
      const copy = minhashSimilarity(f.exemplar.sig, ex.sig);
      if (copy >= 0.5) return { story, score: 1 + copy, gap, copy: `same wire copy (${Math.round(copy * 100)}% shingles)` };
      if (f.titleSet.size >= 4 && jaccard(f.titleSet, ex.title) >= 0.8) {
        return { story, score: 1, gap, copy: 'near-identical title' };
      }
    }

    // Cosine between the report and the story centroid.
    let dot = 0;
    for (let i = 0; i < story.terms.length; i++) {
      const v = f.vec.get(story.terms[i] ?? '');
      if (v !== undefined) dot += v * (story.weights[i] ?? 0);
    }
    const cos = f.norm === 0 || story.norm === 0 ? 0 : dot / (f.norm * story.norm);
    if (cos >= 0.8) return { story, score: 1, gap, copy: `near-identical text (cosine ${cos.toFixed(2)})` };

    // Shared entities, weighted by rarity; the overlap is taken on the smaller side so a short report
    // naming two of the story's five actors still counts fully, and saturated so one modestly rare
    // shared name cannot carry a join alone.
    let shared = 0;
    let storyMass = 0;
    const sharedEntities: EntityCount[] = [];
    for (const e of story.entities) {
      const r = this.weight(e.dfKey);
      storyMass += r;
      if (f.entityKeys.has(e.key)) {
        shared += r;
        if (r > 0.5) sharedEntities.push(e);
      }
    }
    const smaller = Math.min(f.entityMass, storyMass);
    const entityScore = smaller === 0 ? 0 : (shared / smaller) * Math.min(1, shared / 5);

    // Figures: the very same count ("312") is strong evidence; a merely close one ("about 300") proves
    // nothing either way; the same kind of event count with a clearly different value is evidence of a
    // different event (two repatriation flights read alike, their head counts do not).
    const sharedFigures: FigureKey[] = [];
    let conflicts = 0;
    for (const fig of f.figures) {
      const fam = family(fig.metric);
      let sameMetric = false;
      let near = false;
      let exact = false;
      for (const s of story.figures) {
        if (family(s.metric) !== fam) continue;
        if (s.metric === fig.metric) sameMetric = true;
        const d = relativeGap(s.value, fig.value);
        if (d === 0) exact = true;
        if (d <= CONTRADICT) near = true;
      }
      if (exact) sharedFigures.push(fig);
      else if (sameMetric && !near && EVENT_METRICS.has(fig.metric)) conflicts++;
    }
    const figureBonus = sharedFigures.length > 0 ? 0.15 : 0;

    const timeFactor = 1 - 0.3 * (gap / this.windowMs);
    const raw = 0.6 * cos + 0.4 * entityScore + figureBonus - (conflicts > 0 ? 0.2 : 0);
    return { story, score: Math.max(0, raw) * timeFactor, gap, cos, sharedEntities, sharedFigures, conflicts };
  }

  // ---- updates --------------------------------------------------------------------------------

  private newStory(itemId: string, f: DocFeatures): StoryState {
    let id = storyIdFor(itemId);
    // Only a hash collision (or a re-used item id after its story was pruned) can clash; salt and retry.
    for (let salt = 1; this.stories.has(id); salt++) id = storyIdFor(`${itemId}#${salt}`);
    const story: StoryState = {
      id,
      firstSeen: f.time,
      lastSeen: f.time,
      touched: f.seen,
      itemIds: [],
      terms: [],
      weights: [],
      norm: 0,
      entities: [],
      figures: [],
      exemplars: [],
      keys: [],
    };
    this.stories.set(id, story);
    this.addToStory(story, itemId, f);
    return story;
  }

  private addToStory(story: StoryState, itemId: string, f: DocFeatures): void {
    story.firstSeen = Math.min(story.firstSeen, f.time);
    story.lastSeen = Math.max(story.lastSeen, f.time);
    story.touched = Math.max(story.touched, f.seen);
    if (story.itemIds.length < MAX_ITEM_IDS) story.itemIds.push(itemId);
    this.storyOfItem.set(itemId, story.id);

    // Centroid: add the report's unit TF-IDF vector and keep the heaviest terms. Weights keep the idf of
    // when each report arrived: re-weighting 40 terms of every candidate on every report would cost
    // more than all the rest of the scoring, and idf moves slowly once a few hundred reports are known.
    const sum = new Map<string, number>();
    story.terms.forEach((t, i) => sum.set(t, story.weights[i] ?? 0));
    const unit = f.norm || 1;
    for (const [t, w] of f.vec) sum.set(t, (sum.get(t) ?? 0) + w / unit);
    const kept = topBy([...sum], ([, w]) => w, CENTROID_TERMS);
    story.terms = kept.map(([t]) => t);
    story.weights = kept.map(([, w]) => w);
    story.norm = Math.hypot(...story.weights);

    for (const e of f.entities) {
      const existing = story.entities.find((x) => x.key === e.key);
      if (existing !== undefined) existing.count++;
      else story.entities.push({ key: e.key, dfKey: e.dfKey, label: e.label, count: 1 });
    }
    if (story.entities.length > MAX_ENTITIES) {
      story.entities = topBy(story.entities, (e) => e.count * this.weight(e.dfKey), MAX_ENTITIES);
    }
    for (const fig of f.figures) addFigureKey(story.figures, fig);
    if (story.figures.length > MAX_FIGURES) story.figures = story.figures.slice(-MAX_FIGURES);
    story.exemplars.push(f.exemplar);
    if (story.exemplars.length > MAX_EXEMPLARS) story.exemplars.shift();

    this.index(story, f.keys);
  }

  /** Files the story under `keys` as the newest entry of each posting list. */
  private index(story: StoryState, keys: readonly string[]): void {
    for (const key of keys) {
      let list = this.postings.get(key);
      if (list === undefined) {
        list = [];
        this.postings.set(key, list);
      }
      // Move to the newest end. The list is short (≤ 1.5 × cap), so the scan is bounded.
      const at = list.lastIndexOf(story.id);
      if (at !== -1) list.splice(at, 1);
      list.push(story.id);
      // Trim in batches so the O(cap) splice is paid once per cap/2 insertions, not on every one.
      if (list.length > this.postingCap * 1.5) list.splice(0, list.length - this.postingCap);

      const k = story.keys.indexOf(key);
      if (k !== -1) story.keys.splice(k, 1);
      story.keys.push(key);
    }
    if (story.keys.length > MAX_STORY_KEYS) story.keys.splice(0, story.keys.length - MAX_STORY_KEYS);
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
