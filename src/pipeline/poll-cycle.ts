// One poll cycle: the only place where feeds, the core and the store meet.
// Each feed is fetched (conditional GET, limits) and parsed; new items are normalised and go through the
// editorial step one at a time (stories are read-modify-written); feed health is recorded whatever happens,
// and one broken feed never stops the others.
import { entryKey, normaliseEntry } from '../core/item.js';
import type { Item, RelevanceVerdict, Story } from '../core/types.js';
import { FeedError, type FetchOptions, type FetchResult } from '../feeds/fetch.js';
import { parseFeedXml } from '../feeds/parse.js';
import { outletFor } from '../feeds/sources.js';
import type { Logger } from '../log.js';
import type { FeedState, ItemRecord, Stores } from '../store/ports.js';
import type { Editorial } from './editorial.js';
import { HostLimiter } from './limiter.js';
import { KeyedQueue } from '../serial.js';

export const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;
const BASE_BACKOFF_MS = 60 * 1000;
/** `Cache-Control: max-age` is honoured up to this. */
export const MAX_AGE_CAP_MS = 6 * 60 * 60 * 1000;

export type Fetcher = (source: string, options: FetchOptions) => Promise<FetchResult>;

export interface FeedOutcome {
  source: string;
  title: string | null;
  status: 'ok' | 'not_modified' | 'not_due' | 'error';
  error: string | null;
  /** Entries in the document (0 when not fetched or not parsed). */
  entries: number;
  /** Entries not seen before in this feed. */
  newItems: number;
  /** The editorial results for every entry processed this cycle, in feed order. */
  records: ItemRecord[];
  /** True when this was the feed's first successful poll (nothing from it is posted). */
  firstPoll: boolean;
}

/** The lease that lets one process at a time poll a store (the bot, or `poll --once`). */
export const POLLER_LEASE = 'poller';
/**
 * The poller lease is short and renewed while its holder lives, so a crashed poller is replaced within this
 * time: well inside the few minutes Discord honours a nonce, so a resend after a crash stays one post.
 */
export const POLLER_LEASE_TTL_MS = 30_000;

export interface CycleResult {
  feeds: FeedOutcome[];
  /** Stories created or grown this cycle, with whether a primed feed contributed (only those may be posted). */
  changed: Map<string, { story: Story; postable: boolean }>;
  startedAt: string;
  finishedAt: string;
}

export interface CycleDeps {
  stores: Stores;
  editorial: Editorial;
  fetch: Fetcher;
  logger: Logger;
  now?: () => Date;
  fetchOptions?: Omit<FetchOptions, 'validators'>;
  concurrency?: number;
  perHost?: number;
  /** Days a seen id is kept after it left the feed document. */
  retentionDays?: number;
  /**
   * Called inside the cycle when a story is created or grows, before the item is marked done, so the
   * posts it causes are queued durably (a crash in between reprocesses the item; queuing is idempotent).
   */
  onStory?: (story: Story, postable: boolean) => Promise<void>;
}

export interface CycleOptions {
  /** Analyse mode: ignore seen ids, due times and validators; every entry is processed. */
  analyze?: boolean;
  /** Fetch even when a feed is not due yet. */
  force?: boolean;
  /** Called after each feed and every PROGRESS_EVERY_ITEMS entries read, e.g. for a progress line. */
  onProgress?: (progress: CycleProgress) => void;
  /** Delay before fetching a feed (staggering across the poll interval). */
  delayFor?: (source: string) => number;
  signal?: AbortSignal;
  /**
   * Log each failed feed as a warning (default true). The CLI commands print every feed's error in their own
   * output instead, so that a run whose feeds all fail ends in one line on stderr.
   */
  logFeedErrors?: boolean;
}

export interface CycleProgress {
  /** Feeds finished (fetched and processed, or failed). */
  feedsDone: number;
  feedsTotal: number;
  /** Entries read so far across all feeds, new or seen. */
  items: number;
}

/** A long feed reports progress while it is processed, not only when it is done. */
const PROGRESS_EVERY_ITEMS = 250;

export function initialFeedState(source: string): FeedState {
  return {
    source,
    title: null,
    etag: null,
    lastModified: null,
    lastAttempt: null,
    lastSuccess: null,
    consecutiveFailures: 0,
    lastError: null,
    nextDue: null,
    primed: false,
    failureNoticeSent: false,
  };
}

/** Exponential backoff after `failures` consecutive failures, capped at one day. */
export function backoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.min(failures - 1, 20), MAX_BACKOFF_MS);
}

export function isDue(state: FeedState | undefined, now: Date): boolean {
  return !state?.nextDue || Date.parse(state.nextDue) <= now.getTime();
}

export async function runPollCycle(deps: CycleDeps, sources: string[], options: CycleOptions = {}): Promise<CycleResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const limiter = new HostLimiter(deps.concurrency ?? 16, deps.perHost ?? 2);
  // The editorial step read-modify-writes stories: feeds fetched in parallel take turns here.
  const editorialLock = new KeyedQueue();
  const changed: CycleResult['changed'] = new Map();
  const processedIds = new Map<string, ItemRecord>();
  const unique = [...new Set(sources)];
  let done = 0;
  let itemsRead = 0;
  const report = (): void => options.onProgress?.({ feedsDone: done, feedsTotal: unique.length, items: itemsRead });

  const pollOne = async (source: string): Promise<FeedOutcome> => {
    const state = options.analyze ? initialFeedState(source) : ((await deps.stores.feeds.get(source)) ?? initialFeedState(source));
    const outcome: FeedOutcome = {
      source,
      title: state.title,
      status: 'ok',
      error: null,
      entries: 0,
      newItems: 0,
      records: [],
      firstPoll: !state.primed,
    };
    if (!options.analyze && !options.force && !isDue(state, now())) {
      outcome.status = 'not_due';
      return outcome;
    }
    const delay = options.delayFor?.(source) ?? 0;
    if (delay > 0) await sleep(delay, options.signal);
    // Shutting down: a feed not fetched yet waits for the next start, with its state untouched.
    if (options.signal?.aborted) {
      outcome.status = 'not_due';
      return outcome;
    }
    const attemptAt = now();
    try {
      const validators = options.analyze
        ? {}
        : { ...(state.etag ? { etag: state.etag } : {}), ...(state.lastModified ? { lastModified: state.lastModified } : {}) };
      const result = await limiter.run(source, () =>
        deps.fetch(source, { ...deps.fetchOptions, validators, ...(options.signal ? { signal: options.signal } : {}) }),
      );
      const maxAge = Math.min(result.maxAgeMs ?? 0, MAX_AGE_CAP_MS);
      const nextState: FeedState = {
        ...state,
        etag: result.validators.etag ?? null,
        lastModified: result.validators.lastModified ?? null,
        lastAttempt: attemptAt.toISOString(),
        lastSuccess: attemptAt.toISOString(),
        consecutiveFailures: 0,
        lastError: null,
        nextDue: maxAge > 0 ? new Date(attemptAt.getTime() + maxAge).toISOString() : null,
      };
      if (result.kind === 'not_modified') {
        outcome.status = 'not_modified';
        if (!options.analyze) await deps.stores.feeds.put(nextState);
        return outcome;
      }
      const parsed = await parseFeedXml(result.body);
      const outlet = outletFor(source, parsed.title);
      const meta = { source, outlet: outlet.name, outletKind: outlet.kind, language: parsed.language ?? undefined };
      // Seen entries are told apart by their keys (id and canonical link): only new ones are normalised in full.
      const keys = parsed.entries.map((e) => entryKey(e, source));
      outcome.title = parsed.title;
      outcome.entries = keys.length;
      nextState.title = parsed.title;

      const seen = options.analyze
        ? new Set<string>()
        : await deps.stores.seen.filterSeen(source, keys.map((k) => k.id));
      const freshIds = keys.filter((k) => !seen.has(k.id)).map((k) => k.id);
      outcome.newItems = freshIds.length;
      await editorialLock.run('editorial', async () => {
        const irrelevant: ItemRecord[] = [];
        // The items of one fetch were all seen at once: one stamp for them, which also spares a clock read per item
        // (a few per cent of judging an irrelevant one).
        const seenAt = now();
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const raw = parsed.entries[i];
          if (++itemsRead % PROGRESS_EVERY_ITEMS === 0) report();
          if (key === undefined || raw === undefined || seen.has(key.id)) continue;
          // An item is normalised just before it is judged, so its body is garbage by the next one: a poll never
          // holds every body of a large feed at once. One item can arrive through several feeds (an outlet's own
          // feed and a news search); it is judged once.
          const record = processedIds.get(key.id) ?? processOnce(normaliseEntry(raw, meta, key), seenAt, state.primed || !!options.analyze, irrelevant);
          outcome.records.push(record instanceof Promise ? await record : record);
        }
        // Irrelevant items cause no post: they are recorded together (for /why) before the feed is marked seen.
        if (!options.analyze && irrelevant.length > 0) await deps.stores.items.putMany(irrelevant);
      });
      if (!options.analyze) {
        const at = now();
        const cutoff = new Date(at.getTime() - (deps.retentionDays ?? 365) * 86_400_000);
        await deps.stores.seen.markSeenAndPrune(source, freshIds, at, cutoff, new Set(keys.map((k) => k.id)));
        nextState.primed = true;
        await deps.stores.feeds.put(nextState);
      }
      return outcome;
    } catch (err) {
      if (options.signal?.aborted) {
        // A fetch cut short by shutdown is not the feed's failure: nothing is recorded, it is polled next start.
        outcome.status = 'not_due';
        return outcome;
      }
      const message = describeError(err);
      outcome.status = 'error';
      outcome.error = message;
      if (!options.analyze) {
        const failures = state.consecutiveFailures + 1;
        const retryAfter = err instanceof FeedError ? (err.retryAfterMs ?? 0) : 0;
        const wait = Math.max(backoffMs(failures), Math.min(retryAfter, MAX_BACKOFF_MS));
        await deps.stores.feeds
          .put({
            ...state,
            lastAttempt: attemptAt.toISOString(),
            consecutiveFailures: failures,
            lastError: message,
            nextDue: new Date(attemptAt.getTime() + wait).toISOString(),
          })
          .catch((e: unknown) => deps.logger.error('could not record feed failure', { source, err: e }));
      }
      if (options.logFeedErrors !== false) deps.logger.warn('feed failed', { source, error: message });
      return outcome;
    } finally {
      done += 1;
      report();
    }
  };

  /** A new item, not yet processed in this cycle. */
  const processOnce = (item: Item, seenAt: Date, primed: boolean, irrelevant: ItemRecord[]): ItemRecord | Promise<ItemRecord> => {
    if (options.analyze) {
      // Nothing is stored in analyze mode, so an irrelevant item (most of them) needs no await at all.
      const verdict = deps.editorial.judge(item);
      if (!verdict.relevant) {
        const record = deps.editorial.irrelevantRecord(item, seenAt, verdict);
        processedIds.set(item.id, record);
        return record;
      }
      return processNew(item, seenAt, primed, irrelevant, verdict);
    }
    return processNew(item, seenAt, primed, irrelevant);
  };

  const processNew = async (
    item: Item,
    seenAt: Date,
    primed: boolean,
    irrelevant: ItemRecord[],
    verdict?: RelevanceVerdict,
  ): Promise<ItemRecord> => {
    const before = options.analyze ? undefined : await deps.stores.items.get(item.id);
    if (before) return before;
    const result = await deps.editorial.process(item, seenAt, verdict);
    processedIds.set(item.id, result.record);
    if (result.story) {
      const prev = changed.get(result.story.id);
      const entry = { story: result.story, postable: (prev?.postable ?? false) || primed };
      changed.set(result.story.id, entry);
      if (!options.analyze) await deps.onStory?.(entry.story, entry.postable);
    }
    if (!options.analyze) {
      if (result.record.relevance.relevant) await deps.stores.items.put(result.record);
      else irrelevant.push(result.record);
    }
    return result.record;
  };

  const feeds = await Promise.all(unique.map((s) => pollOne(s)));
  // analyze reports each feed in its own output.
  for (const f of options.analyze ? [] : feeds) {
    deps.logger.debug('feed polled', { source: f.source, status: f.status, entries: f.entries, newItems: f.newItems, error: f.error });
  }
  if (!options.analyze) await deps.editorial.save();
  return { feeds, changed, startedAt, finishedAt: now().toISOString() };
}

export function describeError(err: unknown): string {
  if (err instanceof FeedError) return err.message;
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`.split('\n')[0] ?? 'error';
  return String(err);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
