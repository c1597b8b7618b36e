// Tokeniser and term counts shared by summaries and story clustering (each weights terms its own way). Pure
// and allocation-light: the pipeline tokenises every relevant item, so this sits on the hot path.

// English and Indonesian function words: they carry no topic, and leaving them in would make every
// sentence similar to every other one.
const STOPWORDS = new Set(
  (
    // English
    'a an the and or but if then else of to in on at by for with from into onto over under about above below ' +
    'up down out off as is are was were be been being am do does did doing have has had having not no nor ' +
    'so than too very can could will would shall should may might must this that these those it its itself ' +
    'he him his she her hers they them their theirs we us our ours you your yours i me my mine who whom whose ' +
    'which what when where why how all any both each few more most other some such only own same just also ' +
    'there here after before during while since until through between against again further once because ' +
    'said says say according new one s t don didn doesn isn wasn weren hasn haven hadn won wouldn couldn ' +
    'shouldn mr mrs ms dr via per yet still even however although though whether either neither upon ' +
    // Indonesian
    'yang dan di ke dari ini itu dengan untuk pada adalah sebagai dalam tidak akan juga atau oleh karena ' +
    'telah sudah belum bahwa mereka kami kita saya anda ia dia para serta agar supaya namun tetapi tapi jika ' +
    'kalau maka saat ketika sejak hingga sampai bagi tentang seperti lebih masih bisa dapat harus ada pun ' +
    'lalu kemudian secara antara tersebut yakni yaitu setelah sebelum tak nya sang si'
  ).split(' '),
);

// Scripts written without spaces between words: segmenting them properly needs a dictionary, so emit
// overlapping character bigrams instead — robust, cheap and good enough for similarity.
const UNSPACED = /[\p{Script=Khmer}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const RUN = /[\p{L}\p{N}\p{M}]+/gu;
const SEGMENT = /[\p{Script=Khmer}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{M}]+|[^\p{Script=Khmer}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;
const MARK = /\p{M}/u;

function pushBigrams(segment: string, out: string[]): void {
  // Iterate by code point, folding combining marks (Khmer/Thai vowels and signs) into their base so a
  // bigram never starts with a dangling mark.
  const units: string[] = [];
  for (const ch of segment) {
    if (MARK.test(ch) && units.length > 0) units[units.length - 1] += ch;
    else units.push(ch);
  }
  if (units.length === 1) {
    out.push(units[0] ?? '');
    return;
  }
  for (let k = 0; k + 1 < units.length; k += 1) out.push((units[k] ?? '') + (units[k + 1] ?? ''));
}

/**
 * Lowercased, Unicode-aware tokens with English/Indonesian stopwords removed; scripts without spaces
 * (Khmer, Thai, Lao, Myanmar, Han, Kana) become character bigrams.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  // Fast path: no Khmer/Thai/Han/… anywhere means plain word splitting (the common case on English feeds).
  const unspaced = UNSPACED.test(lower);
  const source = unspaced ? lower.normalize('NFC') : lower;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(source); m !== null; m = RUN.exec(source)) {
    const run = m[0];
    if (!unspaced || !UNSPACED.test(run)) {
      if (run.length > 1 && !STOPWORDS.has(run)) out.push(run);
      continue;
    }
    // Mixed runs ("3万人", "kk园区") are cut at script changes first.
    for (const seg of run.match(SEGMENT) ?? []) {
      if (UNSPACED.test(seg)) pushBigrams(seg, out);
      else if (seg.length > 1 && !STOPWORDS.has(seg)) out.push(seg);
    }
  }
  return out;
}

/** Raw term counts. */
export function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
