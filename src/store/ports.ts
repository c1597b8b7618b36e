// The store's ports: small interfaces the pipeline, the publisher and the commands depend on.
// One keyv-backed implementation (keyv-store.ts) serves SQLite, Redis and PostgreSQL alike.
import type { Figure, Item, Metric, RelevanceVerdict, SourcedFigure, Story } from '../core/types.js';

export interface FeedState {
  source: string;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** ISO time before which the feed is not fetched again (backoff, Retry-After, max-age). */
  nextDue: string | null;
  /** True once a poll succeeded: the first poll only records what exists, it posts nothing. */
  primed: boolean;
  /** Whether the "feed is failing" notice went out for the current run of failures. */
  failureNoticeSent: boolean;
}

export interface ItemRecord {
  item: Item;
  relevance: RelevanceVerdict;
  storyId: string | null;
  /** Extractive summary of this item (empty for irrelevant items). */
  summary: string;
  figures: Figure[];
  seenAt: string;
}

export type SubscriptionMode = 'instant' | 'digest';

export interface Subscription {
  channelId: string;
  mode: SubscriptionMode;
  /** Local hour (0-23) of the daily digest. */
  digestHour: number;
  timezone: string;
  /** ISO time of subscribing: stories first seen before it are never posted to this channel. */
  since: string;
}

export interface GuildSettings {
  guildId: string;
  subscriptions: Subscription[];
  adminChannelId: string | null;
  /** Feeds this server added on top of the defaults. */
  addedFeeds: string[];
  /** Default feeds this server removed. */
  removedFeeds: string[];
}

export type OutboxStatus = 'pending' | 'sent' | 'digest' | 'failed';

export interface OutboxEntry {
  /** `${channelId}:${storyId}` (or `${channelId}:notice:${id}` for notices). */
  key: string;
  guildId: string;
  channelId: string;
  kind: 'story' | 'notice' | 'digest';
  storyId: string | null;
  /** For notices and digests: the text to send. */
  text: string | null;
  status: OutboxStatus;
  /** Nonce sent with enforce_nonce so a resend after a crash is not a second message. */
  nonce: string;
  messageId: string | null;
  /** Story version the message currently shows, and the one it should show. */
  sentVersion: number;
  wantedVersion: number;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SeenStore {
  /** Ids already seen in this feed, among those given. */
  filterSeen(feed: string, ids: string[]): Promise<Set<string>>;
  markSeen(feed: string, ids: string[], now: Date): Promise<void>;
  /** Drops ids first seen before the cutoff unless they are in `keep` (still in the feed document). */
  prune(feed: string, cutoff: Date, keep: Set<string>): Promise<void>;
  /** `markSeen` then `prune`, as one update of the feed's seen ids (nothing is written when nothing changes). */
  markSeenAndPrune(feed: string, ids: string[], now: Date, cutoff: Date, keep: Set<string>): Promise<void>;
}

export interface FeedStateStore {
  get(source: string): Promise<FeedState | undefined>;
  put(state: FeedState): Promise<void>;
  list(): Promise<FeedState[]>;
}

export interface ItemStore {
  get(id: string): Promise<ItemRecord | undefined>;
  put(record: ItemRecord): Promise<void>;
  /** Many records at once (a feed's irrelevant items): one index update per feed and day. */
  putMany(records: ItemRecord[]): Promise<void>;
  getByLink(link: string): Promise<ItemRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Deletes items first seen on UTC days before the cutoff; returns how many went. */
  pruneBefore(cutoff: Date): Promise<number>;
}

export interface StoryStore {
  get(id: string): Promise<Story | undefined>;
  put(story: Story): Promise<void>;
  /** Newest first (by first seen day, then last seen). */
  recent(limit: number): Promise<Story[]>;
  /** Stories first seen on the given UTC days. */
  byDays(days: string[]): Promise<Story[]>;
  /** Every stored UTC day that has stories, oldest first. */
  days(): Promise<string[]>;
  deleteDay(day: string): Promise<void>;
}

export interface FigureRegistry {
  add(figures: SourcedFigure[]): Promise<void>;
  /** All figures for a metric, oldest first. */
  history(metric: Metric): Promise<SourcedFigure[]>;
  metrics(): Promise<Metric[]>;
  prune(cutoff: Date): Promise<void>;
}

export interface GuildStore {
  get(guildId: string): Promise<GuildSettings>;
  put(settings: GuildSettings): Promise<void>;
  list(): Promise<GuildSettings[]>;
}

export interface OutboxStore {
  get(key: string): Promise<OutboxEntry | undefined>;
  put(entry: OutboxEntry): Promise<void>;
  /** Entries that still need a send or an edit, oldest first. */
  pending(): Promise<OutboxEntry[]>;
  /** Story entries of a channel waiting for its next digest (overflow of the hourly cap, digest mode). */
  awaitingDigest(channelId: string): Promise<OutboxEntry[]>;
}

export interface MetaStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A lease held by one process at a time (the poller). */
export interface LeaseStore {
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export interface Stores {
  seen: SeenStore;
  feeds: FeedStateStore;
  items: ItemStore;
  stories: StoryStore;
  figures: FigureRegistry;
  guilds: GuildStore;
  outbox: OutboxStore;
  meta: MetaStore;
  lease: LeaseStore;
  /** Backend name for logs and /status. */
  readonly backend: string;
  close(): Promise<void>;
}
