// Story assignment cost as stories accumulate: the index must keep it nearly flat.
//
// Builds one clusterer holding 1,000 stories and one holding 100,000 (synthetic reports with varied
// vocabulary and names, all inside the window), then times assigning the same 2,000 new reports to each
// (half follow-ups of held stories, half new events). Goal: µs/item at 100k ≤ 2 × µs/item at 1k.
//
// Run alone: node --import tsx bench/story-assign.ts
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { StoryClusterer, type StoryCandidateDoc } from '../src/core/stories.js';

const SMALL = 1_000;
const LARGE = 100_000;
const PROBES = 2_000;
const VOCABULARY = 60_000;
const SURNAMES = 20_000;
const PLACES = 10_000;
const START = Date.parse('2026-02-01T00:00:00Z');
const HOUR = 3_600_000;

/** mulberry32: a tiny seeded PRNG, so every run builds the same corpus. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka ri to ma se no lu vi pe da mo ku sa ne ti ro ba lei han sok phe chan vuth ra dy'.split(' ');

/** A pronounceable pseudo-word per index, distinct for distinct indexes (base-N digits over syllables). */
function word(i: number, minSyllables: number): string {
  let out = '';
  let n = i;
  let parts = 0;
  do {
    out += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
    parts++;
  } while (n > 0 || parts < minSyllables);
  return out;
}

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

interface Corpus {
  words: string[];
  /** Cumulative Zipf weights over `words`, for inverse-CDF sampling. */
  cdf: Float64Array;
  surnames: string[];
  places: string[];
}

function corpus(): Corpus {
  const words = Array.from({ length: VOCABULARY }, (_, i) => word(i, 2));
  const cdf = new Float64Array(VOCABULARY);
  let sum = 0;
  for (let r = 0; r < VOCABULARY; r++) cdf[r] = sum += 1 / (r + 1);
  for (let r = 0; r < VOCABULARY; r++) cdf[r] = (cdf[r] ?? 0) / sum;
  const surnames = Array.from({ length: SURNAMES }, (_, i) => capital(word(i + 7_000, 2)));
  const places = Array.from({ length: PLACES }, (_, i) => capital(word(i + 90_000, 3)));
  return { words, cdf, surnames, places };
}

function zipfWord(c: Corpus, r: () => number): string {
  const u = r();
  let lo = 0;
  let hi = c.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((c.cdf[mid] ?? 1) < u) lo = mid + 1;
    else hi = mid;
  }
  return c.words[lo] ?? 'ka';
}

interface Event {
  person: string;
  place: string;
  count: number;
  topic: string[];
  time: number;
}

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function makeEvent(c: Corpus, r: () => number, time: number): Event {
  const person = `${pick(c.surnames, r)} ${pick(c.surnames, r)}`;
  // Event-specific words: the rare half of the vocabulary, so each event has its own signature.
  const topic = Array.from({ length: 6 }, () => c.words[VOCABULARY / 2 + Math.floor((r() * VOCABULARY) / 2)] ?? 'ka');
  return { person, place: pick(c.places, r), count: 10 + Math.floor(r() * 20_000), topic, time };
}

/** One report about `e`: its signature words and names, embedded in common Zipf-distributed prose. */
function report(c: Corpus, r: () => number, e: Event, id: string, delay: number): StoryCandidateDoc {
  const prose = (n: number): string => Array.from({ length: n }, () => zipfWord(c, r)).join(' ');
  const topic = [...e.topic].sort(() => r() - 0.5);
  const title = `${topic.slice(0, 3).join(' ')} ${prose(4)} in ${e.place}`;
  const text =
    `Officials said ${prose(6)} ${topic.slice(3).join(' ')} near ${e.place} on record. ` +
    `Investigator ${e.person} said ${prose(10)} ${e.count} people ${prose(6)}. ` +
    `Later ${prose(12)} ${topic[0] ?? ''} ${prose(5)}.`;
  const at = new Date(e.time + delay).toISOString();
  return {
    itemId: id,
    title,
    text,
    outlet: `outlet-${Math.floor(r() * 40)}`,
    published: at,
    seenAt: at,
    figures: [
      { value: e.count, qualifier: 'exact', unit: 'people', metric: 'people_rescued', label: 'rescued', quote: `${e.count} people` },
    ],
  };
}

interface Built {
  clusterer: StoryClusterer;
  events: Event[];
  buildMs: number;
}

/** Stories spread over five days, so all are inside the 7-day window when the probes arrive on day six. */
function build(c: Corpus, stories: number, seed: number): Built {
  const r = rng(seed);
  const clusterer = new StoryClusterer();
  const events: Event[] = [];
  const t0 = performance.now();
  for (let i = 0; i < stories; i++) {
    const e = makeEvent(c, r, START + Math.floor((i / stories) * 5 * 24 * HOUR));
    events.push(e);
    clusterer.assign(report(c, r, e, `seed-${seed}-${i}`, 0));
  }
  return { clusterer, events, buildMs: performance.now() - t0 };
}

function probes(c: Corpus, built: Built, seed: number): StoryCandidateDoc[] {
  const r = rng(seed);
  const day6 = START + 6 * 24 * HOUR;
  return Array.from({ length: PROBES }, (_, i) => {
    if (i % 2 === 1) return report(c, r, makeEvent(c, r, day6), `probe-${i}`, 0);
    // A follow-up: another outlet's report of a held event, arriving on day six.
    const e = pick(built.events, r);
    return report(c, r, e, `probe-${i}`, day6 - e.time);
  });
}

interface Timing {
  usPerItem: number;
  meanComparisons: number;
  maxComparisons: number;
  joined: number;
}

function time(clusterer: StoryClusterer, docs: readonly StoryCandidateDoc[]): Timing {
  let maxComparisons = 0;
  let comparisons = 0;
  let joined = 0;
  const t0 = performance.now();
  for (const doc of docs) {
    const a = clusterer.assign(doc);
    if (!a.isNew) joined++;
    comparisons += clusterer.lastComparisons;
    if (clusterer.lastComparisons > maxComparisons) maxComparisons = clusterer.lastComparisons;
  }
  const usPerItem = ((performance.now() - t0) * 1000) / docs.length;
  return { usPerItem, meanComparisons: comparisons / docs.length, maxComparisons, joined };
}

export async function benchStoryAssign(): Promise<Record<string, number | string>> {
  const c = corpus();
  const small = build(c, SMALL, 1);
  const large = build(c, LARGE, 2);
  // Warm the JIT on a throw-away clusterer so neither measured run pays it.
  time(build(c, 500, 3).clusterer, probes(c, small, 4).slice(0, 500));
  const smallTiming = time(small.clusterer, probes(c, small, 5));
  const largeTiming = time(large.clusterer, probes(c, large, 5));
  return {
    'stories.assign.us_per_item@1k': round(smallTiming.usPerItem),
    'stories.assign.us_per_item@100k': round(largeTiming.usPerItem),
    'stories.assign.ratio_100k_over_1k': round(largeTiming.usPerItem / smallTiming.usPerItem),
    'stories.assign.mean_comparisons@1k': round(smallTiming.meanComparisons),
    'stories.assign.mean_comparisons@100k': round(largeTiming.meanComparisons),
    'stories.assign.max_comparisons@1k': smallTiming.maxComparisons,
    'stories.assign.max_comparisons@100k': largeTiming.maxComparisons,
    'stories.assign.probe_joins@1k': `${smallTiming.joined}/${PROBES}`,
    'stories.assign.probe_joins@100k': `${largeTiming.joined}/${PROBES}`,
    'stories.build_s@100k': round(large.buildMs / 1000),
    'stories.held@100k': large.clusterer.size,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchStoryAssign();
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(40)} ${v}`);
}
