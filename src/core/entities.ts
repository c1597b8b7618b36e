// Named-entity extraction for story grouping (pure, no I/O).
//
// Two reports of one event rarely share their wording, but they nearly always share names: the
// person ("Chen Zhi"), the company ("Prince Group"), the place ("Bavet", "Sihanoukville"), the
// nationality of the people concerned. This module finds those names cheaply and maps them to a
// canonical lower-case key, so "Indonesian", "Indonesians" and "印尼" all count as one entity.
//
// Latin script: runs of capitalised words that are not separated by punctuation. Scripts without
// case (Khmer, Thai, Han) have no such cue, so for them only a small gazetteer of known places and
// actors is matched, as substrings (Khmer and Thai do not separate words with spaces).
//
// This is a heuristic, not NER: it prefers missing an entity to inventing one, because a spurious
// shared "entity" would pull unrelated reports together.

export interface Entity {
  /** Canonical key: lower case, one space between words, e.g. "chen zhi", "indonesia". */
  key: string;
  /** How to show it in a reason, e.g. "Chen Zhi". */
  label: string;
}

/** Canonical label → aliases. Latin aliases match whole capitalised words; others match as substrings. */
const GAZETTEER: Record<string, readonly string[]> = {
  Cambodia: ['Cambodia', 'Cambodian', 'Cambodians', 'Kamboja', 'Campuchia', '柬埔寨', 'កម្ពុជា', 'กัมพูชา', '캄보디아'],
  'Phnom Penh': ['Phnom Penh', '金边', '金邊', 'ភ្នំពេញ', 'พนมเปญ', '프놈펜'],
  Sihanoukville: ['Sihanoukville', 'Preah Sihanouk', '西港', '西哈努克', 'ព្រះសីហនុ', 'สีหนุวิลล์'],
  Poipet: ['Poipet', '波贝', '波貝', 'ប៉ោយប៉ែត', 'ปอยเปต'],
  Bavet: ['Bavet', '巴域', 'បាវិត'],
  'Svay Rieng': ['Svay Rieng', '柴楨', '柴桢', 'ស្វាយរៀង'],
  Kampot: ['Kampot', '贡布', 'កំពត'],
  'Koh Kong': ['Koh Kong', '戈公', 'កោះកុង'],
  'Chen Zhi': ['Chen Zhi', '陈志', '陳志'],
  'Prince Group': ['Prince Group', '太子集团', '太子集團'],
  'Huione Group': ['Huione Group', 'Huione', '汇旺', '匯旺'],
  'Hun Manet': ['Hun Manet', '洪马奈', '洪瑪奈', 'ហ៊ុន ម៉ាណែត'],
  Indonesia: ['Indonesia', 'Indonesian', 'Indonesians', '印尼', '印度尼西亚', 'อินโดนีเซีย'],
  China: ['China', 'Chinese', '中国', '中國'],
  Thailand: ['Thailand', 'Thai', 'Thais', '泰国', '泰國', 'ประเทศไทย'],
  Vietnam: ['Vietnam', 'Vietnamese', 'Việt Nam', '越南'],
  Myanmar: ['Myanmar', 'Burma', 'Burmese', '缅甸', '緬甸', 'เมียนมา'],
  Laos: ['Laos', 'Lao', '老挝', '老撾', 'ลาว'],
  Philippines: ['Philippines', 'Filipino', 'Filipinos', 'Filipina', '菲律宾', '菲律賓'],
  Malaysia: ['Malaysia', 'Malaysian', 'Malaysians', '马来西亚', '馬來西亞'],
  'South Korea': ['South Korea', 'South Korean', 'South Koreans', 'Korea', 'Korean', 'Koreans', '韩国', '韓國', '한국'],
  Japan: ['Japan', 'Japanese', '日本'],
  India: ['India', 'Indian', 'Indians', '印度'],
  'Sri Lanka': ['Sri Lanka', 'Sri Lankan', 'Sri Lankans', '斯里兰卡'],
  Taiwan: ['Taiwan', 'Taiwanese', '台湾', '台灣'],
  'United States': ['United States', 'US', 'U.S.', 'USA', 'American', 'Americans', 'Amerika Serikat', '美国', '美國'],
  'United Kingdom': ['United Kingdom', 'UK', 'U.K.', 'Britain', 'British', '英国', '英國'],
  'United Nations': ['United Nations', 'UN', 'U.N.', 'PBB', '联合国', '聯合國', 'អង្គការសហប្រជាជាតិ'],
  'Amnesty International': ['Amnesty International', 'Amnesty', '国际特赦组织', '國際特赦組織'],
  Interpol: ['Interpol', 'INTERPOL', '国际刑警组织'],
  Jakarta: ['Jakarta', '雅加达'],
  Bangkok: ['Bangkok', '曼谷', 'กรุงเทพ'],
};

/** Alias → canonical label, for the Latin aliases (looked up by exact word sequence). */
const LATIN_ALIAS = new Map<string, string>();
/** [alias, label] for the caseless scripts, matched as substrings. */
const SUBSTRING_ALIASES: Array<[string, string]> = [];
/** Longest Latin alias in words, to bound the window scan. */
let maxAliasWords = 1;

for (const [label, aliases] of Object.entries(GAZETTEER)) {
  for (const alias of aliases) {
    if (/^[\p{Script=Latin}\p{M} .'’-]+$/u.test(alias)) {
      LATIN_ALIAS.set(alias.replace(/\./g, ''), label);
      maxAliasWords = Math.max(maxAliasWords, alias.split(' ').length);
    } else {
      SUBSTRING_ALIASES.push([alias, label]);
    }
  }
}

/**
 * Capitalised words that open a sentence or a headline without being names. Only consulted at the
 * start of a sentence, where English capitalises every first word. (Weekdays and months never start a
 * run at all: see NOT_NAMES.)
 */
const SENTENCE_OPENERS = new Set(
  ('A An The In On At For From After Before During Since While When Where As According Meanwhile However ' +
    'But And Yet So Although Though Despite Some Many Most More Several Thousands Hundreds Dozens Police ' +
    'Authorities Officials Officers Recent Last Next This That These Those Its His Her Their Our We They It He ' +
    'She Earlier Later Over Under With Without Evidence Reports Diplomatic Independent Analysts Experts Observers ' +
    'Victims Workers Families Relatives Survivors Rescuers Two Three Four Five Six Seven Eight Nine Ten ' +
    'Both All Each Every No Not One Another Other Such Only Also Then There Here What Why How Who ' +
    'Separately Further Elsewhere Sustained Until')
    .split(' '),
);

/** Honorifics and job titles dropped from the front of a name, so "Prime Minister Hun Manet" is "Hun Manet". */
const TITLE_WORDS = new Set(
  ('Mr Mrs Ms Dr Prof Prime Minister Deputy Interior Foreign Justice President Vice General Gen Lt Col ' +
    'Colonel Major Police Chief Commissioner Governor Ambassador Senator Secretary Spokesman Spokeswoman ' +
    'Spokesperson Chairman Chairwoman Tycoon King Queen Prince Lord Judge Director Commander Brigadier Tuan Bapak Ibu')
    .split(' '),
);

/** Lower-case words allowed inside a name: "Ministry of Foreign Affairs", "Bank of China". */
const NAME_CONNECTORS = new Set(['of', 'for', 'de', 'van', 'von', 'bin', 'binti', 'al', 'la', 'del', 'da']);

/** Months and weekdays are capitalised but are dates, not actors: two reports sharing "Tuesday" say nothing. */
const NOT_NAMES = new Set(
  ('January February March April May June July August September October November December Jan Feb Mar Apr ' +
    'Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday I Reference')
    .split(' '),
);

const WORD = /\p{L}[\p{L}\p{M}\p{Nd}]*(?:[.'’-]\p{L}[\p{L}\p{M}\p{Nd}]*)*\.?/gu;
const CAPITALISED = /^\p{Lu}/u;
const ACRONYM = /^\p{Lu}(?:\.?\p{Lu}){1,5}\.?$/u;

interface Word {
  text: string;
  start: number;
  end: number;
  /** The word opens a sentence (or the segment). */
  opens: boolean;
}

function splitWords(segment: string): Word[] {
  const words: Word[] = [];
  let previousEnd = 0;
  for (const m of segment.matchAll(WORD)) {
    const start = m.index;
    let text = m[0];
    // A trailing full stop belongs to a dotted acronym such as "U.S."; otherwise it ends a sentence ("GDP.").
    const trailingStop = text.endsWith('.') && !(ACRONYM.test(text) && text.slice(0, -1).includes('.'));
    if (trailingStop) text = text.slice(0, -1);
    const gap = segment.slice(previousEnd, start);
    const prev = words[words.length - 1];
    const opens = words.length === 0 || /[.!?:;"“”«»(\n]/u.test(gap) || (prev !== undefined && prev.end < previousEnd);
    words.push({ text, start, end: start + text.length, opens });
    previousEnd = start + m[0].length;
  }
  return words;
}

/** Strips a possessive ("Cambodia’s" → "Cambodia"). */
function bare(word: string): string {
  return word.replace(/['’]s$/u, '').replace(/\./g, '');
}

/**
 * True when most long words are capitalised: a Title Case headline (or a sub-heading inside a body),
 * where capitals say nothing about names. Headlines get a lower bar than body lines, which may be
 * legitimately name-heavy.
 */
function isTitleCase(words: Word[], headline: boolean): boolean {
  const long = words.filter((w) => w.text.length > 3);
  if (long.length < (headline ? 3 : 4)) return false;
  const caps = long.filter((w) => CAPITALISED.test(w.text)).length;
  return caps / long.length > (headline ? 0.6 : 0.7);
}

function add(out: Map<string, string>, label: string): void {
  const key = label.toLocaleLowerCase('en').replace(/\s+/gu, ' ').trim();
  if (key.length < 2 || out.has(key)) return;
  out.set(key, label);
}

/**
 * Adds gazetteer hits inside a run of words (longest alias first at each position) and returns how many
 * words they covered: a run made only of known names ("South Koreans") needs nothing more.
 */
function addGazetteerHits(out: Map<string, string>, run: readonly string[]): number {
  let covered = 0;
  for (let i = 0; i < run.length; i++) {
    for (let n = Math.min(maxAliasWords, run.length - i); n >= 1; n--) {
      const label = LATIN_ALIAS.get(run.slice(i, i + n).join(' '));
      if (label !== undefined) {
        add(out, label);
        covered += n;
        i += n - 1;
        break;
      }
    }
  }
  return covered;
}

/** Handles one run of adjacent capitalised words (connectors already included). */
function addRun(out: Map<string, string>, run: Word[], trustCapitals: boolean): void {
  let words = run.map((w) => bare(w.text));
  if (addGazetteerHits(out, words) === words.length || !trustCapitals) return;
  // A sentence opener is capitalised by grammar, not because it is a name.
  if (run[0]?.opens === true && SENTENCE_OPENERS.has(words[0] ?? '')) words = words.slice(1);
  // "Prime Minister Hun Manet" is "Hun Manet"; but "Foreign Office" and "Prince Group" stay whole.
  while (words.length > 2 && TITLE_WORDS.has(words[0] ?? '')) words = words.slice(1);
  while (words.length > 0 && NAME_CONNECTORS.has(words[words.length - 1] ?? '')) words = words.slice(0, -1);
  if (words.length === 0) return;
  const joined = words.join(' ');
  const known = LATIN_ALIAS.get(joined);
  if (known !== undefined) return add(out, known);
  if (words.length === 1) {
    const only = words[0] ?? '';
    // A lone capitalised word that opens a sentence may be any word; mid-sentence it is a name.
    const opensSentence = run[0]?.opens === true && run.length === 1;
    if (opensSentence && !ACRONYM.test(only)) return;
    if (only.length < 2 || TITLE_WORDS.has(only)) return;
  }
  add(out, joined);
}

function extractLatin(out: Map<string, string>, segment: string, headline: boolean): void {
  const words = splitWords(segment);
  const trustCapitals = !isTitleCase(words, headline);
  let run: Word[] = [];
  const flush = (): void => {
    if (run.length > 0) addRun(out, run, trustCapitals);
    run = [];
  };
  for (const word of words) {
    const joinsRun =
      run.length > 0 && !word.opens && /^[\s-]*$/u.test(segment.slice(run[run.length - 1]?.end ?? 0, word.start));
    if (!joinsRun) flush();
    if (CAPITALISED.test(word.text) && !NOT_NAMES.has(bare(word.text))) {
      run.push(word);
      // A possessive ends a name: "Cambodia’s National Assembly" is two entities.
      if (/['’]s$/u.test(word.text)) flush();
    } else if (joinsRun && NAME_CONNECTORS.has(word.text)) {
      run.push(word);
    } else {
      flush();
    }
  }
  flush();
}

/**
 * Named entities of a report, de-duplicated by canonical key, in order of first appearance.
 * Pass the title and the body separately: a Title Case headline must not turn every word into a name.
 */
export function extractEntities(title: string, text: string): Entity[] {
  const out = new Map<string, string>();
  for (const segment of [title, text]) {
    if (segment.length === 0) continue;
    // Line by line: a body may carry its own Title Case sub-headings.
    for (const line of segment.split('\n')) extractLatin(out, line, segment === title);
    for (const [alias, label] of SUBSTRING_ALIASES) {
      if (segment.includes(alias)) add(out, label);
    }
  }
  return [...out].map(([key, label]) => ({ key, label }));
}
