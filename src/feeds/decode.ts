// Feed bytes → a JS string. Servers and feeds both lie about encodings; the order of trust below is what keeps
// Chinese, Thai and German feeds readable without mojibake.
import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The charset parameter of a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1] ? m[1].toLowerCase() : null;
}

// The prolog is ASCII-compatible in every encoding we accept without a BOM, so latin1 is a safe lens.
const PROLOG_RE = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i;

function prologEncoding(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 512).toString('latin1').replace(/^\u00EF\u00BB\u00BF/, '');
  const m = PROLOG_RE.exec(head);
  return m?.[1] ? m[1].toLowerCase().trim() : null;
}

function bomEncoding(bytes: Buffer): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** Maps a declared charset to the iconv-lite name we decode with, or null when unknown. */
export function resolveCharset(name: string): string | null {
  const n = name.toLowerCase().trim().replace(/^x-/, '');
  // Supersets, as browsers do: GB2312/GBK text is valid GB18030, Latin-1 labels really mean windows-1252,
  // TIS-620 is a subset of windows-874 and Big5 is usually served with the HKSCS/CP950 extensions.
  const alias: Record<string, string> = {
    gb2312: 'gb18030', gbk: 'gb18030', 'euc-cn': 'gb18030', 'x-gbk': 'gb18030', cp936: 'gb18030',
    'iso-8859-1': 'windows-1252', 'iso8859-1': 'windows-1252', latin1: 'windows-1252', 'us-ascii': 'windows-1252',
    ascii: 'windows-1252', 'iso_8859-1': 'windows-1252',
    'tis-620': 'windows-874', tis620: 'windows-874', 'iso-8859-11': 'windows-874',
    big5: 'big5', 'big5-hkscs': 'big5',
    utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'utf-16': 'utf-16le', unicode: 'utf-16le',
  };
  const candidate = alias[n] ?? n;
  return iconv.encodingExists(candidate) ? candidate : null;
}

const LATIN_FAMILY = /^(?:windows-125\d|iso-8859-\d+|latin\d?|us-ascii|ascii|cp125\d)$/;

function isUtf8(name: string | null): boolean {
  return name === 'utf-8' || name === 'utf8';
}

function validUtf8(bytes: Buffer): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function validUtf8WithNonAscii(bytes: Buffer): boolean {
  return !isAscii(bytes) && validUtf8(bytes);
}

/** Chooses the encoding: BOM, then Content-Type charset, then XML prolog, then UTF-8 (see module comment). */
export function chooseEncoding(bytes: Buffer, contentType?: string | null): { encoding: string; bomLength: number } {
  // A BOM is unambiguous evidence (and reading UTF-16 as anything else is pure garbage), so it wins, as in browsers.
  const bom = bomEncoding(bytes);
  if (bom) return { encoding: bom.encoding, bomLength: bom.length };
  const headerName = charsetFromContentType(contentType);
  const header = headerName ? resolveCharset(headerName) : null;
  const prologName = prologEncoding(bytes);
  const prolog = prologName ? resolveCharset(prologName) : null;
  if (header && LATIN_FAMILY.test(headerName ?? '')) {
    // Servers default to ISO-8859-1 for text/*; bytes that are valid UTF-8 with multibyte sequences almost never
    // happen by accident in Latin-1 text, and a document declaring a multibyte charset knows better than the server.
    if (validUtf8WithNonAscii(bytes)) return { encoding: 'utf-8', bomLength: 0 };
    if (prolog && !isUtf8(prolog) && !LATIN_FAMILY.test(prologName ?? '')) return { encoding: prolog, bomLength: 0 };
    return { encoding: header, bomLength: 0 };
  }
  // A header claiming UTF-8 for bytes that are not UTF-8 is wrong; the document's own prolog knows better.
  if (header && isUtf8(header) && prolog && !isUtf8(prolog) && !validUtf8(bytes)) return { encoding: prolog, bomLength: 0 };
  if (header) return { encoding: header, bomLength: 0 };
  if (prolog && LATIN_FAMILY.test(prologName ?? '') && validUtf8WithNonAscii(bytes)) return { encoding: 'utf-8', bomLength: 0 };
  if (prolog) return { encoding: prolog, bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Bytes are looked at in blocks of this size to find the ASCII stretches (see decodeUtf8). */
const ASCII_BLOCK = 512;

/**
 * UTF-8 bytes to a string, exactly as `bytes.toString('utf8')` gives it, faster for the usual feed. ASCII is the
 * same in UTF-8 and Latin-1, and Latin-1 decoding is a plain copy, while V8 decodes every byte after the first
 * non-ASCII one the slow way: an English feed with a few curly quotes or accented names is decoded as a whole
 * after its first one. So runs of blocks holding only ASCII are copied as Latin-1, the runs between them
 * decoded as UTF-8, and the pieces joined. Every run that is decoded starts after an ASCII byte and ends
 * before one, so no character is split between runs (ASCII bytes never continue a character), and a malformed
 * sequence at a run's edge becomes the same U+FFFD it would in one decode. Text that is mostly non-ASCII (Thai,
 * Chinese, Khmer) gains nothing from this and is decoded in one go.
 */
export function decodeUtf8(bytes: Buffer): string {
  const n = bytes.length;
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (n < 4 * ASCII_BLOCK) return bytes.toString('utf8');
  // Starts of the runs; a run is ASCII when its index is even (the first run is ASCII, possibly empty).
  const starts: number[] = [0];
  let nonAscii = 0;
  for (let at = 0; at < n; at += ASCII_BLOCK) {
    const end = Math.min(n, at + ASCII_BLOCK);
    const ascii = isAscii(bytes.subarray(at, end));
    if (!ascii) nonAscii += end - at;
    if (ascii !== (starts.length % 2 === 1)) starts.push(at);
  }
  if (nonAscii * 2 > n) return bytes.toString('utf8');
  const parts: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] ?? 0;
    const end = starts[i + 1] ?? n;
    if (end > start) parts.push(bytes.toString(i % 2 === 0 ? 'latin1' : 'utf8', start, end));
  }
  return parts.join('');
}

/** Decodes feed bytes to a string without BOM; a non-UTF-8 prolog is rewritten to say UTF-8. */
export function decodeFeedBytes(bytes: Buffer, contentType?: string | null): string {
  const { encoding, bomLength } = chooseEncoding(bytes, contentType);
  const body = bomLength ? bytes.subarray(bomLength) : bytes;
  let text = isUtf8(encoding) ? decodeUtf8(body) : iconv.decode(body, encoding, { stripBOM: true });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The parser gets a JS string: a prolog still claiming gb2312 would be a lie to anything that re-reads it.
  // (Tested before replacing: a replace that matches copies the whole document even when nothing changes.)
  const declared = PROLOG_ENCODING_RE.exec(text);
  if (!declared || isUtf8((declared[3] ?? '').toLowerCase())) return text;
  return text.replace(PROLOG_ENCODING_RE, (_whole, pre: string, q: string) => `${pre}${q}UTF-8${q}`);
}

const PROLOG_ENCODING_RE = /^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])([^"']*)\2/i;
