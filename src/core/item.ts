// RawEntry (whatever a feed said) → Item (what the rest of the bot relies on). Pure: no I/O.
import type { FeedMeta, Item, RawEntry } from './types.js';
import { htmlToLine, htmlToText } from './html.js';
import { parseDate } from './dates.js';
import { detectItemLanguage } from './lang.js';
import { shortHash } from './hash.js';

// Query parameters that only identify a campaign or a click: they make one article look like many.
const TRACKING_EXACT = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi',
  'ref_src', 'ref_url', 'cmpid', 'ocid', 'ncid', 'icid', 'wt_mc', 'wt.mc_id', 's_cid', 'sr_share', 'at_medium',
  'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4', 'twclid', 'ttclid', 'li_fat_id',
  'oly_enc_id', 'oly_anon_id', 'vero_id', 'rb_clickid', '__twitter_impression', 'spm', 'mkt_tok', 'cmp', 'ito',
]);

function isTrackingParam(rawKey: string): boolean {
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is not a tracking key we know; keep the parameter.
  }
  key = key.toLowerCase();
  return key.startsWith('utm_') || TRACKING_EXACT.has(key);
}

/**
 * An absolute http(s) link that the URL parser would write back unchanged and that holds nothing to remove:
 * a lower-case domain name (not numeric, no punycode), no port, credentials, query or fragment, and a path of
 * unreserved characters without dot segments. Most feed links look like this, and skip the parser.
 */
const CANONICAL_ALREADY_RE = /^https?:\/\/(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*\/[A-Za-z0-9_.~/-]*$/;

function canonicalAlready(link: string): boolean {
  return CANONICAL_ALREADY_RE.test(link) && !link.includes('/.') && !link.includes('xn--');
}

/** An http(s) link with host lower-cased, fragment and tracking parameters removed; anything else → null. */
export function canonicalLink(link: string | undefined | null, base?: string): string | null {
  if (typeof link !== 'string') return null;
  const trimmed = link.trim();
  if (canonicalAlready(trimmed)) return trimmed;
  // Feeds double-escape ampersands in URLs ("&#038;", "&amp;"); a URL never legitimately contains those.
  const cleaned = trimmed.includes('&') ? trimmed.replace(/&(?:#0*38|#x0*26|amp);/gi, '&') : trimmed;
  if (!cleaned) return null;
  let url: URL;
  try {
    url = base ? new URL(cleaned, base) : new URL(cleaned);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Each URL setter reserialises the whole URL: only touch what can be there (an empty "#" counts too).
  if (url.href.includes('#')) url.hash = '';
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  if (url.search) {
    // Filter the raw query instead of going through URLSearchParams, which would re-encode what it keeps.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((part) => part !== '' && !isTrackingParam(part.split('=')[0] ?? ''));
    url.search = kept.length ? `?${kept.join('&')}` : '';
  } else if (url.href.endsWith('?')) {
    // An empty query ("/a?") is the same page as none.
    url.search = '';
  }
  return url.href;
}

function looksGlobal(guid: string): boolean {
  // Absolute URIs, URNs and tag: URIs are unique across feeds on their own.
  return /^(?:https?:\/\/[^/\s]+\.[^/\s]+|urn:|tag:)/i.test(guid);
}

/**
 * The store key of an entry: guid/id, then canonical link, then title+date, hashed to 16 hex characters.
 * Bare guids like "123" or "/r/x/.rss" are only unique within one feed, so those are namespaced by the source.
 */
export function entryId(raw: RawEntry, source: string, link: string | null): string {
  const guid = (raw.guid ?? raw.id ?? '').trim();
  if (guid) return shortHash(looksGlobal(guid) ? `g:${guid}` : `g:${source}\n${guid}`);
  if (link) return shortHash(`l:${link}`);
  const title = (raw.title ?? '').trim();
  const date = (dateFields(raw).find((d) => d !== undefined) ?? '').trim();
  const key = `h:${source}\n${title}\n${date}`;
  if (title) return shortHash(key);
  // No guid, link or title (RSS 0.9x allows items that are only a description): the body tells them apart.
  const body = (raw.contentEncoded ?? raw.content ?? raw.summary ?? raw.description ?? '').trim();
  return shortHash(body ? `${key}\n${body}` : key);
}

/** The entry's dates in order of trust, as the feed wrote them (core/dates reads them). */
function dateFields(raw: RawEntry): Array<string | undefined> {
  return [raw.pubDate, raw.dcDate, raw.published, raw.updated];
}

function firstDate(raw: RawEntry): string | null {
  for (const candidate of dateFields(raw)) {
    const parsed = parseDate(candidate);
    if (parsed) return parsed;
  }
  return null;
}

const NOT_BLANK = /\S/;

/** The longest markup among the body fields that holds more than whitespace and is not in `tried`. */
function longestBody(raw: RawEntry, tried: readonly string[]): string | undefined {
  let longest: string | undefined;
  // Written out rather than looped over a list: this runs for every item.
  for (let k = 0; k < 4; k++) {
    const c = k === 0 ? raw.contentEncoded : k === 1 ? raw.content : k === 2 ? raw.summary : raw.description;
    if (typeof c === 'string' && (longest === undefined || c.length > longest.length) && !tried.includes(c) && NOT_BLANK.test(c)) longest = c;
  }
  return longest;
}

function bodyText(raw: RawEntry): string {
  // Longest markup first, but a body that is all images yields no text, so fall through to the next. Feeds
  // often repeat one body in two fields: tried once.
  const tried: string[] = [];
  for (let body = longestBody(raw, tried); body !== undefined; body = longestBody(raw, tried)) {
    const text = htmlToText(body);
    if (text) return text;
    tried.push(body);
  }
  return '';
}

const HTTP_SOURCE_RE = /^https?:\/\//i;

function baseFor(source: string): string | undefined {
  return HTTP_SOURCE_RE.test(source) ? source : undefined;
}

/** No news item needs more: caps keep a hostile 5 MiB entry from costing minutes of CPU and hundreds of MB. */
export const MAX_TEXT_CHARS = 100_000;
export const MAX_TITLE_CHARS = 500;

/** Cuts at a whitespace boundary near the cap, never inside a surrogate pair, and marks the cut: at most `max` long. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Room for the " …" that marks the cut.
  const room = max - 2;
  let cut = text.lastIndexOf(' ', room);
  if (cut < room * 0.8) cut = room;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()} …`;
}

/** What identifies an entry: its store id, and the canonical link the id may come from. */
export interface EntryKey {
  id: string;
  link: string | null;
}

/**
 * The key of an entry, without the rest of normalisation: a poll tells new entries from seen ones by it and
 * normalises only the new ones (in a feed that changed, most entries were there on the last poll too).
 */
export function entryKey(raw: RawEntry, source: string): EntryKey {
  const base = baseFor(source);
  let link = canonicalLink(raw.link, base);
  if (!link && raw.guid && /^https?:\/\//i.test(raw.guid.trim())) link = canonicalLink(raw.guid, base);
  return { id: entryId(raw, source, link), link };
}

/** `key` is the entry's own entryKey, when the caller has it already. */
export function normaliseEntry(raw: RawEntry, meta: FeedMeta, key: EntryKey = entryKey(raw, meta.source)): Item {
  const { id, link } = key;
  const title = capText(htmlToLine(raw.title ?? ''), MAX_TITLE_CHARS) || 'Untitled';
  const text = capText(bodyText(raw), MAX_TEXT_CHARS);
  return {
    id,
    feed: meta.source,
    outlet: meta.outlet,
    outletKind: meta.outletKind,
    title,
    link,
    published: firstDate(raw),
    text,
    language: detectItemLanguage(title, text, raw.language ?? meta.language ?? null),
  };
}
