// The editorial step of a poll cycle: relevance → figures → summary → story. It joins the pure core
// with the store; nothing here knows about HTTP or Discord.
import { extractFigures } from '../core/figures.js';
import { summarize } from '../core/summary.js';
import type { RelevanceScorer } from '../core/relevance.js';
import { StoryClusterer, type ClustererSnapshot } from '../core/stories.js';
import type { Figure, Item, OutletKind, RelevanceVerdict, Report, SourcedFigure, Story } from '../core/types.js';
import type { ItemRecord, Stores } from '../store/ports.js';

/** Irrelevant items are kept for /why, without their body (it is never shown and costs space). */
const IRRELEVANT_TEXT_KEEP = 0;
const CLUSTERER_KEY = 'clusterer';
const STORY_FIGURES_CAP = 300;

export interface EditorialResult {
  record: ItemRecord;
  /** Set when the item created or grew a story. */
  story: Story | null;
}

const KIND_WEIGHT: Record<OutletKind, number> = {
  wire: 5,
  igo: 4,
  international_media: 4,
  ngo: 3,
  government: 3,
  local_media: 2,
  state_media: 1,
  unknown: 0,
};

function headlineScore(r: Report): number {
  const len = r.title.length;
  const lengthScore = len < 25 ? 0 : len <= 120 ? 2 : 1;
  return KIND_WEIGHT[r.outletKind] + lengthScore;
}

/** The best headline among a story's reports: outlet kind first, then a headline of useful length. */
export function bestReport(reports: Report[]): Report | undefined {
  let best: Report | undefined;
  for (const r of reports) if (!best || headlineScore(r) > headlineScore(best)) best = r;
  return best;
}

/** The figures of every irrelevant item: none, in one frozen array (records are never changed in place). */
const NO_FIGURES: Figure[] = Object.freeze([]) as unknown as Figure[];

let lastStamp = { ms: Number.NaN, iso: '' };

/**
 * `now` in ISO 8601. Items of one feed are recorded by the hundred within a millisecond, and writing the
 * date out cost more than building the rest of an irrelevant item's record, so the last answer is kept.
 */
function isoStamp(now: Date): string {
  const ms = now.getTime();
  if (ms !== lastStamp.ms) lastStamp = { ms, iso: now.toISOString() };
  return lastStamp.iso;
}

export class Editorial {
  private readonly storyCache = new Map<string, Story>();
  private constructor(
    private readonly stores: Stores,
    private readonly relevance: RelevanceScorer,
    private clusterer: StoryClusterer,
    private readonly windowDays: number,
    /** False for `analyze`: stories live in memory for the one run, nothing is written to the store. */
    private readonly persist: boolean,
  ) {}

  static async load(stores: Stores, relevance: RelevanceScorer, windowDays: number, persist = true): Promise<Editorial> {
    const clusterer = Editorial.clustererFrom(await stores.meta.get<ClustererSnapshot>(CLUSTERER_KEY), windowDays);
    return new Editorial(stores, relevance, clusterer, windowDays, persist);
  }

  /** The clusterer restored from a snapshot, or a fresh one when there is none. */
  private static clustererFrom(snap: ClustererSnapshot | undefined, windowDays: number): StoryClusterer {
    return snap ? StoryClusterer.restore(snap, { windowDays }) : new StoryClusterer({ windowDays });
  }

  /** Reload the clustering state from the store (another process may have held the poller lease). */
  async reload(): Promise<void> {
    this.clusterer = Editorial.clustererFrom(await this.stores.meta.get<ClustererSnapshot>(CLUSTERER_KEY), this.windowDays);
    this.storyCache.clear();
  }

  /**
   * Saves the clustering state. The window is measured in event time (the newest report the clusterer
   * has seen), not wall-clock time, so a feed that delivers older reports still groups them.
   */
  async save(): Promise<void> {
    const snap = this.clusterer.snapshot();
    await this.stores.meta.set(CLUSTERER_KEY, snap);
    // Rebuild from the snapshot so stories that left the window are also dropped from memory.
    this.clusterer = Editorial.clustererFrom(snap, this.windowDays);
    this.storyCache.clear();
  }

  judge(item: Item): RelevanceVerdict {
    return this.relevance({ title: item.title, text: item.text, language: item.language });
  }

  /** The record of an item judged irrelevant: kept for /why, in no story. Synchronous: nothing to store yet. */
  irrelevantRecord(item: Item, now: Date, verdict: RelevanceVerdict): ItemRecord {
    const { id, feed, outlet, outletKind, title, link, published, language } = item;
    return {
      // Written out rather than spread: this runs for nearly every item of every feed.
      item: { id, feed, outlet, outletKind, title, link, published, text: item.text.slice(0, IRRELEVANT_TEXT_KEEP), language },
      relevance: verdict,
      storyId: null,
      summary: '',
      figures: NO_FIGURES,
      seenAt: isoStamp(now),
    };
  }

  /**
   * Judges one new item and, when relevant, places it in a story (stored). The caller stores the returned
   * item record last, after it has queued any posts: the record is the marker that the item is done.
   */
  async process(item: Item, now: Date, verdict: RelevanceVerdict = this.judge(item)): Promise<EditorialResult> {
    if (!verdict.relevant) return { record: this.irrelevantRecord(item, now, verdict), story: null };
    const seenAt = isoStamp(now);
    const figures = extractFigures(item.text);
    const summary = summarize(item.text, { title: item.title });
    const assignment = this.clusterer.assign({
      itemId: item.id,
      title: item.title,
      text: item.text,
      outlet: item.outlet,
      published: item.published,
      seenAt,
      figures,
    });
    const record: ItemRecord = { item, relevance: verdict, storyId: assignment.storyId, summary, figures, seenAt };
    // A story id is deterministic, so after a crash the same item lands in the same stored story:
    // always merge into what the store has, and never add a report or figure twice.
    const existing = await this.loadStory(assignment.storyId);
    if (existing?.itemIds.includes(item.id)) return { record, story: existing };
    // The same article reached through another feed of its outlet (a section or tag feed), under another id:
    // one report already stands for it, and a second would read as another outlet confirming the story.
    if (item.link !== null && existing?.reports.some((r) => r.link === item.link)) return { record, story: existing };
    const date = item.published ?? seenAt;
    const sourced: SourcedFigure[] = figures.map((f) => ({
      ...f,
      outlet: item.outlet,
      outletKind: item.outletKind,
      link: item.link,
      itemId: item.id,
      date,
    }));
    const report: Report = {
      itemId: item.id,
      feed: item.feed,
      outlet: item.outlet,
      outletKind: item.outletKind,
      title: item.title,
      link: item.link,
      published: item.published,
      seenAt,
    };
    // `existing` never has this item yet (checked above), so its report and figures are simply appended.
    const story: Story = existing
      ? {
          ...existing,
          itemIds: [...existing.itemIds, item.id],
          outlets: existing.outlets.includes(item.outlet) ? existing.outlets : [...existing.outlets, item.outlet],
          reports: [...existing.reports, report],
          // The registry keeps every figure; the story keeps the latest few hundred for its post and /sources.
          figures: [...existing.figures, ...sourced].slice(-STORY_FIGURES_CAP),
          lastSeen: seenAt > existing.lastSeen ? seenAt : existing.lastSeen,
          version: existing.version + 1,
        }
      : {
          id: assignment.storyId,
          title: item.title,
          summary,
          itemIds: [item.id],
          outlets: [item.outlet],
          reports: [report],
          figures: sourced,
          firstSeen: seenAt,
          lastSeen: seenAt,
          version: 1,
        };
    if (existing) {
      const lead = bestReport(story.reports);
      if (lead) {
        story.title = lead.title;
        if (lead.itemId === item.id && summary !== '') story.summary = summary;
      }
    }
    this.storyCache.set(story.id, story);
    if (this.persist) {
      await this.stores.stories.put(story);
      await this.stores.figures.add(sourced);
    }
    return { record, story };
  }

  private async loadStory(id: string): Promise<Story | undefined> {
    return this.storyCache.get(id) ?? (await this.stores.stories.get(id));
  }
}
