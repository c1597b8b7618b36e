// Language identification good enough to route text to the right keyword lists: the script decides for most
// Asian languages; Latin-script text is told apart by function words and tell-tale letters.

import { isKnownPlainAscii } from './html.js';

const SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Script=Khmer}/u, 'km'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Lao}/u, 'lo'],
  [/\p{Script=Myanmar}/u, 'my'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Bengali}/u, 'bn'],
  [/\p{Script=Tamil}/u, 'ta'],
  [/\p{Script=Sinhala}/u, 'si'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Georgian}/u, 'ka'],
  [/\p{Script=Armenian}/u, 'hy'],
];

const STOPWORDS: Readonly<Record<string, string>> = {
  en: 'the a an and of to in is that for with was on are by this from have has it at were been said which their they who will not but your you we our its be can more after how new',
  id: 'yang dan di ini itu dengan untuk dari dalam tidak akan pada juga oleh ke adalah karena telah bahwa mereka sudah atau bisa kata para',
  tl: 'ang ng mga sa na ay kay si para hindi ito siya nang ni mga kanilang noong',
  vi: 'và của là có được trong cho không những người với các một này đã khi từ',
  de: 'der die das und ist nicht mit von den dem zu ein eine auf für sich auch wird im des nach wurde bei',
  it: 'il di che la per un una non sono del della le con gli nel alla è ha anche dei delle più stato',
  fr: 'le la les de des et est un une du en que pour dans qui pas sur au avec ce sont aux été',
  es: 'el la los las de que y a en un una por con para es del se no al como más fue sus según tras pero',
  pt: 'o os a as de que e em um uma do da dos das para com não no na por é são foi pelo pela',
  nl: 'de het een en van is dat op te in met voor niet zijn er aan ook bij werd naar heeft',
  sk: 'a je na sa v že do to s z ako aj ktoré alebo pre ale pri bol boli sú už po zo vo podľa ktorý ktorá',
  cs: 'a je na se v že do to s z jako i které nebo pro ale při byl byli jsou už po podle který která',
};

// Letters that (almost) only one candidate uses.
const LETTER_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/gu, 'vi'],
  [/[ľĺŕôä]/gu, 'sk'],
  [/[řěů]/gu, 'cs'],
  [/[ßöü]/gu, 'de'],
  [/[ãõ]/gu, 'pt'],
  [/[ñ¿¡ó]/gu, 'es'],
  [/[œêëîï]/gu, 'fr'],
];

const LANGS: readonly string[] = Object.keys(STOPWORDS);

// word → indexes (into LANGS) of the languages using it, so scoring costs one lookup per word.
const WORD_LANGS: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  LANGS.forEach((lang, index) => {
    for (const word of (STOPWORDS[lang] ?? '').split(' ')) {
      const langs = map.get(word) ?? [];
      if (!langs.includes(index)) langs.push(index);
      map.set(word, langs);
    }
  });
  return map;
})();

/**
 * Adds the votes of a stopword of `length` letters and returns the highest score it raised. One-letter words
 * ("a", "s", "v") are shared by many languages and split off apostrophes: half weight.
 */
function addVotes(scores: Float64Array, langs: readonly number[], length: number): number {
  const weight = length === 1 ? 0.5 : 1;
  let top = 0;
  for (const index of langs) {
    const score = (scores[index] ?? 0) + weight;
    scores[index] = score;
    if (score > top) top = score;
  }
  return top;
}

function vote(scores: Float64Array, word: string): void {
  const langs = WORD_LANGS.get(word);
  if (langs !== undefined) addVotes(scores, langs, word.length);
}

// The ASCII stopwords as a trie over a-z, so plain text is scored while it is scanned, with no word strings
// built: NEXT[state * 26 + letter] is the next state, VOTES[state] what a word ending there votes for. State
// DEAD (a word no stopword continues) only leads to itself; every word starts at ROOT.
const DEAD = 0;
const ROOT = 1;
const ASCII_TRIE = (() => {
  const words = [...WORD_LANGS.keys()].filter((w) => /^[a-z]+$/.test(w));
  const next: number[] = new Array<number>(2 * 26).fill(DEAD);
  const votes: Array<readonly number[] | undefined> = [undefined, undefined];
  for (const word of words) {
    let state = ROOT;
    for (let i = 0; i < word.length; i++) {
      const slot = state * 26 + word.charCodeAt(i) - 0x61;
      let to = next[slot] ?? DEAD;
      if (to === DEAD) {
        to = votes.length;
        votes.push(undefined);
        next.push(...new Array<number>(26).fill(DEAD));
        next[slot] = to;
      }
      state = to;
    }
    votes[state] = WORD_LANGS.get(word);
  }
  return { next: Int32Array.from(next), votes };
})();

/** The highest score with its index (the first of equals, in LANGS order; -1 when nothing scored) and the runner-up. */
function leader(scores: Float64Array): { index: number; score: number; second: number } {
  let index = -1;
  let score = 0;
  let second = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] ?? 0;
    if (v > score) {
      second = score;
      score = v;
      index = i;
    } else if (v > second) second = v;
  }
  return { index, score, second };
}

/** Does one language lead with at least SETTLED_SCORE votes and more than double any other? */
function settled(scores: Float64Array): boolean {
  const { score, second } = leader(scores);
  return score >= SETTLED_SCORE && score > 2 * second;
}

/** A lead this large in plain ASCII text is settled; reading on would only cost time. */
const SETTLED_SCORE = 6;

/** Votes of the words of ASCII `parts` (any case; each part ends a word), stopping once one language clearly leads. */
function asciiVotes(parts: readonly string[], scores: Float64Array): void {
  const { next, votes } = ASCII_TRIE;
  let words = 0;
  let top = 0;
  for (const text of parts) {
    const end = text.length;
    let state = ROOT;
    let length = 0;
    for (let i = 0; i <= end; i++) {
      // Upper case folds onto lower case; anything else lands outside a-z (the end of the text too).
      const letter = ((i < end ? text.charCodeAt(i) : 0) | 0x20) - 0x61;
      if (letter >= 0 && letter < 26) {
        state = next[state * 26 + letter] ?? DEAD;
        length++;
        if (state === DEAD) {
          // No stopword: skip to the end of the word (its length no longer matters).
          while (i + 1 < end && (((text.charCodeAt(i + 1) | 0x20) - 0x61) >>> 0) < 26) i++;
        }
        continue;
      }
      if (length === 0) continue;
      const langs = votes[state];
      if (langs !== undefined) top = Math.max(top, addVotes(scores, langs, length));
      state = ROOT;
      length = 0;
      // Checking the lead every few words, and only once a language could have settled, keeps the check cheap.
      if (++words % 4 === 0 && top >= SETTLED_SCORE && settled(scores)) return;
    }
  }
}

const primaryCache = new Map<string, string | null>();

/** The primary subtag of a language hint ("IT-it" → "it", "en_US" → "en"), or null. */
export function primaryLanguage(hint: string | null | undefined): string | null {
  if (!hint) return null;
  // Every item of a feed carries the same hint.
  const cached = primaryCache.get(hint);
  if (cached !== undefined) return cached;
  const primary = parsePrimary(hint);
  if (primaryCache.size < 1000) primaryCache.set(hint, primary);
  return primary;
}

function parsePrimary(hint: string): string | null {
  const m = /^\s*([A-Za-z]{2,3})(?:[-_\s]|$)/.exec(hint);
  return m?.[1] ? m[1].toLowerCase() : null;
}

// Module constants, not literals in the functions below: see docs/decisions/0005-hot-path-under-tsx.md.
const LATIN_RE = /\p{Script=Latin}/u;
const LETTERS_RE = /\p{L}+/gu;

function scriptLanguage(sample: string): string | null {
  let latin = 0;
  const counts = new Map<string, number>();
  for (const ch of sample) {
    if (ch < '\u0080') {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) latin++;
      continue;
    }
    if (LATIN_RE.test(ch)) {
      latin++;
      continue;
    }
    for (const [re, lang] of SCRIPTS) {
      if (re.test(ch)) {
        counts.set(lang, (counts.get(lang) ?? 0) + 1);
        break;
      }
    }
  }
  // Japanese mixes kanji with kana; any real amount of kana means Japanese, not Chinese.
  const kana = counts.get('ja') ?? 0;
  const han = counts.get('zh') ?? 0;
  if (kana > 0 && kana >= 0.05 * (han + kana)) {
    counts.set('ja', kana + han);
    counts.set('zh', 0);
  } else if (kana > 0) {
    counts.set('zh', han + kana);
    counts.set('ja', 0);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [lang, n] of counts) {
    if (n > bestCount) {
      best = lang;
      bestCount = n;
    }
  }
  // Asian scripts pack a word into one or two characters, so a third of the Latin letter count is already a lot
  // (an English brand name inside a Khmer sentence must not flip it to English).
  if (best && bestCount >= 2 && bestCount * 3 >= latin) {
    if (best === 'ru' && /[іїєґ]/iu.test(sample)) return 'uk';
    return best;
  }
  return null;
}

/** Votes per language (index into LANGS), reused: latinLanguage runs for nearly every item and never re-enters. */
const SCORES = new Float64Array(LANGS.length);

function latinLanguage(parts: readonly string[], hint: string | null, asciiLetters: boolean): string | null {
  const scores = SCORES.fill(0);
  if (asciiLetters) {
    // Words of plain ASCII letters (most English feeds, "£" and curly quotes or not) skip the Unicode word
    // scan, and the letter hints, which are all non-ASCII letters.
    asciiVotes(parts, scores);
  } else {
    const lower = parts.join('\n').toLowerCase();
    for (const word of lower.match(LETTERS_RE) ?? []) vote(scores, word);
    for (const [re, lang] of LETTER_HINTS) {
      const n = lower.match(re)?.length ?? 0;
      const index = LANGS.indexOf(lang);
      // Vietnamese letters are unmistakable; the others also turn up in names (Gözübüyük), so they only nudge.
      if (n && index >= 0) scores[index] = (scores[index] ?? 0) + (lang === 'vi' ? 2 * n : Math.min(3, 0.5 * n));
    }
  }
  const lead = leader(scores);
  const best = LANGS[lead.index];
  if (best === undefined || lead.score < 2) return null;
  // A feed's declared language breaks near-ties: function words are shared between neighbours (sk/cs, es/pt).
  const hintIndex = hint === null ? -1 : LANGS.indexOf(hint);
  if (hint && hint !== best && hintIndex >= 0 && (scores[hintIndex] ?? 0) * 2 >= lead.score) return hint;
  return best;
}

const NON_ASCII = /[^\u0000-\u007F]/;
const OTHER_SCRIPT = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;
/** A letter outside A–Z and a–z. */
const NON_ASCII_LETTER = /[^\P{L}A-Za-z]/u;

/** Only this much of an item is read to tell its language. */
const LANGUAGE_SAMPLE_CHARS = 400;

/** Detects the language of `text`; falls back to the hint's primary subtag, then 'und'. */
export function detectLanguage(text: string, hint?: string | null): string {
  // The title and first paragraph carry enough function words; a short sample keeps this cheap for every item.
  return detectSample([text.length > LANGUAGE_SAMPLE_CHARS ? text.slice(0, LANGUAGE_SAMPLE_CHARS) : text], hint);
}

/**
 * The language of an item: what detectLanguage says of its title and body joined by a line break, without
 * building the joined text.
 */
export function detectItemLanguage(title: string, body: string, hint?: string | null): string {
  const room = LANGUAGE_SAMPLE_CHARS - title.length - 1;
  if (room < 0) return detectLanguage(title, hint);
  // The texts of an item being normalised were just cleaned; when cleanText found them ASCII, so is the sample.
  const ascii = isKnownPlainAscii(title) && isKnownPlainAscii(body);
  return detectSample([title, body.length > room ? body.slice(0, room) : body], hint, ascii);
}

/** The language of a sample given in parts, as if they were joined by line breaks. `knownAscii`: no need to look. */
function detectSample(parts: readonly string[], hint: string | null | undefined, knownAscii = false): string {
  const primary = primaryLanguage(hint);
  const ascii = knownAscii || parts.every((p) => !NON_ASCII.test(p));
  // Only characters of a specific script other than Latin can make scriptLanguage answer: one scan for them
  // spares the per-character pass over English text with a "£" or a curly quote in it.
  const script = ascii || !parts.some((p) => OTHER_SCRIPT.test(p)) ? null : scriptLanguage(parts.join('\n'));
  const asciiLetters = ascii || !parts.some((p) => NON_ASCII_LETTER.test(p));
  return script ?? latinLanguage(parts, primary, asciiLetters) ?? primary ?? 'und';
}
