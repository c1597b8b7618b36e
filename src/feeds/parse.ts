// Feed text → entries via rss-parser, behind cheap sniffing that turns "someone served us the wrong thing"
// into one clear line, and that refuses DTD entity tricks before any XML parser sees them.
import Parser from 'rss-parser';
import type { RawEntry } from '../core/types.js';
import { HTML_ENTITIES, htmlToLine } from '../core/html.js';
import { FeedError } from './fetch.js';

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  language: string | null;
  entries: RawEntry[];
}

type Loose = Record<string, unknown>;

/**
 * One element as xml2js (configured as rss-parser configures it) gives it: its text, or an object holding the
 * text under `_`, the attributes under `$` and each child element's occurrences under the child's name. An
 * element with neither text nor children is ''.
 */
type XmlValue = string | XmlNode;
interface XmlNode {
  [name: string]: unknown;
}

/** The text of an element's first occurrence, with or without attributes; undefined when it holds elements. */
function textOf(occurrences: unknown): string | undefined {
  if (!Array.isArray(occurrences)) return undefined;
  const first: unknown = occurrences[0];
  if (typeof first === 'string') return first;
  if (first !== null && typeof first === 'object') {
    const text = (first as XmlNode)['_'];
    if (typeof text === 'string') return text;
  }
  return undefined;
}

/** No body needs deeper markup; a hostile one gets no deeper than this either. */
const MAX_MARKUP_DEPTH = 64;

const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Does this element occurrence hold child elements, i.e. markup written as XML rather than as escaped text? */
function hasElements(node: XmlNode): boolean {
  for (const key in node) if (key !== '_' && key !== '$') return true;
  return false;
}

/**
 * Markup again from child elements, for when the document cannot be read a second time with them kept as text
 * (see keepMarkupAsText): xml2js groups children by name and keeps the text apart, so words may come out of
 * order. Attributes are left out.
 */
function markupOf(node: XmlNode, depth = 0): string {
  let out = '';
  for (const name of Object.keys(node)) {
    const value = node[name];
    if (name === '$') continue;
    if (name === '_') {
      if (typeof value === 'string') out += escapeText(value);
      continue;
    }
    if (!Array.isArray(value)) continue;
    for (const child of value as XmlValue[]) {
      const inner = typeof child === 'string' ? escapeText(child) : depth < MAX_MARKUP_DEPTH ? markupOf(child, depth + 1) : '';
      out += ` <${name}>${inner}</${name}> `;
    }
  }
  return out;
}

/** Elements whose content is markup for core/html to read: titles and bodies, in every dialect we read. */
const MARKUP_ELEMENT_RE =
  /<(title|description|summary|content|content:encoded|media:description|media:title)(\s[^>]*)?(?<!\/)>([\s\S]*?)<\/\1\s*>/g;

/**
 * The document with the markup written as XML elements inside titles and bodies (HTML put straight into an RSS
 * description, Atom's type="xhtml") turned into character data, so that the parser hands it over as text, in
 * order, as it would an escaped body. Content that holds a CDATA section already is left as it is.
 */
function keepMarkupAsText(doc: string): string {
  return doc.replace(MARKUP_ELEMENT_RE, (whole, name: string, attrs: string | undefined, inner: string) => {
    if (!inner.includes('<') || inner.includes('<![CDATA[')) return whole;
    return `<${name}${attrs ?? ''}><![CDATA[${inner}]]></${name}>`;
  });
}

/** An attribute of an element occurrence, if it has attributes. */
function attribute(occurrence: unknown, name: string): string | undefined {
  if (occurrence === null || typeof occurrence !== 'object') return undefined;
  const attrs = (occurrence as XmlNode)['$'];
  if (attrs === null || typeof attrs !== 'object') return undefined;
  const value = (attrs as XmlNode)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Links that stand for the page when there is no alternate one. Not self or edit (the feed's or an API's own
 * address), not enclosures, replies or licences.
 */
const FALLBACK_RELS: ReadonlySet<string> = new Set(['related', 'via']);

/**
 * An Atom feed's or entry's link: the first alternate one with an address (rel="alternate", or no rel, which
 * means the same), else a related one. A link written as text (<link>https://…</link>, an RSS habit) counts as
 * alternate.
 */
function atomLink(occurrences: unknown): string | undefined {
  if (!Array.isArray(occurrences)) return undefined;
  let fallback: string | undefined;
  for (const link of occurrences as unknown[]) {
    if (typeof link === 'string') {
      if (link.trim()) return link;
      continue;
    }
    const href = attribute(link, 'href') ?? textOf([link]);
    if (href === undefined || !href.trim()) continue;
    const rel = attribute(link, 'rel');
    if (rel === undefined || rel === 'alternate') return href;
    if (FALLBACK_RELS.has(rel)) fallback ??= href;
  }
  return fallback;
}

const asNode = (value: unknown): XmlNode => (value !== null && typeof value === 'object' ? (value as XmlNode) : {});

/** The first occurrence of an element that holds others (media:group), or an empty node. */
const firstNode = (occurrences: unknown): XmlNode => asNode(Array.isArray(occurrences) ? (occurrences as unknown[])[0] : undefined);

/**
 * rss-parser's Parser with its item mapping replaced by our own (docs/decisions/0007): rss-parser reads the XML
 * and tells RSS 2.0, 0.9x, RDF and Atom apart; each item comes straight out as a RawEntry. Its own mapping did
 * work we threw away: a plain-text snippet of every body (core/html makes our text), an ISO date through
 * `new Date(text)` (we never read dates that way, see core/dates), field copies driven by lists, then one more
 * copy into a RawEntry. Without it a parse takes about a sixth less time (145 ms against 175 ms for a plain
 * rss-parser parse of bench section 1's 10,000-item feed, best of 15). The method names are rss-parser 3.13's
 * (its version is pinned); the loop below the class checks at start-up that they are still there.
 */
class FeedParser extends Parser<Loose, RawEntry> {
  /** Whether a title or body held child elements; parseFeedXml then reads the document again (keepMarkupAsText). */
  sawElements = false;

  /**
   * A title or body as markup for core/html: escaped or CDATA text as written; child elements put back into
   * markup (and noted, see sawElements); an Atom type="text" element escaped, since its text is not HTML.
   */
  private markup(occurrences: unknown, atom = false): string | undefined {
    if (!Array.isArray(occurrences)) return undefined;
    const first: unknown = occurrences[0];
    if (typeof first === 'string') return first;
    if (first === null || typeof first !== 'object') return undefined;
    const node = first as XmlNode;
    if (hasElements(node)) {
      this.sawElements = true;
      return markupOf(node);
    }
    const text = node['_'];
    if (typeof text !== 'string') return undefined;
    return atom && node['$'] !== undefined && attribute(node, 'type') === 'text' ? escapeText(text) : text;
  }

  /** Called by rss-parser for every RSS 2.0, 0.9x and RDF item. */
  parseItemRss(xmlItem: unknown): RawEntry {
    const item = asNode(xmlItem);
    return {
      guid: textOf(item['guid']),
      id: textOf(item['id']),
      link: textOf(item['link']),
      title: this.markup(item['title']) || this.markup(item['dc:title']) || this.markup(item['media:title']),
      content: this.markup(item['description']),
      contentEncoded: this.markup(item['content:encoded']),
      summary: this.markup(item['summary']),
      // Media RSS: the body of items that have no other (video and photo feeds).
      description: this.markup(item['media:description']) ?? this.markup(firstNode(item['media:group'])['media:description']),
      pubDate: textOf(item['pubDate']),
      dcDate: textOf(item['dc:date']),
      // Atom elements that some RSS items carry as well.
      published: textOf(item['published']),
      updated: textOf(item['updated']),
      language: textOf(item['dc:language']),
    };
  }

  /**
   * Called by rss-parser for an Atom document. Replaced as well because rss-parser takes the feed's first link
   * whatever its rel (often `self`, the feed's own address) and fails on a link written as text; the language
   * comes from xml:lang, Atom's own way to give it.
   */
  buildAtomFeed(xmlObj: unknown): Loose & { items: RawEntry[] } {
    const feed = asNode(asNode(xmlObj)['feed']);
    const entries = feed['entry'];
    return {
      title: this.markup(feed['title'], true),
      link: atomLink(feed['link']),
      language: textOf(feed['dc:language']) ?? attribute(feed, 'xml:lang'),
      items: Array.isArray(entries) ? entries.map((entry: unknown) => this.parseItemAtom(entry)) : [],
    };
  }

  /** Called for every Atom entry (by buildAtomFeed above, as rss-parser's own does). */
  parseItemAtom(xmlEntry: unknown): RawEntry {
    const entry = asNode(xmlEntry);
    return {
      guid: undefined,
      id: textOf(entry['id']),
      link: atomLink(entry['link']),
      title: this.markup(entry['title'], true) || this.markup(entry['dc:title']) || this.markup(entry['media:title']),
      content: this.markup(entry['content'], true),
      contentEncoded: this.markup(entry['content:encoded']),
      summary: this.markup(entry['summary'], true),
      description: this.markup(entry['description']) ?? this.markup(entry['media:description']) ?? this.markup(firstNode(entry['media:group'])['media:description']),
      pubDate: undefined,
      dcDate: textOf(entry['dc:date']),
      published: textOf(entry['published']),
      updated: textOf(entry['updated']),
      language: textOf(entry['dc:language']) ?? attribute(entry, 'xml:lang'),
    };
  }

  /** rss-parser copies iTunes fields onto podcast items; we read none of them. */
  decorateItunes(): void {}
}

for (const method of ['parseItemRss', 'buildAtomFeed', 'parseItemAtom', 'decorateItunes']) {
  if (typeof (Parser.prototype as unknown as Loose)[method] !== 'function') {
    throw new Error(`rss-parser no longer has Parser.prototype.${method}; src/feeds/parse.ts maps items through it`);
  }
}

function makeParser(): FeedParser {
  return new FeedParser({
    // An <rss> without version="2.0" is still RSS in practice.
    defaultRSS: 2,
    customFields: { feed: [['dc:language', 'dcLanguage'] as unknown as string] },
  });
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  // xml2js represents an element with attributes as { _: text, $: attrs }.
  if (v && typeof v === 'object' && '_' in v && typeof (v as { _: unknown })._ === 'string') return (v as { _: string })._;
  return undefined;
}

const SNIFF_BYTES = 4096;

function sniff(xml: string): number {
  const start = xml.search(/\S/);
  if (start < 0) throw new FeedError('not_a_feed', 'empty body, not an RSS/Atom/RDF feed');
  const first = xml[start];
  if (first === '{' || first === '[') throw new FeedError('not_a_feed', 'got JSON, not an RSS/Atom/RDF feed');
  const head = xml.slice(start, start + SNIFF_BYTES);
  // Text never contains NULs, and real feeds have (almost) no other C0 controls.
  const controls = head.match(/[\u0000-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (head.includes('\u0000') || controls > head.length / 100) {
    throw new FeedError('not_a_feed', 'got binary data, not an RSS/Atom/RDF feed');
  }
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html\b|html\b|head\b|body\b)/i.test(head)) {
    throw new FeedError('not_a_feed', 'got an HTML page, not an RSS/Atom/RDF feed (is the URL a web page?)');
  }
  return start;
}

/** Index of the root element's "<"; everything before it is prolog (declaration, PIs, comments, DOCTYPE). */
function findRoot(xml: string, from: number): number {
  let i = from;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return -1;
    const next = xml[lt + 1];
    if (next === '?') {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return -1;
      i = end + 3;
    } else if (next === '!') {
      // DOCTYPE: skip a bracketed internal subset as a whole so "<" inside it is not taken for the root.
      const bracket = xml.indexOf('[', lt);
      const close = xml.indexOf('>', lt);
      if (close < 0) return -1;
      if (bracket >= 0 && bracket < close) {
        const end = xml.indexOf(']', bracket);
        if (end < 0) return -1;
        const gt = xml.indexOf('>', end);
        if (gt < 0) return -1;
        i = gt + 1;
      } else {
        i = close + 1;
      }
    } else {
      return lt;
    }
  }
}

function checkProlog(prolog: string): void {
  if (!/<!DOCTYPE/i.test(prolog)) return;
  // Entity declarations are how XXE (external) and billion-laughs (nested) attacks work; no feed needs them.
  if (/<!ENTITY/i.test(prolog)) {
    const external = /<!ENTITY[^>]*\b(?:SYSTEM|PUBLIC)\b/i.test(prolog);
    throw new FeedError(
      'unsafe_xml',
      external
        ? 'unsafe XML: DOCTYPE declares an external entity; refusing to parse'
        : 'unsafe XML: DOCTYPE declares entities (possible entity expansion attack); refusing to parse',
    );
  }
}

/** A prolog that is one XML declaration and spaces: the parser reads it harmlessly (the text is already decoded). */
const XML_DECLARATION_ONLY_RE = /^<\?xml\s[^<>]*\?>\s*$/;

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Second-chance repair for the commonest invalid XML in feeds: HTML entities and bare ampersands. */
function repairEntities(xml: string): string {
  return xml.replace(/&(?:(#\d{1,8}|#[xX][0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));|&/g, (whole, num: string | undefined, name: string | undefined) => {
    if (num !== undefined) return whole;
    if (name !== undefined) {
      if (XML_ENTITIES.has(name)) return whole;
      const cp = HTML_ENTITIES.get(name);
      return cp === undefined ? `&amp;${name};` : `&#${cp};`;
    }
    return '&amp;';
  });
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const [first, ...rest] = msg.split('\n');
  const line = /Line:\s*(\d+)/.exec(rest.join(' '))?.[1];
  const column = /Column:\s*(\d+)/.exec(rest.join(' '))?.[1];
  const where = line ? ` (line ${Number(line) + 1}${column ? `, column ${column}` : ''})` : '';
  return `${(first ?? 'parse error').trim()}${where}`;
}

type ParserOutput = Loose & { items: RawEntry[] };

/** One reading of the document; `sawElements`: a title or body held child elements (see FeedParser.markup). */
async function runParser(doc: string): Promise<{ feed: ParserOutput; sawElements: boolean }> {
  const parser = makeParser();
  const feed = (await parser.parseString(doc)) as ParserOutput;
  return { feed, sawElements: parser.sawElements };
}

/** Parses RSS 2.0/0.9x, RSS 1.0 (RDF) and Atom; throws FeedError with a one-line message otherwise. */
export async function parseFeedXml(xml: string): Promise<ParsedFeed> {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const start = sniff(text);
  const root = findRoot(text, start);
  if (root < 0) throw new FeedError('not_a_feed', 'no XML root element found, not an RSS/Atom/RDF feed');
  checkProlog(text.slice(start, root));
  const rootName = /^<([^\s/>]+)/.exec(text.slice(root, root + 64))?.[1] ?? '';
  if (!/^(?:rss|feed|rdf:RDF)$/.test(rootName)) {
    if (/^html$/i.test(rootName)) throw new FeedError('not_a_feed', 'got an HTML page, not an RSS/Atom/RDF feed (is the URL a web page?)');
    throw new FeedError('not_a_feed', `root element <${rootName.slice(0, 40)}> is not <rss>, <feed> or <rdf:RDF>`);
  }
  // The prolog has been checked and the text is already decoded: parsing from the root sidesteps broken
  // declarations (<?phpxml …?>), stale encoding labels and harmless DOCTYPEs in one move. A document that opens
  // with nothing but an XML declaration is parsed whole: the parser reads a cut-out string about 7% slower
  // than a whole one, character by character.
  const doc = start === 0 && XML_DECLARATION_ONLY_RE.test(text.slice(0, root)) ? text : text.slice(root);
  let read: { feed: ParserOutput; sawElements: boolean };
  let readDoc = doc;
  try {
    read = await runParser(doc);
  } catch (first) {
    const msg = first instanceof Error ? first.message : String(first);
    try {
      if (!/Invalid character entity|Invalid character in entity name/i.test(msg)) throw first;
      readDoc = repairEntities(doc);
      read = await runParser(readDoc);
    } catch (err) {
      throw toFeedError(err, rootName);
    }
  }
  let feed = read.feed;
  if (read.sawElements) {
    // Markup written as XML in a title or body: a second reading gets it whole and in order. Only feeds with
    // such markup pay for it; should that reading fail, the first one stands.
    try {
      feed = (await runParser(keepMarkupAsText(readDoc))).feed;
    } catch {
      // keep the first reading
    }
  }
  return {
    // The feed title becomes an outlet name shown everywhere: plain text, no controls or bidi overrides.
    title: htmlToLine(str(feed['title']) ?? '') || null,
    link: str(feed['link'])?.trim() || null,
    language: str(feed['language'])?.trim() || str(feed['dcLanguage'])?.trim() || null,
    entries: feed.items ?? [],
  };
}

function toFeedError(err: unknown, rootName: string): FeedError {
  if (err instanceof FeedError) return err;
  if (err instanceof TypeError && rootName === 'rss') {
    return new FeedError('not_a_feed', 'RSS document has no <channel> element', { cause: err });
  }
  if (err instanceof TypeError || (err instanceof Error && /not recognized/i.test(err.message))) {
    return new FeedError('not_a_feed', `unrecognised feed structure: ${oneLine(err)}`, { cause: err });
  }
  return new FeedError('invalid_xml', `invalid XML: ${oneLine(err)}`, { cause: err });
}
