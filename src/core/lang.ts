// Language identification good enough to route text to the right keyword lists: the script decides for most
// Asian languages; Latin-script text is told apart by function words and tell-tale letters.

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

// word → languages using it, so scoring costs one lookup per word.
const WORD_LANGS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(STOPWORDS)) {
    for (const word of words.split(' ')) {
      const langs = map.get(word) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      map.set(word, langs);
    }
  }
  return map;
})();

/** The primary subtag of a language hint ("IT-it" → "it", "en_US" → "en"), or null. */
export function primaryLanguage(hint: string | null | undefined): string | null {
  if (!hint) return null;
  const m = /^\s*([A-Za-z]{2,3})(?:[-_\s]|$)/.exec(hint);
  return m?.[1] ? m[1].toLowerCase() : null;
}

function scriptLanguage(sample: string): string | null {
  let latin = 0;
  const counts = new Map<string, number>();
  for (const ch of sample) {
    if (ch < '\u0080') {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) latin++;
      continue;
    }
    if (/\p{Script=Latin}/u.test(ch)) {
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

function latinLanguage(sample: string, hint: string | null, ascii: boolean): string | null {
  const scores = new Map<string, number>();
  const lower = sample.toLowerCase();
  // Plain ASCII text (most English feeds) can skip the slower Unicode-property scan.
  for (const word of lower.match(ascii ? /[a-z]+/g : /\p{L}+/gu) ?? []) {
    const langs = WORD_LANGS.get(word);
    if (!langs) continue;
    // One-letter words ("a", "s", "v") are shared by many languages and split off apostrophes: half weight.
    const weight = word.length === 1 ? 0.5 : 1;
    for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + weight);
  }
  for (const [re, lang] of ascii ? [] : LETTER_HINTS) {
    const n = lower.match(re)?.length ?? 0;
    // Vietnamese letters are unmistakable; the others also turn up in names (Gözübüyük), so they only nudge.
    if (n) scores.set(lang, (scores.get(lang) ?? 0) + (lang === 'vi' ? 2 * n : Math.min(3, 0.5 * n)));
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [lang, score] of scores) {
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  if (!best || bestScore < 2) return null;
  // A feed's declared language breaks near-ties: function words are shared between neighbours (sk/cs, es/pt).
  if (hint && hint !== best && (scores.get(hint) ?? 0) * 2 >= bestScore) return hint;
  return best;
}

/** Detects the language of `text`; falls back to the hint's primary subtag, then 'und'. */
export function detectLanguage(text: string, hint?: string | null): string {
  const primary = primaryLanguage(hint);
  // The title and first paragraph carry enough function words; a short sample keeps this cheap for every item.
  const sample = text.length > 400 ? text.slice(0, 400) : text;
  const ascii = !/[^\u0000-\u007F]/.test(sample);
  return (ascii ? null : scriptLanguage(sample)) ?? latinLanguage(sample, primary, ascii) ?? primary ?? 'und';
}
