// HTML fragment → plain text without a DOM: feeds carry small fragments and we parse thousands per poll, so a
// few linear regex passes beat building trees. The output is for matching and summarising, not for display.

// HTML 4 Latin-1 entity names for U+00A0..U+00FF, in code point order (saves a 96-line table).
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
  'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
  'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ' +
  'ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc ' +
  'uuml yacute thorn yuml';

const OTHER_ENTITIES: Record<string, number> = {
  amp: 38, lt: 60, gt: 62, quot: 34, apos: 39,
  OElig: 0x152, oelig: 0x153, Scaron: 0x160, scaron: 0x161, Yuml: 0x178, fnof: 0x192, circ: 0x2c6, tilde: 0x2dc,
  ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f,
  ndash: 0x2013, mdash: 0x2014, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a, ldquo: 0x201c, rdquo: 0x201d,
  bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022, hellip: 0x2026, permil: 0x2030, prime: 0x2032,
  Prime: 0x2033, lsaquo: 0x2039, rsaquo: 0x203a, oline: 0x203e, euro: 0x20ac, trade: 0x2122, larr: 0x2190,
  uarr: 0x2191, rarr: 0x2192, darr: 0x2193, harr: 0x2194, minus: 0x2212, nbhy: 0x2011, hyphen: 0x2010,
};

/** Named HTML entities we decode (name → code point). Exported so the XML layer can repair undeclared ones. */
export const HTML_ENTITIES: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  LATIN1_NAMES.split(' ').forEach((name, i) => map.set(name, 0xa0 + i));
  for (const [name, cp] of Object.entries(OTHER_ENTITIES)) map.set(name, cp);
  return map;
})();

const ENTITY_RE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

function fromCodePoint(cp: number): string {
  // NUL, surrogates and out-of-range values would be invalid text; drop them rather than emit U+FFFD.
  if (cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '';
  return String.fromCodePoint(cp);
}

/** Decodes named and numeric character references; unknown names are left as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    if (name !== undefined) {
      // Named references need their semicolon, except the legacy few browsers also accept bare ("&amp", "&nbsp").
      if (!whole.endsWith(';') && !/^(?:amp|lt|gt|quot|nbsp)$/.test(name)) return whole;
      const cp = HTML_ENTITIES.get(name);
      if (cp === undefined) return whole;
      return fromCodePoint(cp) + (whole.endsWith(';') ? '' : whole.slice(1 + name.length));
    }
    return whole;
  });
}

// Characters that are invisible or reorder text: they can disguise words from keyword matching or spoof what a
// reader sees in Discord, so normalised text never keeps them. (ZWJ goes too: emoji sequences are not our concern.)
const INVISIBLE_RE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// C0/C1 controls except \n and the spacing ones (tab, vertical tab, form feed), which become a space below.
const CONTROL_RE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;
const SPACE_RUN_RE = /[\t\u000B\u000C \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
/**
 * Anything cleanText would change apart from the ends: a control or invisible character, odd whitespace, a
 * double space or a space or break next to a line break. Most item text has none, and one scan for all of
 * them is far cheaper than a replace per kind (a replace over every single space cost more than the rest
 * of an item's normalisation).
 */
const NEEDS_CLEANING_RE =
  /[\t\r\u2028\u2029\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u00A0\u00AD\u1680\u2000-\u200F\u202A-\u202F\u205F-\u2069\u3000\uFEFF]| [ \n]|\n[ \n]/;

/**
 * The quicker test for the same: printable ASCII words, each space or line break alone. Anchored, the engine
 * reads the text once; unanchored searches for a bad character and for a double space took a quarter longer.
 */
const PLAIN_RE = /^[!-~]*(?:[ \n][!-~]+)*[ \n]?$/;

/**
 * The last two texts cleanText found to be printable ASCII (an item's title and body, as a poll normalises
 * them). Language detection and relevance read each item's text right after to ask whether it is ASCII; a
 * comparison with these answers without reading it again. Compared by value, a stale entry can only miss.
 */
const knownPlain: [string, string] = ['', ''];
let nextKnown = 0;

/** True when `s` is one of the last texts cleanText returned that were printable ASCII (no controls). */
export function isKnownPlainAscii(s: string): boolean {
  return s === knownPlain[0] || s === knownPlain[1];
}

/** Strips invisible/bidi/control characters and collapses whitespace, keeping single line breaks between paragraphs. */
export function cleanText(s: string): string {
  // Printable ASCII with lone spaces and line breaks is clean: the quicker test settles most English text.
  if (PLAIN_RE.test(s)) {
    const clean = s.trim();
    knownPlain[nextKnown] = clean;
    nextKnown ^= 1;
    return clean;
  }
  if (!NEEDS_CLEANING_RE.test(s)) return s.trim();
  const stripped = s
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL_RE, '')
    .replace(INVISIBLE_RE, '')
    .replace(SPACE_RUN_RE, ' ');
  // After the collapse at most one space sits on either side of a line break.
  return stripped.replace(/ ?\n[ \n]*/g, '\n').trim();
}

const BLOCK_TAGS = new Set(
  'p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table thead tbody section article aside header footer pre hr figure figcaption dl dt dd address main nav center'.split(' '),
);
const SPACED_TAGS = new Set(['td', 'th', 'img', 'input', 'button', 'label']);
/** Elements whose content is never text. */
const HIDDEN_TAGS = 'script|style|noscript|template|iframe|object|svg';
const HIDDEN_TAG_NAMES = new Set(HIDDEN_TAGS.split('|'));
// Unclosed script/style runs to the end: better to lose a tail than to leak code into text.
const HIDDEN_ELEMENT_RE = new RegExp(`<(${HIDDEN_TAGS})\\b[^>]*>[\\s\\S]*?(?:<\\/\\1\\s*>|$)`, 'gi');
/** A start or end tag. */
const TAG_RE = /<\/?([A-Za-z][A-Za-z0-9]*)\b[^>]*>/g;

/**
 * What the tag pass leaves of a tag, given its name in lower case: block tags become line breaks, cell-like ones
 * a space, the rest nothing.
 */
function tagReplacement(lowerName: string): string {
  return BLOCK_TAGS.has(lowerName) ? '\n' : SPACED_TAGS.has(lowerName) ? ' ' : '';
}

// Plain comparisons: past the end charCodeAt gives NaN, which must fail both.
const isAsciiLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isAsciiLetterOrDigit = (c: number): boolean => isAsciiLetter(c) || (c >= 0x30 && c <= 0x39);

/**
 * The tag pass of htmlToText (TAG_RE replaced by tagReplacement) for markup with nothing special in it, found
 * by walking from one "<" to the next: most feed bodies hold a handful of tags in a few hundred characters,
 * and a regex replace with a function costs more per call than this walk does per body. Returns undefined
 * when any "<" opens a comment, CDATA, declaration, processing instruction or hidden element (even inside a
 * tag's attributes, where the special passes would find it too): those go through the regex passes.
 */
function replacePlainTags(s: string): string | undefined {
  let out = '';
  /** s before this index is in `out` already, or was a tag. */
  let copied = 0;
  for (let lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', lt + 1)) {
    let i = lt + 1;
    let c = s.charCodeAt(i);
    if (c === 0x21 || c === 0x3f) return undefined; // "<!" or "<?"
    const slash = c === 0x2f;
    if (slash) c = s.charCodeAt(++i);
    if (!isAsciiLetter(c)) continue;
    const nameStart = i;
    do c = s.charCodeAt(++i);
    while (isAsciiLetterOrDigit(c));
    // After the longest run of letters and digits, only "_" can fail TAG_RE's \b; it also keeps a hidden
    // element's name from being one.
    if (c === 0x5f) continue;
    const name = s.slice(nameStart, i).toLowerCase();
    if (!slash && HIDDEN_TAG_NAMES.has(name)) return undefined;
    // A "<" inside an attribute of the last tag: the regex resumes its search after that tag's ">".
    if (lt < copied) continue;
    const gt = s.indexOf('>', i);
    if (gt < 0) continue;
    // A line break or space before all text or after it is trimmed in the end: leaving it out lets the usual
    // "<p>…</p>" come out as one slice of the markup rather than a copy.
    const edge = (out === '' && copied === lt) || gt + 1 === s.length;
    out += s.slice(copied, lt) + (edge ? '' : tagReplacement(name));
    copied = gt + 1;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** Plain text of an HTML fragment: script/style dropped, block tags as line breaks, entities decoded once. */
export function htmlToText(html: string): string {
  if (!html) return '';
  let s = html;
  // Feeds often escape twice ("&amp;#32;", "&amp;quot;"): undo the outer layer so one decode yields the character.
  if (s.includes('&amp;')) s = s.replace(/&amp;(#\d{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{1,31};)/g, '&$1');
  if (s.includes('<')) {
    const plain = replacePlainTags(s);
    if (plain !== undefined) {
      s = plain;
    } else {
      if (s.includes('<![CDATA[')) s = s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
      if (s.includes('<!--')) s = s.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
      s = s.replace(HIDDEN_ELEMENT_RE, ' ');
      if (s.includes('<!') || s.includes('<?')) s = s.replace(/<[!?][^>]*>/g, ' ');
      // One pass over the remaining tags.
      s = s.replace(TAG_RE, (_tag, name: string) => tagReplacement(name.toLowerCase()));
    }
  }
  return cleanText(decodeEntities(s));
}

/** One-line variant for titles. */
export function htmlToLine(html: string): string {
  const text = htmlToText(html);
  // cleanText left single spaces and single line breaks; only line breaks are left to fold.
  return text.includes('\n') ? text.replace(/\n/g, ' ') : text;
}
