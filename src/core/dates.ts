// Feed dates as found in the wild → ISO 8601 (UTC). We never call Date.parse on free text: it reads zone-less
// strings in the host's local zone and accepts nonsense, and a wrong date is worse than none.

const MONTHS: ReadonlyMap<string, number> = (() => {
  const byMonth: string[] = [
    'jan january januar januari janv janvier janner gen gennaio ene enero janeiro',
    'feb february februar februari febr fevr fevrier febbraio febrero fev fevereiro',
    'mar march marz mrz maart maret mars marzo marco',
    'apr april avr avril aprile abr abril',
    'may mai mei mag maggio mayo maio',
    'jun june juni juin giu giugno junio junho',
    'jul july juli juil juillet lug luglio julio julho',
    'aug august augustus aout agosto ago agu agt ags agustus',
    'sep sept september septembre set settembre septiembre setembro',
    'oct october okt oktober octobre ott ottobre octubre out outubro',
    'nov november novembre noviembre nop nopember novembro',
    'dec december dez dezember decembre dic dicembre diciembre des desember dezembro',
  ];
  const map = new Map<string, number>();
  byMonth.forEach((names, i) => {
    for (const name of names.split(' ')) map.set(name, i + 1);
  });
  return map;
})();

// Zone abbreviations that appear in feeds; ambiguous ones (IST, BST, CST in Asia) take their most common feed use.
const ZONES: ReadonlyMap<string, number> = new Map<string, number>([
  ['z', 0], ['ut', 0], ['utc', 0], ['gmt', 0], ['wet', 0], ['bst', 60], ['cet', 60], ['met', 60], ['cest', 120],
  ['mez', 60], ['mesz', 120], ['eet', 120], ['eest', 180], ['msk', 180], ['ist', 330], ['mmt', 390], ['ict', 420],
  ['wib', 420], ['wita', 480], ['wit', 540], ['sgt', 480], ['myt', 480], ['hkt', 480], ['pht', 480], ['awst', 480],
  ['jst', 540], ['kst', 540], ['aest', 600], ['aedt', 660],
  ['nzst', 720], ['nzdt', 780], ['est', -300], ['edt', -240], ['cst', -360], ['cdt', -300], ['mst', -420],
  ['mdt', -360], ['pst', -480], ['pdt', -420], ['akst', -540], ['akdt', -480], ['hst', -600],
]);

// Module constants, not literals in the functions below: see docs/decisions/0005-hot-path-under-tsx.md.
const MARKS_RE = /\p{M}/gu;
const LETTERS_RE = /\p{L}+/gu;

function fold(s: string): string {
  return s.normalize('NFD').replace(MARKS_RE, '').toLowerCase();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, mo: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
}

/** No zone is further from UTC than 14 hours (Kiribati); a larger offset is a typo, not a place. */
const MAX_OFFSET_MIN = 14 * 60;

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): string | null {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  if (!(Math.abs(offsetMin) <= MAX_OFFSET_MIN)) return null;
  // Reject 31 Feb and friends instead of letting Date roll them into March.
  if (d > daysInMonth(y, mo)) return null;
  if (offsetMin === 0 && ms === 0 && h < 24 && s < 60 && Number.isInteger(y + mo + d + h + mi + s)) {
    // Already UTC and in range: the ISO form can be written out without a Date (most feed dates end here).
    return isoUtc(y, mo, d, h, mi, s);
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offsetMin * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const ZERO = 0x30;
// Digit helpers for isoUtc, at module level rather than inside it: see docs/decisions/0005-hot-path-under-tsx.md.
const tens = (n: number): number => ZERO + Math.floor(n / 10);
const ones = (n: number): number => ZERO + (n % 10);

/**
 * "YYYY-MM-DDTHH:MM:SS.000Z" for a four-digit year, written as character codes: the string comes out flat in
 * one step, where `+` would leave a tree of partial strings that every stored item then keeps (and a join of
 * the parts took four times as long).
 */
function isoUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  return String.fromCharCode(
    tens(Math.floor(y / 100)), ones(Math.floor(y / 100)), tens(y % 100), ones(y % 100), 0x2d,
    tens(mo), ones(mo), 0x2d, tens(d), ones(d), 0x54, tens(h), ones(h), 0x3a, tens(mi), ones(mi), 0x3a, tens(s), ones(s),
    0x2e, ZERO, ZERO, ZERO, 0x5a,
  );
}

/** Minutes east of UTC; NaN for minutes over 59, which build() then refuses. */
function offsetFrom(sign: string, hh: string, mm: string | undefined): number {
  const minutes = Number(mm ?? 0);
  const v = minutes > 59 ? NaN : Number(hh) * 60 + minutes;
  return sign === '-' ? -v : v;
}

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const YMD_RE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_RE =
  /(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?m\.?(?![\p{L}]))?(?:\s*(?:(?:gmt|utc|ut)?\s*([+-])(\d{1,2}):?(\d{2})?|\(?([\p{L}]{1,5})\)?(?![\p{L}])))?/iu;

const RFC822_RE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UTC|UT|Z|[+-]\d{4})$/;
const RFC822_MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

const WEEKDAYS = 'MonTueWedThuFriSatSun';

/** The index of the three-letter name at s[i..i+3) in `names` (names of three letters, run together), or -1. */
function nameAt(names: string, s: string, i: number): number {
  for (let k = 0; k < names.length; k += 3) {
    if (s.charCodeAt(i) === names.charCodeAt(k) && s.charCodeAt(i + 1) === names.charCodeAt(k + 1) && s.charCodeAt(i + 2) === names.charCodeAt(k + 2)) {
      return k / 3;
    }
  }
  return -1;
}

/** The value of the `count` ASCII digits at s[i…], or -1. */
function digitsAt(s: string, i: number, count: number): number {
  let v = 0;
  for (let k = i; k < i + count; k++) {
    const digit = s.charCodeAt(k) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    v = v * 10 + digit;
  }
  return v;
}

/**
 * The usual RSS date, "Mon, 02 Jan 2006 15:04:05 GMT" or with "+0700", read character by character: what
 * RFC822_RE reads from it, without a match array and seven substrings per item. undefined for any other
 * shape, which the regex then decides on.
 */
function readUsualRfc822(s: string): string | null | undefined {
  let i = 0;
  if (s.charCodeAt(3) === 0x2c) {
    if (nameAt(WEEKDAYS, s, 0) < 0 || s.charCodeAt(4) !== 0x20) return undefined;
    i = 5;
  }
  let d = digitsAt(s, i, 1);
  if (d < 0) return undefined;
  i += 1;
  const second = digitsAt(s, i, 1);
  if (second >= 0) {
    d = d * 10 + second;
    i += 1;
  }
  if (s.charCodeAt(i) !== 0x20) return undefined;
  const mo = nameAt(RFC822_MONTHS, s, i + 1);
  const y = digitsAt(s, i + 5, 4);
  const h = digitsAt(s, i + 10, 2);
  const mi = digitsAt(s, i + 13, 2);
  if (mo < 0 || s.charCodeAt(i + 4) !== 0x20 || y < 0 || s.charCodeAt(i + 9) !== 0x20 || h < 0 || s.charCodeAt(i + 12) !== 0x3a || mi < 0) {
    return undefined;
  }
  i += 15;
  let sec = 0;
  if (s.charCodeAt(i) === 0x3a) {
    sec = digitsAt(s, i + 1, 2);
    if (sec < 0) return undefined;
    i += 3;
  }
  if (s.charCodeAt(i) !== 0x20) return undefined;
  i += 1;
  let offset = 0;
  const sign = s.charCodeAt(i);
  if (s.length - i === 5 && (sign === 0x2b || sign === 0x2d)) {
    const hh = digitsAt(s, i + 1, 2);
    const mm = digitsAt(s, i + 3, 2);
    if (hh < 0 || mm < 0) return undefined;
    if (mm > 59) return null;
    offset = (sign === 0x2d ? -1 : 1) * (hh * 60 + mm);
  } else if (!(s.length - i === 3 && s.endsWith('GMT'))) {
    return undefined;
  }
  return build(y, mo + 1, d, h, mi, sec, 0, offset);
}

/** Parses a feed date (RFC 822 and its many deviations, ISO 8601, several languages) to ISO 8601, or null. */
export function parseDate(input: string | undefined | null): string | null {
  if (typeof input !== 'string') return null;
  let s = input.trim();
  if (s.startsWith('<![CDATA[')) {
    const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(s);
    if (cdata) s = (cdata[1] ?? '').trim();
  }
  if (s.length < 6 || s.length > 80) return null;
  // Fast paths for the common well-formed RFC 822 date with an explicit zone (most RSS feeds).
  const usual = readUsualRfc822(s);
  if (usual !== undefined) return usual;
  const rfc = RFC822_RE.exec(s);
  if (rfc) {
    const [, d, mon, y, h, mi, sec, zone = ''] = rfc;
    const sign = zone[0];
    const offset = sign === '+' || sign === '-' ? offsetFrom(sign, zone.slice(1, 3), zone.slice(3, 5)) : 0;
    return build(Number(y), RFC822_MONTHS.indexOf(mon ?? '') / 3 + 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), 0, offset);
  }

  const iso = ISO_RE.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, tz] = iso;
    let offset = 0;
    if (tz && tz.toUpperCase() !== 'Z') {
      const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz);
      if (m) offset = offsetFrom(m[1] ?? '+', m[2] ?? '0', m[3]);
    }
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), Math.min(ms, 999), offset);
  }
  // "2020/1/10 14:33:00": no zone given, and we assume UTC rather than the server's unknown local time.
  const ymd = YMD_RE.exec(s);
  if (ymd) {
    const [, y, mo, d, h, mi, sec] = ymd;
    return build(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), 0, 0);
  }
  return parseWordy(fold(s));
}

/**
 * "10.00" as a time, as Indonesian and other feeds write it ("Senin, 01 Desember 2026 10.00 WIB"): two digits
 * after the dot and no dot or digit after them, so a dotted date ("16.11.2022") never reads as one.
 */
const DOT_TIME_RE = /(?<![\d.])(\d{1,2})\.(\d{2})(?![.\d])/;

function parseWordy(input: string): string | null {
  let hour = 0;
  let minute = 0;
  let second = 0;
  let offset = 0;
  const s = input.includes(':') ? input : input.replace(DOT_TIME_RE, '$1:$2');
  let rest = s;
  const time = TIME_RE.exec(s);
  if (time) {
    const [whole, h, mi, sec, ampm, sign, oh, om, zone] = time;
    hour = Number(h);
    minute = Number(mi);
    second = Number(sec ?? 0);
    if (ampm) {
      if (hour > 12 || hour === 0) return null;
      if (ampm === 'p' && hour < 12) hour += 12;
      if (ampm === 'a' && hour === 12) hour = 0;
    }
    let consumed = whole;
    if (sign && oh) offset = offsetFrom(sign, oh, om);
    else if (zone && ZONES.has(zone)) offset = ZONES.get(zone) ?? 0;
    // A word after the time that is not a zone ("10:00 nov 16 2022") belongs to the date: leave it in place.
    else if (zone) consumed = whole.slice(0, whole.lastIndexOf(zone));
    rest = s.slice(0, time.index) + ' ' + s.slice(time.index + consumed.length);
  }

  // The last month name wins: a leading weekday can look like one ("mar" is Tuesday in Italian and Spanish).
  let month = 0;
  const words = rest.match(LETTERS_RE) ?? [];
  for (const w of words) {
    const m = MONTHS.get(w);
    if (m !== undefined) month = m;
  }
  const numbers = rest.match(/\d+/g) ?? [];
  let day = 0;
  let year = 0;
  if (month) {
    for (const n of numbers) {
      if (n.length === 4 && !year) year = Number(n);
      else if (n.length <= 2 && !day) day = Number(n);
      else if (n.length <= 2 && day && !year) year = 2000 + Number(n) - (Number(n) >= 70 ? 100 : 0);
    }
  } else {
    // Numeric European "16.11.2022" (day first); slashes are too ambiguous to guess.
    const dmy = /(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(rest);
    if (!dmy) return null;
    day = Number(dmy[1]);
    month = Number(dmy[2]);
    year = Number(dmy[3]);
  }
  if (!day || !year) return null;
  return build(year, month, day, hour, minute, second, 0, offset);
}
