// Discord formatting, kept pure: stories and figures in, embeds and strings out. Everything that came from a
// feed is treated as hostile text — markdown is escaped, mentions are broken so they never ping, and only
// http(s) URLs are ever used as links — and every Discord length limit is met by shortening, never by failing.
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { formatFigureValue } from '../core/registry.js';
import type { OutletKind, Report, SourcedFigure, Story } from '../core/types.js';
import { withoutCredentials } from '../core/credentials.js';
import { counted } from '../core/words.js';
import type { FeedState } from '../store/ports.js';

/** Discord's documented limits (characters). JS string length counts UTF-16 units, never fewer than Discord counts. */
export const LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  embedsPerMessage: 10,
  content: 2000,
} as const;

const EMBED_COLOR = 0xc0392b;
const ELLIPSIS = '…';
const ZWSP = '\u200b';

// ------------------------------------------------------------------------------------------------------------
// Text safety

/** Breaks @everyone/@here and <@…>/<@&…>/<#…> so they render as text but cannot notify anyone. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/giu, `@${ZWSP}$1`).replace(/<(\\?)([@#])/gu, `<$1${ZWSP}$2`);
}

/**
 * Feed text as literal Discord text: markdown characters are backslash-escaped (so a title with "*" or "[x](y)"
 * renders as written), line-start syntax (headings, lists, quotes) is defused, and mentions are neutralised.
 */
// Bidi overrides/isolates can make a title display reversed (a link text that lies); control characters other
// than newline and tab have no business in a message. Both are dropped from feed text.
const DISPLAY_TRAPS = /[\u202A-\u202E\u2066-\u2069]|(?![\n\t])\p{Cc}/gu;

/** A line starting with a number and a full stop, which Discord would render as a numbered list. */
// A module constant, not a literal in escapeText: see docs/decisions/0005-hot-path-under-tsx.md.
const NUMBERED_LINE_RE = /^(\s*\p{Nd}+)\./gmu;

export function escapeText(text: string): string {
  const escaped = text
    .replace(DISPLAY_TRAPS, '')
    .replace(/[\\*_~`|[\]<>]/gu, '\\$&')
    .replace(/^(\s*)([#+-])/gmu, '$1\\$2')
    .replace(NUMBERED_LINE_RE, '$1\\.');
  return neutraliseMentions(escaped);
}

/** The URL if it is a well-formed http(s) URL, else null: `javascript:`, `data:` and garbage are never linked. */
export function safeUrl(url: string | null | undefined): string | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  // Credentials never belong in a shared link; without them every "@" left is in the path or query.
  parsed.username = '';
  parsed.password = '';
  // Parentheses would end a masked link early and "@everyone" in a path must not read as a mention;
  // percent-encoded, they are the same URL to the server.
  return parsed.href.replace(/\(/gu, '%28').replace(/\)/gu, '%29').replace(/@/gu, '%40');
}

/** A masked link when the URL is safe, otherwise just the text. `text` must already be escaped. */
export function maskedLink(text: string, url: string | null | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${text}](${safe})` : text;
}

/** Shortens to at most `max` characters with an ellipsis, never splitting a surrogate pair or leaving a dangling escape. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  let head = text.slice(0, cut);
  // An odd run of trailing backslashes would escape the ellipsis (or print a stray "\").
  const slashes = /\\+$/u.exec(head)?.[0].length ?? 0;
  if (slashes % 2 === 1) head = head.slice(0, -1);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

/** Shortens multi-line text at a line boundary when one is close enough, so masked links are not cut in half. */
export function truncateLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lastBreak = text.lastIndexOf('\n', max - 2);
  if (lastBreak >= max / 2) return `${text.slice(0, lastBreak)}\n${ELLIPSIS}`;
  return truncate(text, max);
}

/** Lines joined until `max` is reached, then "… and N more" so the reader knows something was left out. */
export function joinLines(lines: readonly string[], max: number, moreLabel = 'more'): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? `\n${ELLIPSIS} and ${rest} ${moreLabel}`.length : 0;
    const add = (out.length > 0 ? 1 : 0) + line.length;
    if (length + add + tail > max) {
      const left = lines.length - i;
      // "more figures", but "1 more figure".
      const note = `${ELLIPSIS} and ${left} ${left === 1 ? moreLabel.replace(/s$/u, '') : moreLabel}`;
      if (out.length === 0) return truncate(line, max);
      return length + 1 + note.length <= max ? `${out.join('\n')}\n${note}` : out.join('\n');
    }
    out.push(line);
    length += add;
  }
  return out.join('\n');
}

/** Message content (2,000 characters). */
export function truncateContent(text: string): string {
  return truncateLines(text, LIMITS.content);
}

// ------------------------------------------------------------------------------------------------------------
// Small formatters

const KIND_LABELS: Record<OutletKind, string> = {
  government: 'government',
  igo: 'UN / intergovernmental',
  ngo: 'NGO',
  wire: 'wire service',
  international_media: 'international media',
  local_media: 'local media',
  state_media: 'state-affiliated media',
  unknown: 'kind unknown',
};

export function kindLabel(kind: OutletKind): string {
  return KIND_LABELS[kind] ?? KIND_LABELS.unknown;
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "14 Jan 2026" (UTC), or the input escaped when it is not a date. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return 'date unknown';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? escapeText(iso) : DAY_FORMAT.format(new Date(t));
}

/**
 * A time Discord shows in each reader's own zone and keeps current ("3 hours ago" tomorrow is "a day ago"), for
 * text that stays in a channel (posts, digests). Discord renders it in message text and embed descriptions and
 * fields, not in titles or footers. Falls back to relativeAge for an unreadable time.
 */
export function discordRelativeTime(iso: string, now: Date): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? relativeAge(iso, now) : `<t:${Math.floor(t / 1000)}:R>`;
}

/** Discord time tags as plain UTC text, for preview output in a terminal. */
export function plainTimeTags(text: string): string {
  return text.replace(/<t:(-?\d{1,13}):[tTdDfFR]>/gu, (_, seconds: string) => `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
}

export function relativeAge(iso: string, now: Date): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'at an unknown time';
  const minutes = Math.round((now.getTime() - t) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The report a story links to: the first one with a usable link. */
export function leadReport(story: Story): Report | undefined {
  return story.reports.find((r) => safeUrl(r.link) !== null) ?? story.reports[0];
}

/** "Khmer Times, local media" with the outlet linked when the source has a safe link. */
export function outletCredit(outlet: string, kind: OutletKind, link: string | null): string {
  const name = maskedLink(escapeText(outlet), link);
  return kind === 'unknown' ? name : `${name}, ${kindLabel(kind)}`;
}

/** "more than 1,400 people — nationals registered (Khmer Times, local media[, 14 Jan 2026])". */
export function figureLine(f: SourcedFigure, opts: { withDate?: boolean } = {}): string {
  const credit = outletCredit(f.outlet, f.outletKind, f.link);
  const date = opts.withDate ? `, ${formatDay(f.date)}` : '';
  const label = f.label.trim() ? ` — ${escapeText(truncate(f.label.trim(), 160))}` : '';
  return `${formatFigureValue(f)}${label} (${credit}${date})`;
}

/** One line per story for /latest and /search: linked title, outlets, age and the id /story takes. */
export function storyLine(story: Story, opts: { now?: Date } = {}): string {
  const now = opts.now ?? new Date();
  const title = maskedLink(escapeText(truncate(story.title.trim() || 'Untitled story', 180)), leadReport(story)?.link);
  const shown = story.outlets.slice(0, 4).map((o) => escapeText(truncate(o, 60)));
  const more = story.outlets.length > shown.length ? ` +${story.outlets.length - shown.length}` : '';
  return `**${title}** — ${shown.join(', ') || 'unknown outlet'}${more} · ${discordRelativeTime(story.lastSeen, now)} · \`${story.id}\``;
}

/** "**Outlet** (kind): linked title · 14 Jan 2026"; /sources separates outlet and title with " — " instead. */
export function reportLine(r: Report, separator = ': '): string {
  const title = maskedLink(escapeText(truncate(r.title.trim() || 'report', 120)), r.link);
  const kind = r.outletKind === 'unknown' ? '' : ` (${kindLabel(r.outletKind)})`;
  return `**${escapeText(truncate(r.outlet, 80))}**${kind}${separator}${title} · ${formatDay(r.published ?? r.seenAt)}`;
}

/** Figures worth showing once: the same value from the same outlet for the same metric is one line. */
function distinctFigures(figures: readonly SourcedFigure[]): SourcedFigure[] {
  const seen = new Set<string>();
  return figures.filter((f) => {
    const key = `${f.metric}|${f.value}|${f.unit}|${f.outlet}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type FeedHealth = 'ok' | 'failing' | 'not_polled';

export function feedHealth(state: FeedState | undefined): FeedHealth {
  if (!state || (!state.lastAttempt && !state.lastSuccess)) return 'not_polled';
  return state.consecutiveFailures > 0 ? 'failing' : 'ok';
}

/** "ok, last success 2 h ago" / "failing: 3 failures in a row, last error: …" / "not polled yet". */
export function feedHealthText(state: FeedState | undefined, now: Date): string {
  const health = feedHealth(state);
  if (!state || health === 'not_polled') return 'not polled yet';
  const success = state.lastSuccess ? `last success ${relativeAge(state.lastSuccess, now)}` : 'never succeeded';
  if (health === 'ok') return `ok, ${success}`;
  const error = state.lastError ? `, last error: ${escapeText(truncate(withoutCredentials(state.lastError), 160))}` : '';
  return `failing: ${counted(state.consecutiveFailures, 'failure')} in a row${error}; ${success}`;
}

/** A feed as "**Outlet** — health" with its URL in code style underneath (a URL is not feed text we link blindly). */
export function feedLine(source: string, outletName: string, state: FeedState | undefined, now: Date): string {
  let url = safeUrl(source) ?? source;
  try {
    // Search feeds carry their query percent-encoded; decoded, a Thai or Chinese query is readable.
    url = decodeURI(url);
  } catch {
    // A malformed escape: show the URL as it is.
  }
  // Code spans cannot be escaped from inside: backticks and control characters (a decoded %0A) are dropped.
  const shown = url.replace(/[`\p{Cc}]/gu, '');
  return `**${escapeText(truncate(outletName, 80))}** — ${feedHealthText(state, now)}\n\u2003\`${neutraliseMentions(truncate(shown, 180))}\``;
}

// ------------------------------------------------------------------------------------------------------------
// Embeds

export function storyEmbed(story: Story): APIEmbed {
  const lead = leadReport(story);
  const fields: APIEmbedField[] = [];
  const figures = distinctFigures(story.figures);
  if (figures.length > 0) {
    fields.push({ name: 'Key figures', value: joinLines(figures.map((f) => figureLine(f)), LIMITS.fieldValue, 'more figures') });
  }
  if (story.reports.length > 0) {
    fields.push({ name: 'Reported by', value: joinLines(story.reports.map((r) => reportLine(r)), LIMITS.fieldValue, 'more reports') });
  }
  const embed: APIEmbed = {
    title: truncate(escapeText(story.title.trim() || 'Untitled story'), LIMITS.title),
    description: truncateLines(escapeText(story.summary.trim()), LIMITS.description),
    color: EMBED_COLOR,
    fields,
    footer: {
      text: `Story ${story.id} · ${counted(story.reports.length, 'report')} from ${counted(story.outlets.length, 'outlet')} · first seen ${formatDay(story.firstSeen)}`,
    },
  };
  const url = safeUrl(lead?.link);
  if (url) embed.url = url;
  if (!Number.isNaN(Date.parse(story.lastSeen))) embed.timestamp = new Date(story.lastSeen).toISOString();
  return enforceEmbedLimits(embed);
}

function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function safeMediaUrl(url: string): string | null {
  // Attachments uploaded with the message (the /figures chart) are referenced as attachment://name.
  return url.startsWith('attachment://') ? url : safeUrl(url);
}

/** Applies every per-part limit, then trims description and fields until the whole embed fits 6,000 characters. */
export function enforceEmbedLimits(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title);
  if (!out.title) delete out.title;
  if (out.description !== undefined) out.description = truncateLines(out.description, LIMITS.description);
  if (!out.description) delete out.description;
  if (out.url !== undefined) {
    const url = safeUrl(out.url);
    if (url) out.url = url;
    else delete out.url;
  }
  if (out.footer) {
    const text = truncate(out.footer.text, LIMITS.footer);
    if (text) out.footer = { ...out.footer, text };
    else delete out.footer;
  }
  if (out.author) {
    const name = truncate(out.author.name, LIMITS.authorName);
    const url = out.author.url === undefined ? null : safeUrl(out.author.url);
    if (!name) delete out.author;
    else {
      const author = { ...out.author, name };
      if (url) author.url = url;
      else delete author.url;
      out.author = author;
    }
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = out[key];
    if (media === undefined) continue;
    const url = safeMediaUrl(media.url);
    if (url) out[key] = { ...media, url };
    else delete out[key];
  }
  // Discord rejects empty field names or values, so such a field is dropped rather than sent.
  const fields = (out.fields ?? [])
    .map((f) => ({ ...f, name: truncate(f.name.trim(), LIMITS.fieldName), value: truncateLines(f.value.trim(), LIMITS.fieldValue) }))
    .filter((f) => f.name.length > 0 && f.value.length > 0)
    .slice(0, LIMITS.fields);
  out.fields = fields;

  let excess = embedLength(out) - LIMITS.embedTotal;
  // The summary yields first, down to a readable minimum; then the last fields; then whatever is left.
  if (excess > 0 && out.description) {
    const keep = Math.max(300, out.description.length - excess);
    if (keep < out.description.length) out.description = truncateLines(out.description, keep);
  }
  while ((excess = embedLength(out) - LIMITS.embedTotal) > 0 && fields.length > 0) {
    const last = fields[fields.length - 1];
    if (last && last.value.length - excess >= 64) fields[fields.length - 1] = { ...last, value: truncateLines(last.value, last.value.length - excess) };
    else fields.pop();
  }
  if ((excess = embedLength(out) - LIMITS.embedTotal) > 0 && out.description) {
    const keep = out.description.length - excess;
    if (keep > 0) out.description = truncateLines(out.description, keep);
    else delete out.description;
  }
  if ((excess = embedLength(out) - LIMITS.embedTotal) > 0 && out.footer) delete out.footer;
  if ((excess = embedLength(out) - LIMITS.embedTotal) > 0 && out.author) delete out.author;
  if ((excess = embedLength(out) - LIMITS.embedTotal) > 0 && out.title) out.title = truncate(out.title, out.title.length - excess);
  if (fields.length === 0) delete out.fields;
  return out;
}

/** At most 10 embeds whose combined text stays within 6,000 characters (Discord's per-message rule). */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  let total = 0;
  for (const embed of embeds.slice(0, LIMITS.embedsPerMessage)) {
    const fitted = enforceEmbedLimits(embed);
    const length = embedLength(fitted);
    if (total + length > LIMITS.embedTotal) break;
    out.push(fitted);
    total += length;
  }
  return out;
}

/** A plain embed for command answers; respond() shortens it to fit. `description` must already be escaped where it holds feed text. */
export function infoEmbed(title: string, description: string, fields: APIEmbedField[] = []): APIEmbed {
  // Not shortened here: every command answer goes through respond(), whose fitEmbeds applies enforceEmbedLimits.
  return { title, description, color: EMBED_COLOR, fields };
}
