// Plain value types shared by the pure core, the adapters and the CLI contract (see docs/json-output.md).
// Nothing here may import I/O, discord.js, keyv or network modules.

export type Qualifier = 'exact' | 'about' | 'more_than' | 'at_least' | 'up_to' | 'nearly' | 'vague';

export type Metric =
  | 'people_held'
  | 'people_released'
  | 'people_rescued'
  | 'people_repatriated'
  | 'nationals_registered'
  | 'people_arrested'
  | 'compounds'
  | 'scam_revenue'
  | 'assets_seized'
  | 'sanctioned'
  | 'cases';

/** A number stated in a text, normalised, with what it counts and the exact words it came from. */
export interface Figure {
  value: number;
  qualifier: Qualifier;
  /** people | compounds | cases | entities | btc | an ISO currency code in lower case (usd, idr, …) */
  unit: string;
  metric: Metric;
  label: string;
  /** An exact substring of the item text (title + text). */
  quote: string;
}

/** A figure with its provenance, as kept in the registry. */
export interface SourcedFigure extends Figure {
  outlet: string;
  outletKind: OutletKind;
  link: string | null;
  itemId: string;
  /** ISO date of the report (published, else first seen). */
  date: string;
}

export type OutletKind =
  | 'government'
  | 'igo'
  | 'ngo'
  | 'wire'
  | 'international_media'
  | 'local_media'
  | 'state_media'
  | 'unknown';

/** One feed entry as the feed parser gives it: the fields we read, as the feed wrote them. All optional: feeds lie. */
export interface RawEntry {
  guid?: string | undefined;
  id?: string | undefined;
  link?: string | undefined;
  title?: string | undefined;
  content?: string | undefined;
  contentEncoded?: string | undefined;
  summary?: string | undefined;
  description?: string | undefined;
  pubDate?: string | undefined;
  dcDate?: string | undefined;
  published?: string | undefined;
  updated?: string | undefined;
  language?: string | undefined;
}

export interface FeedMeta {
  /** The source as configured: URL or file path. */
  source: string;
  /** Outlet name (from the source list, else the feed title, else the host). */
  outlet: string;
  outletKind: OutletKind;
  /** Feed-level language hint, e.g. "en-us". */
  language?: string | undefined;
}

/** A normalised feed item. */
export interface Item {
  id: string;
  feed: string;
  outlet: string;
  outletKind: OutletKind;
  title: string;
  /** http(s) link only, tracking parameters removed; null when the entry has none. */
  link: string | null;
  /** ISO 8601, or null when the feed gives no parseable date (never "now"). */
  published: string | null;
  /** Plain text of the body (HTML stripped, script/style dropped, entities decoded). */
  text: string;
  /** BCP-47-ish primary language code: en, km, th, zh, id, vi, ko, … or "und". */
  language: string;
}

export interface RelevanceVerdict {
  relevant: boolean;
  /** 0..1 */
  score: number;
  /** Human-readable reasons, e.g. "'scam compound' and 'Cambodia' in one sentence". */
  reasons: string[];
}

export interface Report {
  itemId: string;
  /** The feed source the report came from (decides which servers see the story). */
  feed: string;
  outlet: string;
  outletKind: OutletKind;
  title: string;
  link: string | null;
  published: string | null;
  seenAt: string;
}

export interface Story {
  id: string;
  title: string;
  summary: string;
  itemIds: string[];
  outlets: string[];
  reports: Report[];
  figures: SourcedFigure[];
  firstSeen: string;
  lastSeen: string;
  /** Bumped whenever a report or figure is added; the publisher edits posted messages when it grows. */
  version: number;
}
