// Figure extraction: find the numbers a report states about the scam-compound economy, normalise them and
// say what they count. Precision matters more than recall — a wrong number in an advocate's brief is worse
// than a missing one — so a number is kept only when a unit or a metric trigger ties it to the taxonomy.
import { METRICS, METRIC_BY_NAME } from './metrics.js';
import { splitSentences } from './sentences.js';
import type { Figure, Metric, Qualifier } from './types.js';

// ---------------------------------------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------------------------------------

const NOT_LETTER_OR_DIGIT = String.raw`(?![\p{L}\p{N}])`;

/** Currency prefixes (before the number), longest first so "US$" wins over "$". */
const CURRENCY_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['US$', 'usd'], ['USD', 'usd'], ['HK$', 'hkd'], ['S$', 'sgd'], ['A$', 'aud'], ['$', 'usd'],
  ['£', 'gbp'], ['GBP', 'gbp'], ['€', 'eur'], ['EUR', 'eur'], ['RMB', 'cny'], ['CNY', 'cny'], ['CN¥', 'cny'],
  ['¥', 'cny'], ['₩', 'krw'], ['KRW', 'krw'], ['฿', 'thb'], ['THB', 'thb'], ['៛', 'khr'], ['KHR', 'khr'],
  ['Rp.', 'idr'], ['Rp', 'idr'], ['IDR', 'idr'], ['₫', 'vnd'], ['VND', 'vnd'], ['BTC', 'btc'], ['₿', 'btc'],
];

/** Currency words after the number ("50 triệu đồng", "1.2亿美元", "300 million baht"). */
const CURRENCY_WORDS: ReadonlyMap<string, string> = new Map([
  ['dollars', 'usd'], ['dollar', 'usd'], ['usd', 'usd'], ['yuan', 'cny'], ['renminbi', 'cny'], ['rmb', 'cny'],
  ['baht', 'thb'], ['riel', 'khr'], ['riels', 'khr'], ['rupiah', 'idr'], ['dong', 'vnd'], ['đồng', 'vnd'],
  ['won', 'krw'], ['pounds', 'gbp'], ['euros', 'eur'], ['euro', 'eur'], ['bitcoin', 'btc'], ['bitcoins', 'btc'],
  ['btc', 'btc'], ['usdt', 'usdt'], ['tether', 'usdt'], ['thb', 'thb'], ['khr', 'khr'], ['idr', 'idr'],
  ['vnd', 'vnd'], ['krw', 'krw'], ['cny', 'cny'], ['gbp', 'gbp'], ['eur', 'eur'], ['ringgit', 'myr'],
]);
/** Unit suffixes in scripts without spaces: checked as prefixes of the text right after the number. */
const SUFFIX_UNITS: ReadonlyArray<readonly [string, string]> = [
  ['美元', 'usd'], ['人民币', 'cny'], ['元', 'cny'], ['บาท', 'thb'], ['원', 'krw'], ['달러', 'usd'],
  ['ដុល្លារ', 'usd'], ['រៀល', 'khr'],
  ['个园区', 'compounds'], ['座园区', 'compounds'], ['个诈骗园区', 'compounds'], ['园区', 'compounds'],
  ['名', 'people'], ['人', 'people'], ['位', 'people'], ['คน', 'people'], ['ราย', 'people'], ['명', 'people'],
  ['នាក់', 'people'], ['起', 'cases'], ['宗', 'cases'], ['件', 'cases'], ['건', 'cases'], ['คดี', 'cases'],
];

const PEOPLE_NOUNS = new Set([
  'people', 'persons', 'person', 'individuals', 'individual', 'workers', 'worker', 'victims', 'victim',
  'nationals', 'national', 'citizens', 'citizen', 'foreigners', 'foreign', 'migrants', 'men', 'women',
  'children', 'minors', 'teenagers', 'survivors', 'suspects', 'suspect', 'employees', 'staff', 'labourers',
  'laborers', 'detainees', 'captives', 'hostages', 'residents', 'youths', 'others', 'fraudsters', 'scammers',
  'members', 'defendants', 'passengers', 'job-seekers', 'jobseekers', 'trafficked', 'suspected', 'managers',
  'manager', 'supervisors', 'bosses', 'ringleaders', 'ringleader', 'recruiters', 'brokers', 'guards', 'operators',
  'orang', 'wni', 'warga', 'korban', 'pekerja', 'tersangka', 'người', 'nạn', 'công', 'lao', 'nghi',
]);
/** Nouns that say the counted people are suspects, which fixes the metric whatever verb is nearer. */
const SUSPECT_NOUNS = new Set([
  'suspects', 'suspect', 'suspected', 'fraudsters', 'scammers', 'defendants', 'bosses', 'ringleaders', 'ringleader',
  'recruiters', 'brokers', 'tersangka', 'nghi',
]);
const COMPOUND_NOUNS = new Set([
  'compounds', 'compound', 'sites', 'centres', 'centers', 'facilities', 'buildings', 'premises', 'hubs',
  'locations', 'dens', 'parks', 'casinos', 'kompleks', 'markas', 'khu',
]);
const CASE_NOUNS = new Set([
  'cases', 'complaints', 'investigations', 'prosecutions', 'lawsuits', 'convictions', 'indictments',
  'reports', 'kasus', 'laporan', 'pengaduan', 'vụ',
]);
const ENTITY_NOUNS = new Set([
  'entities', 'companies', 'firms', 'businesses', 'targets', 'organisations', 'organizations', 'networks',
]);

/** Nationality words: adjective → plural noun for labels. Demonym plurals map to themselves. */
const NATIONALITIES: ReadonlyMap<string, string> = new Map([
  ['indonesian', 'Indonesians'], ['indonesians', 'Indonesians'], ['wni', 'Indonesians'],
  ['chinese', 'Chinese nationals'], ['vietnamese', 'Vietnamese nationals'], ['thai', 'Thais'],
  ['thais', 'Thais'], ['korean', 'South Koreans'], ['koreans', 'South Koreans'], ['filipino', 'Filipinos'],
  ['filipinos', 'Filipinos'], ['malaysian', 'Malaysians'], ['malaysians', 'Malaysians'],
  ['indian', 'Indians'], ['indians', 'Indians'], ['japanese', 'Japanese nationals'],
  ['taiwanese', 'Taiwanese nationals'], ['cambodian', 'Cambodians'], ['cambodians', 'Cambodians'],
  ['myanmar', 'Myanmar nationals'], ['burmese', 'Myanmar nationals'], ['lao', 'Lao nationals'],
  ['laotian', 'Lao nationals'], ['kenyan', 'Kenyans'], ['kenyans', 'Kenyans'], ['ugandan', 'Ugandans'],
  ['ethiopian', 'Ethiopians'], ['ethiopians', 'Ethiopians'], ['sri lankan', 'Sri Lankans'],
  ['bangladeshi', 'Bangladeshis'], ['pakistani', 'Pakistanis'], ['nepali', 'Nepalis'],
  ['american', 'Americans'], ['americans', 'Americans'], ['british', 'British nationals'],
  ['australian', 'Australians'], ['brazilian', 'Brazilians'], ['turkish', 'Turkish nationals'],
]);
const NATIONALITY_ADJ_FOR_LABEL: ReadonlyMap<string, string> = new Map([
  ['Indonesians', 'Indonesian'], ['Chinese nationals', 'Chinese'], ['Vietnamese nationals', 'Vietnamese'],
  ['Thais', 'Thai'], ['South Koreans', 'South Korean'], ['Filipinos', 'Filipino'], ['Malaysians', 'Malaysian'],
  ['Indians', 'Indian'], ['Japanese nationals', 'Japanese'], ['Taiwanese nationals', 'Taiwanese'],
  ['Cambodians', 'Cambodian'], ['Myanmar nationals', 'Myanmar'], ['Lao nationals', 'Lao'],
  ['Kenyans', 'Kenyan'], ['Ugandans', 'Ugandan'], ['Ethiopians', 'Ethiopian'], ['Sri Lankans', 'Sri Lankan'],
  ['Bangladeshis', 'Bangladeshi'], ['Pakistanis', 'Pakistani'], ['Nepalis', 'Nepali'],
  ['Americans', 'American'], ['British nationals', 'British'], ['Australians', 'Australian'],
  ['Brazilians', 'Brazilian'], ['Turkish nationals', 'Turkish'],
]);
/** Nationalities written in scripts without spaces, matched as substrings. */
const NATIONALITY_SUBSTRINGS: ReadonlyArray<readonly [string, string]> = [
  ['中国公民', 'Chinese nationals'], ['中国籍', 'Chinese nationals'], ['คนไทย', 'Thais'], ['한국인', 'South Koreans'],
  ['người việt', 'Vietnamese nationals'], ['công dân việt nam', 'Vietnamese nationals'],
];

/** Words that may stand between a number and its noun ("1,400 of its citizens", "300 foreign workers"). */
const SKIP_WORDS = new Set([
  'of', 'its', 'their', 'the', 'his', 'her', 'these', 'those', 'our', 'other', 'additional', 'local', 'young',
  'new', 'suspected', 'alleged', 'scam', 'online', 'fraud', 'cyber', 'cyber-scam', 'human', 'trafficking',
  'undocumented', 'illegal', 'former', 'migrant', 'forced', 'further', 'mostly', 'mainly', 'largely',
  'trafficked', 'stranded', 'rescued', 'freed', 'released', 'key', 'major', 'large', 'big', 'criminal',
  'south', 'north', 'sri', 'us', 'u.s.', 'hong', 'kong', 'singapore', 'warga', 'negara', 'lao', 'động',
  'nhân', 'dân', 'phạm', 'them',
]);
/** Words after a number that show it stands alone as a count ("57 were arrested", "in the thousands."). */
const PRONOMINAL_FOLLOWERS = new Set([
  'were', 'was', 'are', 'is', 'have', 'has', 'had', 'been', 'who', 'that', 'which', 'in', 'at', 'on', 'from',
  'to', 'by', 'for', 'with', 'and', 'or', 'remain', 'remained', 'remains', 'still', 'later', 'will', 'would',
  'could', 'may', 'might', 'allegedly', 'reportedly', 'since', 'after', 'during', 'last', 'this', 'so',
  'far', 'more', 'across', 'inside', 'out', 'so-far', 'but', 'while', 'among', 'within', 'between', 'as',
  'telah', 'sudah', 'yang', 'di', 'dan', 'đã', 'được', 'bị', 'đang',
]);

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'januari', 'februari', 'maret', 'mei', 'juni', 'juli', 'agustus', 'oktober', 'desember', 'tháng',
].join('|');

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8],
  ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14],
  ['fifteen', 15], ['sixteen', 16], ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20],
  ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90],
]);
const SCALE_WORDS: ReadonlyMap<string, number> = new Map([
  ['hundred', 100], ['thousand', 1e3], ['million', 1e6], ['billion', 1e9], ['trillion', 1e12],
]);

/** Scale words and suffixes after a digit number. */
const SCALES: ReadonlyMap<string, number> = new Map([
  ['k', 1e3], ['m', 1e6], ['mn', 1e6], ['mln', 1e6], ['b', 1e9], ['bn', 1e9], ['tn', 1e12],
  ['thousand', 1e3], ['million', 1e6], ['billion', 1e9], ['trillion', 1e12],
  ['ribu', 1e3], ['juta', 1e6], ['miliar', 1e9], ['milyar', 1e9], ['triliun', 1e12],
  ['nghìn', 1e3], ['ngàn', 1e3], ['triệu', 1e6], ['tỷ', 1e9], ['tỉ', 1e9],
  ['千', 1e3], ['万', 1e4], ['亿', 1e8], ['천', 1e3], ['만', 1e4], ['억', 1e8],
  ['พัน', 1e3], ['หมื่น', 1e4], ['แสน', 1e5], ['ล้าน', 1e6],
]);

/** Vague amounts: value is the order of magnitude, the qualifier says it is vague. */
const VAGUE: ReadonlyMap<string, number> = new Map([
  ['tens of thousands', 1e4], ['hundreds of thousands', 1e5], ['tens of millions', 1e7],
  ['hundreds of millions', 1e8], ['thousands', 1e3], ['hundreds', 100], ['dozens', 12], ['millions', 1e6],
  ['billions', 1e9], ['puluhan ribu', 1e4], ['ratusan ribu', 1e5], ['ribuan', 1e3], ['ratusan', 100],
  ['puluhan', 10], ['hàng chục nghìn', 1e4], ['hàng chục ngàn', 1e4], ['hàng nghìn', 1e3], ['hàng ngàn', 1e3],
  ['hàng trăm', 100], ['hàng chục', 10], ['数以万计', 1e4], ['数以千计', 1e3], ['数万', 1e4], ['数千', 1e3],
  ['数百', 100], ['上万', 1e4], ['上千', 1e3], ['หลายหมื่น', 1e4], ['หลายพัน', 1e3], ['หลายร้อย', 100],
  ['수천', 1e3], ['수만', 1e4], ['수백', 100],
]);

const PLACES = [
  // Most specific first: a city says more than the country.
  'Phnom Penh', 'Sihanoukville', 'Preah Sihanouk', 'Bavet', 'Poipet', 'Koh Kong', 'Kampot', 'Siem Reap',
  'Svay Rieng', 'Banteay Meanchey', "O'Smach", 'Pursat', 'Kandal', 'Takeo', 'Kampong Speu', 'Battambang',
  'Myawaddy', 'Shwe Kokko', 'KK Park', 'Golden Triangle', 'Cambodia', 'Myanmar', 'Laos', 'Thailand',
  'the Philippines', 'Philippines', 'Vietnam', 'Indonesia', 'China', 'Southeast Asia',
];
/** Places ranked after Cambodia are other countries (see findPlace). */
const CAMBODIA_RANK = PLACES.indexOf('Cambodia');
/** Local-language names of places, reported under their English name in labels. */
const PLACE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['Kamboja', 'Cambodia'], ['Campuchia', 'Cambodia'], ['柬埔寨', 'Cambodia'], ['กัมพูชา', 'Cambodia'],
  ['កម្ពុជា', 'Cambodia'], ['캄보디아', 'Cambodia'], ['金边', 'Phnom Penh'], ['西港', 'Sihanoukville'],
  ['ភ្នំពេញ', 'Phnom Penh'], ['พนมเปญ', 'Phnom Penh'],
]);
const PLACE_RE = new RegExp(
  `(?<![\\p{L}])(?:${PLACES.map((p) => escapeRe(p).replace(/'/gu, "['\u2019]")).join('|')}|Kamboja|Campuchia)(?![\\p{L}])|${[...PLACE_ALIASES.keys()].filter((k) => !/^\p{Script=Latin}/u.test(k)).join('|')}`,
  'gu',
);

const LOCATIVE_BEFORE = /(?<![\p{L}])(?:in|across|inside|throughout|at|near|di|ở|tại)\s+$/iu;

const SOURCES = [
  'Amnesty International', 'Human Rights Watch', 'International Justice Mission', 'United Nations',
  'UNODC', 'OHCHR', 'IOM', 'ILO', 'Interpol', 'US Treasury', 'Treasury', 'State Department', 'FBI', 'IJM',
  'Amnesty', 'UN', 'National Police', 'Interior Ministry', 'Ministry of Interior', 'Foreign Ministry',
  'Ministry of Foreign Affairs', 'police', 'the government', 'officials', 'KBRI', 'Kemlu',
];
const SOURCE_RE = new RegExp(
  `(?<![\\p{L}])(?:(?:\\p{Lu}[\\p{L}-]+\\s+)?[Ee]mbassy|${SOURCES.map(escapeRe).join('|')})(?![\\p{L}])`,
  'gu',
);
const ACCORDING_RE = /according to (?:the )?([^,.;:()]{2,60})/giu;

// ---------------------------------------------------------------------------------------------------------
// Regular expressions
// ---------------------------------------------------------------------------------------------------------

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

const CUR_PREFIX_RE = CURRENCY_PREFIXES.map(([p]) => escapeRe(p)).join('|');
const LATIN_SCALES = ['thousand', 'million', 'billion', 'trillion', 'ribu', 'juta', 'miliar', 'milyar',
  'triliun', 'nghìn', 'ngàn', 'triệu', 'tỷ', 'tỉ', 'mln', 'bn', 'mn', 'tn'].join('|');
const ATTACHED_SCALES = 'bn|mn|tn|k|m|b';
const SPACELESS_SCALES = '千|万|亿|천|만|억|พัน|หมื่น|แสน|ล้าน';
// Digits: "1,400", "1.400" (Indonesian/Vietnamese thousands), "12.5", "1,2" (decimal comma).
const DIGIT_NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+(?:[.,]\d+)?`;
const NUMBER_RE = new RegExp(
  `(?<cur>(?:${CUR_PREFIX_RE})\\s?)?(?<num>${DIGIT_NUMBER})` +
    `(?<scale>\\s?(?:${LATIN_SCALES})${NOT_LETTER_OR_DIGIT}|(?:${ATTACHED_SCALES})${NOT_LETTER_OR_DIGIT}|\\s?(?:${SPACELESS_SCALES}))?`,
  'giu',
);

/** Vague phrases keyed by their first word, longest first ("tens of thousands" before "tens"). */
const VAGUE_BY_FIRST = new Map<string, string[][]>();
const VAGUE_OTHER = [...VAGUE.keys()].filter((k) => !/^\p{Script=Latin}/u.test(k)).sort((x, y) => y.length - x.length);
for (const k of [...VAGUE.keys()].filter((v) => /^\p{Script=Latin}/u.test(v)).sort((x, y) => y.length - x.length)) {
  const ws = k.split(' ');
  const list = VAGUE_BY_FIRST.get(ws[0] ?? '') ?? [];
  list.push(ws);
  VAGUE_BY_FIRST.set(ws[0] ?? '', list);
}

// Spans that look numeric but are not counts: links, e-mail addresses, dates, times, phone numbers.
const URL_RE = /(?:https?:\/\/|www\.)[^\s<>"]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/giu;
const NUMERIC_DATE_RE = /(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}\/\d{4})(?!\d)/gu;
const TIME_RE = /(?<!\d)\d{1,2}[:.]\d{2}\s?(?:a\.?m\.?|p\.?m\.?)|(?<!\d)\d{1,2}:\d{2}(?!\d)/giu;
const PHONE_RE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){2,}/gu;
const PHONE_CONTEXT_RE = /(?:phone|tel\.?|telephone|hotline|call|dial|whatsapp|telegram|contact|line|sms|text)[\s:]*$/iu;

// Context that disqualifies a number.
const PERCENT_AFTER = /^\s?(?:%|％|percent(?:age)?|per\s?cent|persen|phần trăm|เปอร์เซ็นต์|个百分点|퍼센트)/iu;
const TIME_UNIT_AFTER_LATIN =
  /^[\s-]*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|decades?|centuries|century|nights?|tahun|bulan|hari|minggu|jam|năm|tháng|ngày|tuần|giờ|tuổi)(?![\p{L}])/iu;
const TIME_UNIT_AFTER_OTHER = /^\s?(?:个月|年|月|日|号|天|周|小时|岁|时|点|分钟|秒|세|살|년|개월|일|시간|ปี|เดือน|วัน|สัปดาห์|ชั่วโมง|ขวบ|ឆ្នាំ|ខែ|ថ្ងៃ)/u;
const CLOCK_AFTER = /^\s?(?:a\.?m\.?|p\.?m\.?|o'clock|hrs\b|wib|ict)/iu;
const MONTH_BEFORE = new RegExp(`(?<![\\p{L}])(?:${MONTHS})\\.?,?\\s*$`, 'iu');
const MONTH_AFTER = new RegExp(`^(?:st|nd|rd|th)?\\s*(?:of\\s+)?(?:${MONTHS})(?![\\p{L}])`, 'iu');
const AGE_BEFORE =
  /(?:(?<![\p{L}])(?:aged?|ages|age of|berusia|usia|umur|độ tuổi)\s*(?:between|from|of|over|under|above|below)?\s*(?:\d+\s*(?:to|and|-|–)\s*)?|(?<![\p{L}])(?:children|child|kids|minors?|boys|girls|anak-anak|anak|trẻ em)\s+(?:under|below|over|above)\s*|(?<![\p{L}])(?:the\s+)?(?:oldest|youngest)(?:\s+(?:was|is|being))?\s*)$/iu;
/** "were under 18.": an age or a threshold, not a count; only for small numbers that end the clause. */
const COMPARED_BEFORE = /(?<![\p{L}])(?:were|was|are|is|being|be|all|most|mostly)\s+(?:under|below|over|above)\s*$/iu;
const CLAUSE_END_AFTER = /^\s*(?:$|[.,;:)!?])/u;
/** "In 2024 workers fled": a year after a word of time, whatever follows it. */
const YEAR_BEFORE = /(?<![\p{L}])(?:in|since|by|from|until|till|during|early|late|mid|before|after|throughout|sejak|pada|tahun|năm|vào)\s*$/iu;
/** "Call 1288", "hotline 1280": a number to dial, however short. */
const DIAL_BEFORE = /(?<![\p{L}])(?:call|dial|hotline|phone|tel\.?|telephone|whatsapp|sms)(?:\s+(?:number|no\.?|on|at))?[\s:]*$/iu;
const REFERENCE_BEFORE =
  /(?<![\p{L}])(?:page|pages|p\.|pp\.|section|sec\.|article|art\.|chapter|paragraph|para\.|clause|no\.|nos\.|number|route|road|highway|street|st\.|flight|room|floor|building|block|tower|lot|zone|phase|vol\.|volume|issue|resolution|law|decree|prakas|pasal|ayat|kilometre|km|tel\.?|code|version|level|grade|platform|gate|channel|top|covid|article|no)\s*$|#\s*$/iu;
const ONE_IDIOM_AFTER = /^\s+(?:of|another|day|time|point|way|side|hand|by one|in (?:\d|one|two|three|four|five|ten))(?![\p{L}])/iu;
const ONE_IDIOM_BEFORE = /(?<![\p{L}])(?:no|any|every|some|the|this|that|which)\s*$/iu;
const RATIO_AFTER = /^\s+in\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|every)(?![\p{L}])/iu;

// Qualifier phrases immediately before the number. Order matters: "just under" before "under",
// "no fewer than" before "fewer than", "no more than" before "more than".
function qualifierRe(latin: string, other: string): RegExp {
  // Latin phrases need a word boundary; Han/Thai/Hangul phrases sit directly against other letters.
  return new RegExp(`(?:(?<![\\p{L}])(?:${latin})${other ? `|${other}` : ''})\\s*$`, 'iu');
}
const QUALIFIERS: ReadonlyArray<readonly [Qualifier, RegExp]> = [
  ['nearly', qualifierRe('nearly|almost|close to|just under|just shy of|just below|hampir|gần', '将近|近|เกือบ')],
  ['at_least', qualifierRe('at least|a minimum of|no fewer than|no less than|not less than|sedikitnya|setidaknya|paling sedikit|minimal|ít nhất', '至少|อย่างน้อย')],
  ['up_to', qualifierRe('up to|as many as|as much as|no more than|not more than|fewer than|less than|under|below|hingga|sampai|lên tới|lên đến', '多达|高达|มากถึง')],
  // "over" after "handed", "turned" and the like is part of the verb ("handed over 85 citizens"), not a qualifier.
  ['more_than', qualifierRe('more than|(?<!(?:hand(?:ed|ing|s)?|turn(?:ed|ing|s)?|took|taken|taking|pass(?:ed|ing)?|gave|given|giving)\\s+)over|upwards of|in excess of|above|exceeding|lebih dari|hơn|trên', '超过|逾|多于|เกินกว่า')],
  ['about', qualifierRe('about|around|approximately|approx\\.|roughly|some|an estimated|estimated|est\\.|circa|an average of|sekitar|kurang lebih|lebih kurang|khoảng|ước tính', '约|大约|ประมาณ|약')],
];
const MORE_THAN_SUFFIX = /^(?:\+|-plus(?![\p{L}])|\s?多|\s?余|\s?กว่า|\s?이상|\s?ขึ้นไป)/u;

// Clause breaks: a trigger in the same clause as the number beats a nearer one across a break.
const CLAUSE_BREAK_RE = /[;:，；、]|,\s|\s(?:and|while|but|whereas|as well as|after|before|dan|sementara|và|trong khi)\s|\s[–—-]\s/giu;

// ---------------------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------------------

interface TriggerHit {
  metric: Metric;
  start: number;
  end: number;
  weak: boolean;
}

interface TriggerEntry {
  metric: Metric;
  /** Remaining words of a multi-word phrase after the first. */
  rest: readonly string[];
  prefix: boolean;
  weak: boolean;
}

// Triggers are indexed by their first word so a sentence is matched in one pass over its words — a big
// regex alternation with lookbehinds was the extractor's hottest spot. Scripts without spaces are few
// phrases, matched with indexOf.
const WORD_TRIGGERS = new Map<string, TriggerEntry[]>();
const PREFIX_TRIGGERS: Array<{ prefix: string; metric: Metric }> = [];
const SUBSTRING_TRIGGERS: Array<{ text: string; metric: Metric; weak: boolean }> = [];
for (const spec of METRICS) {
  const all = [
    ...spec.triggers.map((t) => ({ t, weak: false })),
    ...(spec.weak ?? []).map((t) => ({ t, weak: true })),
  ];
  for (const { t, weak } of all) {
    if (!/^\p{Script=Latin}/u.test(t)) {
      SUBSTRING_TRIGGERS.push({ text: t, metric: spec.metric, weak });
      continue;
    }
    const prefix = t.endsWith('*');
    const words = (prefix ? t.slice(0, -1) : t).split(/\s+/u);
    const first = words[0] ?? '';
    if (prefix && words.length === 1) {
      PREFIX_TRIGGERS.push({ prefix: first, metric: spec.metric });
      continue;
    }
    const list = WORD_TRIGGERS.get(first) ?? [];
    list.push({ metric: spec.metric, rest: words.slice(1), prefix, weak });
    WORD_TRIGGERS.set(first, list);
  }
}

const WORD_RE = /[\p{L}\p{M}]+/gu;

interface Word {
  w: string;
  start: number;
  end: number;
}

/** Letter runs of a lowercased sentence with offsets: one scan shared by triggers and number words. */
function wordsOf(lower: string): Word[] {
  const words: Word[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(lower); m !== null; m = WORD_RE.exec(lower)) {
    words.push({ w: m[0], start: m.index, end: m.index + m[0].length });
  }
  return words;
}

function findTriggers(lower: string, words: readonly Word[]): TriggerHit[] {
  const hits: TriggerHit[] = [];
  for (let k = 0; k < words.length; k += 1) {
    const word = words[k];
    if (!word) continue;
    const entries = WORD_TRIGGERS.get(word.w);
    if (entries) {
      for (const e of entries) {
        let ok = true;
        for (let r = 0; r < e.rest.length && ok; r += 1) ok = words[k + 1 + r]?.w === e.rest[r];
        if (!ok) continue;
        const last = words[k + e.rest.length] ?? word;
        hits.push({ metric: e.metric, start: word.start, end: last.end, weak: e.weak });
      }
    }
    for (const p of PREFIX_TRIGGERS) {
      if (word.w.startsWith(p.prefix)) hits.push({ metric: p.metric, start: word.start, end: word.end, weak: false });
    }
  }
  // Only sentences with non-ASCII letters can hold the Han/Thai/Hangul triggers.
  if (/[^\u0000-\u024f]/u.test(lower)) {
    for (const t of SUBSTRING_TRIGGERS) {
      for (let i = lower.indexOf(t.text); i >= 0; i = lower.indexOf(t.text, i + t.text.length)) {
        hits.push({ metric: t.metric, start: i, end: i + t.text.length, weak: t.weak });
      }
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------------------
// Mentions
// ---------------------------------------------------------------------------------------------------------

interface Mention {
  start: number;
  end: number;
  value: number;
  vague: boolean;
  currency: string | null;
  /** A bare four-digit number that could be a year: kept only with an explicit count noun. */
  yearLike: boolean;
  word: boolean;
  /** A range ("between 300 and 400", "2,500-3,000"): `value` is its low end, `quoteFrom` where it is said. */
  range?: { quoteFrom: number };
}

/** Map every decimal digit (Khmer, Thai, full-width, Arabic-Indic…) to ASCII; all are single UTF-16 units. */
// Decimal digits outside ASCII in the scripts our outlets use (Arabic-Indic, Devanagari, Thai, Lao, Myanmar,
// Khmer, full-width); an explicit class is much cheaper than a lookahead over \p{Nd}.
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u0e50-\u0e59\u0ed0-\u0ed9\u1040-\u1049\u17e0-\u17e9\uff10-\uff19]/u;
// Module constants, not literals in the functions below: see docs/decisions/0005-hot-path-under-tsx.md.
const DIGITS_RE = /\p{Nd}/gu;
const DIGIT_RE = /\p{Nd}/u;
const NUMERIC_RE = /\p{N}/u;
const ALL_NUMERIC_RE = /^\p{N}+$/u;
const STARTS_UPPER_RE = /^\p{Lu}/u;
function asciiDigits(s: string): string {
  if (!NON_ASCII_DIGIT.test(s)) return s;
  return s.replace(DIGITS_RE, (d) => {
    const cp = d.codePointAt(0) ?? 48;
    if (cp >= 48 && cp <= 57) return d;
    // Unicode lays decimal digits out in contiguous runs of ten starting at a code point ending in 0 or 6.
    for (let zero = cp; zero > cp - 10; zero -= 1) {
      if (!DIGIT_RE.test(String.fromCodePoint(zero - 1))) return String((cp - zero) % 10);
    }
    return d;
  });
}

function parseDigits(num: string, hasScale: boolean): number {
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u.test(num)) return Number(num.replace(/,/gu, ''));
  if (/^\d{1,3}(?:\.\d{3})+$/u.test(num)) {
    // "1.400" is Indonesian/Vietnamese for 1400, but "1.125 billion" is a decimal.
    if (hasScale && num.split('.').length === 2) return Number(num);
    return Number(num.replace(/\./gu, ''));
  }
  if (/^\d+,\d{1,2}$/u.test(num)) return Number(num.replace(',', '.'));
  return Number(num.replace(/,/gu, ''));
}

function parseWordNumber(words: string): number | null {
  const parts = words.toLowerCase().split(/[\s-]+/u).filter((p) => p !== 'and');
  let total = 0;
  let current = 0;
  let seen = false;
  for (let k = 0; k < parts.length; k += 1) {
    const p = parts[k] ?? '';
    if (p === 'a' || p === 'an') {
      // "a" only counts as one before a scale ("a dozen", "a hundred").
      current = current === 0 ? 1 : current;
      continue;
    }
    const n = NUMBER_WORDS.get(p);
    if (n !== undefined) {
      current += n;
      seen = true;
      continue;
    }
    if (p === 'dozen') {
      current = (current || 1) * 12;
      seen = true;
      continue;
    }
    const scale = SCALE_WORDS.get(p);
    if (scale === undefined) return null;
    seen = true;
    if (scale === 100) current = (current || 1) * 100;
    else {
      total += (current || 1) * scale;
      current = 0;
    }
  }
  // A bare scale word ("billion dollar industry", "million-strong") states no amount.
  if (!parts.some((p) => NUMBER_WORDS.has(p) || p === 'a' || p === 'an' || p === 'dozen')) return null;
  return seen ? total + current : null;
}

function overlaps(a: { start: number; end: number }, ranges: ReadonlyArray<{ start: number; end: number }>): boolean {
  return ranges.some((r) => a.start < r.end && r.start < a.end);
}

function maskedRanges(d: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  // The link/e-mail pattern is costly on long letter runs; skip it when no link can be there.
  const res = /[@/]|www\./u.test(d) ? [URL_RE, NUMERIC_DATE_RE, TIME_RE] : [NUMERIC_DATE_RE, TIME_RE];
  for (const re of res) {
    re.lastIndex = 0;
    for (let m = re.exec(d); m !== null; m = re.exec(d)) out.push({ start: m.index, end: m.index + m[0].length });
  }
  PHONE_RE.lastIndex = 0;
  for (let m = PHONE_RE.exec(d); m !== null; m = PHONE_RE.exec(d)) {
    const s = m[0];
    const digits = s.replace(/\D/gu, '').length;
    if (digits < 8) continue;
    const before = d.slice(Math.max(0, m.index - 25), m.index);
    // Dots alone separate thousands in Indonesian amounts ("12.500.000"), so they need other evidence.
    const looksPhone =
      /^[+(0]/u.test(s) || /\d-\d/u.test(s) || PHONE_CONTEXT_RE.test(before) || (/\d \d/u.test(s) && digits >= 9);
    if (looksPhone) out.push({ start: m.index, end: m.index + s.length });
  }
  return out;
}

const ARTICLE_SCALES = new Set(['dozen', 'hundred', 'thousand', 'million', 'billion', 'trillion']);
function isNumberWord(w: string): boolean {
  return NUMBER_WORDS.has(w) || SCALE_WORDS.has(w) || w === 'dozen';
}

function findMentions(d: string, lower: string, words: readonly Word[]): Mention[] {
  const found: Mention[] = [];
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(d); m !== null; m = NUMBER_RE.exec(d)) {
    const g = m.groups ?? {};
    const num = g['num'] ?? '';
    const cur = g['cur'];
    const scaleRaw = (g['scale'] ?? '').trim().toLowerCase();
    const start = m.index;
    // "Covid-19", "G7", "MH370": a number glued to a Latin word is a name, not an amount.
    const prev = d[start - 1] ?? '';
    const prev2 = d[start - 2] ?? '';
    // A number after a digit and a dash is the high end of a range ("2,500-3,000"), which mergeRanges reads.
    if (!cur && (/[\p{Script=Latin}\p{N}_#]/u.test(prev) || (/[-/]/u.test(prev) && /[\p{Script=Latin}\p{N}]/u.test(prev2) && !(prev === '-' && /\d/u.test(prev2))))) {
      continue;
    }
    const scale = scaleRaw === '' ? 1 : (SCALES.get(scaleRaw) ?? 1);
    let currency: string | null = null;
    if (cur) {
      const key = cur.trim();
      currency = CURRENCY_PREFIXES.find(([p]) => p.toLowerCase() === key.toLowerCase())?.[1] ?? null;
    }
    const base = parseDigits(num, scale !== 1);
    if (!Number.isFinite(base)) continue;
    const value = scale === 1 ? base : Math.round(base * scale);
    const yearLike = !cur && scale === 1 && /^\d{4}$/u.test(num) && base >= 1800 && base <= 2199;
    found.push({ start, end: start + m[0].length, value, vague: false, currency, yearLike, word: false });
  }
  const push = (start: number, end: number, value: number, vague: boolean): void => {
    const span = { start, end };
    if (overlaps(span, found)) return;
    found.push({ ...span, value, vague, currency: null, yearLike: false, word: true });
  };
  for (let k = 0; k < words.length; k += 1) {
    const w = words[k];
    if (!w) continue;
    // Vague amounts ("tens of thousands", "ribuan", "hàng nghìn").
    const phrases = VAGUE_BY_FIRST.get(w.w);
    if (phrases) {
      const ph = phrases.find((ws) => ws.every((x, r) => words[k + r]?.w === x));
      if (ph) {
        const last = words[k + ph.length - 1] ?? w;
        push(w.start, last.end, VAGUE.get(ph.join(' ')) ?? 0, true);
        k += ph.length - 1;
        continue;
      }
    }
    // Number words: "ten", "two thousand", "twenty-five", "a dozen", "one hundred and fifty", "half a million".
    const article = w.w === 'a' || w.w === 'an';
    if (!article && !isNumberWord(w.w)) continue;
    if (article && !ARTICLE_SCALES.has(words[k + 1]?.w ?? '')) continue;
    const before = words[k - 1];
    const half = article && before?.w === 'half' && /^\s+$/u.test(lower.slice(before.end, w.start)) ? before : null;
    let endK = article ? k + 1 : k;
    for (;;) {
      const cur = words[endK];
      const nx = words[endK + 1];
      if (!cur || !nx) break;
      const sep = lower.slice(cur.end, nx.start);
      if (isNumberWord(nx.w) && /^(?:\s+|-)$/u.test(sep)) {
        endK += 1;
        continue;
      }
      const nn = words[endK + 2];
      if (nx.w === 'and' && nn && isNumberWord(nn.w) && /^\s+$/u.test(sep) && /^\s+$/u.test(lower.slice(nx.end, nn.start))) {
        endK += 2;
        continue;
      }
      break;
    }
    const last = words[endK] ?? w;
    // Glued to digits ("5million" is handled by the digit pass) means this is not a word number.
    if (NUMERIC_RE.test(lower[w.start - 1] ?? '') || NUMERIC_RE.test(lower[last.end] ?? '')) continue;
    const value = parseWordNumber(lower.slice(w.start, last.end));
    if (value !== null && value !== 0) push(half?.start ?? w.start, last.end, half ? Math.round(value / 2) : value, false);
    k = endK;
  }
  // Vague amounts in scripts without spaces ("数千名", "หลายพันคน").
  if (/[^\u0000-\u024f]/u.test(lower)) {
    for (const v of VAGUE_OTHER) {
      for (let i = lower.indexOf(v); i >= 0; i = lower.indexOf(v, i + v.length)) push(i, i + v.length, VAGUE.get(v) ?? 0, true);
    }
  }
  return mergeRanges(lower, found.sort((a, b) => a.start - b.start));
}

const RANGE_JOIN_RE = /^\s*(?:to|-|–|—|sampai|hingga|đến|tới)\s*$|^\s+and\s+$/iu;
const RANGE_BETWEEN_RE = /(?<![\p{L}])(?:between|antara|từ)\s+$/iu;
/** "rose from 300 to 400": a change, two figures, not a range. */
const RANGE_FROM_RE = /(?<![\p{L}])from\s+$/iu;

/**
 * Two amounts joined as a range ("300 to 400", "2,500-3,000", "between 300 and 400", "antara 300 hingga 400")
 * become one mention of the low end, so a range is never reported as two exact counts. "and" joins a range
 * only after "between"; "from 300 to 400" is a change and stays two mentions.
 */
function mergeRanges(lower: string, mentions: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < mentions.length; i += 1) {
    const low = mentions[i];
    if (!low) continue;
    const high = mentions[i + 1];
    const join = high ? lower.slice(low.end, high.start) : '';
    const before = lower.slice(Math.max(0, low.start - 12), low.start);
    const between = RANGE_BETWEEN_RE.exec(before);
    if (
      high &&
      !low.vague &&
      !high.vague &&
      low.currency === high.currency &&
      high.value > low.value &&
      RANGE_JOIN_RE.test(join) &&
      (between !== null || !/and/u.test(join)) &&
      !RANGE_FROM_RE.test(before)
    ) {
      const quoteFrom = between ? low.start - before.length + between.index : low.start;
      out.push({ ...low, end: high.end, yearLike: low.yearLike && high.yearLike, range: { quoteFrom } });
      i += 1;
      continue;
    }
    out.push(low);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Per-mention analysis
// ---------------------------------------------------------------------------------------------------------

type UnitKind = 'people' | 'compounds' | 'cases' | 'entities' | 'currency' | 'none' | 'unknown';

interface NounPhrase {
  kind: UnitKind;
  unit: string | null;
  /** End of the counted noun phrase (sentence-local), for the quote. */
  end: number;
  nationality: string | null;
  suspect: boolean;
  noun: string | null;
  suffixQualifier: Qualifier | null;
}

const TOKEN_RE = /\s*([\p{L}\p{M}][\p{L}\p{M}'’.-]*[\p{L}\p{M}]|[\p{L}\p{M}]|\p{N}+|[^\s\p{L}\p{N}])/uy;

function readNounPhrase(lower: string, from: number, currency: string | null): NounPhrase {
  const np: NounPhrase = { kind: 'none', unit: null, end: from, nationality: null, suspect: false, noun: null, suffixQualifier: null };
  let pos = from;
  const suffix = MORE_THAN_SUFFIX.exec(lower.slice(pos));
  if (suffix) {
    np.suffixQualifier = 'more_than';
    pos += suffix[0].length;
    np.end = pos;
  }
  const rest = lower.slice(pos).replace(/^\s/u, '');
  const restOffset = lower.length - pos - rest.length;
  for (const [s, unit] of SUFFIX_UNITS) {
    if (rest.startsWith(s)) {
      np.end = pos + restOffset + s.length;
      if (unit === 'people' || unit === 'compounds' || unit === 'cases') {
        np.kind = unit;
        np.unit = unit;
      } else if (currency === null) {
        np.kind = 'currency';
        np.unit = unit;
      }
      return np;
    }
  }
  if (currency !== null) {
    np.kind = 'currency';
    np.unit = currency;
    return np;
  }
  let sawNationality: string | null = null;
  for (let k = 0; k < 6; k += 1) {
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(lower);
    if (!m) break;
    const tok = (m[1] ?? '').replace(/[’']s$/u, '');
    const tokEnd = m.index + m[0].length;
    const cw = CURRENCY_WORDS.get(tok);
    const nat = NATIONALITIES.get(tok);
    if (cw !== undefined && !(tok === 'won' && k > 0)) {
      np.kind = 'currency';
      np.unit = cw;
      np.end = tokEnd;
      return np;
    }
    if (PEOPLE_NOUNS.has(tok)) {
      np.kind = 'people';
      np.unit = 'people';
      np.end = tokEnd;
      np.noun = tok;
      np.suspect ||= SUSPECT_NOUNS.has(tok);
      np.nationality = sawNationality ?? (tok === 'wni' ? 'Indonesians' : null);
      // Keep multi-word people nouns whole in the quote ("foreign workers", "suspected managers").
      if (tok === 'foreign' || tok === 'suspected') {
        pos = tokEnd;
        continue;
      }
      return np;
    }
    if (COMPOUND_NOUNS.has(tok) || CASE_NOUNS.has(tok) || ENTITY_NOUNS.has(tok)) {
      np.kind = COMPOUND_NOUNS.has(tok) ? 'compounds' : CASE_NOUNS.has(tok) ? 'cases' : 'entities';
      np.unit = np.kind;
      np.end = tokEnd;
      np.noun = tok;
      return np;
    }
    if (nat !== undefined) {
      sawNationality = nat;
      np.end = tokEnd;
      pos = tokEnd;
      continue;
    }
    // "three of the 20 compounds": the noun after a partitive also counts the first number.
    if (SKIP_WORDS.has(tok) || (k > 0 && ALL_NUMERIC_RE.test(tok))) {
      pos = tokEnd;
      continue;
    }
    if (!/[\p{L}]/u.test(tok) || PRONOMINAL_FOLLOWERS.has(tok)) {
      // The number stands alone ("57 were arrested", "2,000 Chinese were deported", "in the thousands.").
      if (sawNationality !== null) {
        np.kind = 'people';
        np.unit = 'people';
        np.nationality = sawNationality;
        np.noun = null;
      } else {
        np.end = from + (suffix ? suffix[0].length : 0);
      }
      return np;
    }
    // A nationality used as the noun ("45 Thais repatriated", "2,000 Chinese deported").
    if (sawNationality === null) np.kind = 'unknown';
    break;
  }
  if (sawNationality !== null) {
    np.kind = 'people';
    np.unit = 'people';
    np.nationality = sawNationality;
  }
  return np;
}

function qualifierBefore(lower: string, start: number): { q: Qualifier; start: number } | null {
  const before = lower.slice(Math.max(0, start - 30), start);
  for (const [q, re] of QUALIFIERS) {
    const m = re.exec(before);
    if (m) return { q, start: start - before.length + m.index };
  }
  return null;
}

function excluded(d: string, lower: string, m: Mention, masked: ReadonlyArray<{ start: number; end: number }>): boolean {
  if (overlaps(m, masked)) return true;
  const after = lower.slice(m.end, m.end + 30);
  const before = lower.slice(Math.max(0, m.start - 30), m.start);
  if (PERCENT_AFTER.test(after)) return true;
  if (TIME_UNIT_AFTER_LATIN.test(after) || TIME_UNIT_AFTER_OTHER.test(after)) return true;
  if (CLOCK_AFTER.test(after)) return true;
  if (MONTH_BEFORE.test(before) || MONTH_AFTER.test(after)) return true;
  if (AGE_BEFORE.test(before)) return true;
  if (m.value <= 99 && COMPARED_BEFORE.test(before) && CLAUSE_END_AFTER.test(after)) return true;
  if (m.yearLike && YEAR_BEFORE.test(before)) return true;
  if (DIAL_BEFORE.test(before)) return true;
  if (REFERENCE_BEFORE.test(before)) return true;
  if (RATIO_AFTER.test(after)) return true;
  if (!m.word) {
    // "3rd", "1990s", "10km": letters glued to the digits (scales were consumed already).
    if (/^[\p{Script=Latin}]/u.test(d.slice(m.end, m.end + 1)) && !/^(?:[-–]plus)/u.test(after)) return true;
    if (/^[-–][\p{L}]/u.test(after) && !/^-plus/u.test(after)) return true; // "10-storey", "24-hour"
    if (/^\/\d/u.test(after) || /\d\/$/u.test(before)) return true;
    // A decimal with no scale and no currency is a measurement ("2.5 hectares"), never a head count.
    if (m.currency === null && m.value % 1 !== 0) return true;
  } else {
    const text = lower.slice(m.start, m.end);
    if (/^one$/u.test(text) && (ONE_IDIOM_AFTER.test(after) || ONE_IDIOM_BEFORE.test(before))) return true;
    if (/^[-–][\p{L}]/u.test(after)) return true; // "ten-year", "two-storey"
    if (/[\p{L}][-–]$/u.test(before)) return true; // "multi-billion"
  }
  return false;
}

function clauseOf(breaks: readonly number[], pos: number): number {
  let c = 0;
  for (const b of breaks) {
    if (b <= pos) c += 1;
    else break;
  }
  return c;
}

const PEOPLE_METRICS: ReadonlySet<Metric> = new Set([
  'people_held', 'people_released', 'people_rescued', 'people_repatriated', 'nationals_registered',
  'people_arrested', 'sanctioned',
]);

/** Larger is not a figure: more than every person alive, or money beyond any economy's output. */
const MAX_COUNT = 1e9;
const MAX_AMOUNT = 1e14;
/** Twelve or more digits with no separator: an identifier, not a number anyone writes as an amount. */
const LONG_DIGIT_RUN_RE = /\d{12,}/u;

const SUSPECT_METRICS: ReadonlySet<Metric> = new Set(['people_arrested', 'people_repatriated', 'sanctioned']);
const UNITLESS_METRICS: ReadonlySet<Metric> = new Set<Metric>([...PEOPLE_METRICS, 'cases']);
const CURRENCY_METRICS: ReadonlySet<Metric> = new Set<Metric>(['scam_revenue', 'assets_seized']);
const ENTITY_METRICS: ReadonlySet<Metric> = new Set<Metric>(['sanctioned']);

function allowedMetrics(kind: UnitKind): ReadonlySet<Metric> | null {
  switch (kind) {
    case 'people':
      return PEOPLE_METRICS;
    case 'none':
      return UNITLESS_METRICS;
    case 'currency':
      return CURRENCY_METRICS;
    case 'entities':
      return ENTITY_METRICS;
    default:
      return null;
  }
}

function chooseMetric(
  hits: readonly TriggerHit[],
  allowed: ReadonlySet<Metric>,
  span: { start: number; end: number },
  breaks: readonly number[],
): Metric | null {
  const clause = clauseOf(breaks, span.start);
  let best: { metric: Metric; score: number } | null = null;
  for (const h of hits) {
    if (!allowed.has(h.metric)) continue;
    const dist = h.end <= span.start ? span.start - h.end : h.start >= span.end ? h.start - span.end : 0;
    // Same clause first, strong before weak, then distance.
    const hc = clauseOf(breaks, h.start);
    const score = (hc === clause ? 0 : 10_000) + (h.weak ? 1_000 : 0) + dist;
    if (best === null || score < best.score) best = { metric: h.metric, score };
  }
  return best?.metric ?? null;
}

/**
 * Authorities a nationality word may qualify instead of the people counted (sticky: tested right after the word).
 * Embassies are left out on purpose: "the Indonesian embassy registered 1,400 citizens" counts Indonesians.
 */
const AUTHORITY_AFTER_RE =
  /\s+(?:police|authorities|officials|officers|government|ministry|court|courts|military|army|troops|navy|prosecutors|immigration)(?![\p{L}\p{N}])/uy;

function findNationality(sentence: string, lower: string, at: number): string | null {
  let best: { nat: string; dist: number } | null = null;
  const re = /[\p{L}]+/gu;
  for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
    const nat = NATIONALITIES.get(m[0]);
    if (nat === undefined) continue;
    // "lao" is also Vietnamese for labour; require a capital in the source for short ambiguous words.
    if (m[0] === 'lao' && !STARTS_UPPER_RE.test(sentence.slice(m.index))) continue;
    // "Cambodian police rescued 320 workers": the nationality is the authority's, not the people counted.
    AUTHORITY_AFTER_RE.lastIndex = m.index + m[0].length;
    if (AUTHORITY_AFTER_RE.test(lower)) continue;
    const dist = Math.abs(m.index - at);
    if (best === null || dist < best.dist) best = { nat, dist };
  }
  for (const [s, nat] of NATIONALITY_SUBSTRINGS) {
    const i = lower.indexOf(s);
    if (i >= 0 && (best === null || Math.abs(i - at) < best.dist)) best = { nat, dist: Math.abs(i - at) };
  }
  return best?.nat ?? null;
}

function findPlace(sentence: string): string | null {
  PLACE_RE.lastIndex = 0;
  let best: { place: string; rank: number } | null = null;
  for (let m = PLACE_RE.exec(sentence); m !== null; m = PLACE_RE.exec(sentence)) {
    const found = m[0].replace(/\u2019/gu, "'");
    const name = PLACE_ALIASES.get(found) ?? found;
    const rank = PLACES.indexOf(name);
    // Other countries are often named as nationalities' homes ("embassies of Indonesia and China"), so they
    // count as the place only after a locative preposition.
    if (rank > CAMBODIA_RANK && !LOCATIVE_BEFORE.test(sentence.slice(Math.max(0, m.index - 12), m.index))) continue;
    if (best === null || rank < best.rank) best = { place: name, rank };
  }
  return best?.place ?? null;
}

function findSource(sentence: string, at: number): string | null {
  ACCORDING_RE.lastIndex = 0;
  const acc = ACCORDING_RE.exec(sentence);
  if (acc?.[1]) return acc[1].trim().split(/\s+/u).slice(0, 6).join(' ');
  SOURCE_RE.lastIndex = 0;
  let best: { src: string; dist: number } | null = null;
  for (let m = SOURCE_RE.exec(sentence); m !== null; m = SOURCE_RE.exec(sentence)) {
    const dist = Math.abs(m.index - at);
    if (best === null || dist < best.dist) best = { src: m[0], dist };
  }
  if (best === null) return null;
  // "The embassy" alone reads better lowercased; named sources keep their capitals.
  return /^the\s+embassy$/iu.test(best.src) ? 'the embassy' : best.src.replace(/^The\s+/u, '');
}

function buildLabel(
  metric: Metric,
  unit: string,
  np: NounPhrase,
  nationality: string | null,
  sentence: string,
  lower: string,
  at: number,
  hits: readonly TriggerHit[],
): string {
  const spec = METRIC_BY_NAME.get(metric);
  let subject: string;
  if (unit === 'people') {
    const generic = np.noun === null || ['people', 'persons', 'individuals', 'citizens', 'nationals', 'orang', 'wni', 'warga', 'người', 'công'].includes(np.noun);
    if (nationality !== null) {
      subject = generic ? nationality : `${NATIONALITY_ADJ_FOR_LABEL.get(nationality) ?? ''} ${np.noun ?? ''}`.trim();
    } else subject = generic ? 'people' : (np.noun ?? 'people');
  } else if (metric === 'sanctioned') subject = 'people and entities';
  else subject = '';
  let what = spec?.label ?? metric;
  if (metric === 'compounds') what = 'scam compounds';
  if (metric === 'cases') what = np.noun !== null ? np.noun : 'cases';
  if (metric === 'scam_revenue') {
    const annual = hits.some((h) => h.metric === 'scam_revenue' && /annual|year|năm|每年|per annum/iu.test(lower.slice(h.start, h.end)));
    what = annual ? 'scam revenue a year' : 'scam revenue';
  }
  if (unit === 'btc') what = 'bitcoin seized';
  const place = findPlace(sentence);
  const source = findSource(sentence, at);
  let label = [subject, what].filter((s) => s !== '').join(' ');
  if (place !== null && !label.includes(place)) label += ` in ${place}`;
  if (source !== null && !label.includes(source)) label += ` (${source})`;
  return label;
}

// Cheap gate: most sentences state no number at all, and everything below is costlier than this test.
const MAY_HOLD_NUMBER =
  /\p{Nd}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|ribu|ratus|puluh|hàng|数|上千|上万|หลาย|수천|수만|수백/u;

const WORDY_NUMBER =
  /one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|ribu|ratus|puluh|hàng|[^\u0000-\u024f]/u;

function analyseSentence(sentence: string): Figure[] {
  const out: Figure[] = [];
  const d = asciiDigits(sentence);
  const lower = d.toLowerCase();
  if (!MAY_HOLD_NUMBER.test(lower)) return out;
  // toLowerCase may change lengths for a few exotic letters (e.g. "İ"); offsets must stay aligned.
  if (lower.length !== d.length) return out;
  // Number words and vague amounts need the word list; most sentences have only digits or nothing.
  const words = WORDY_NUMBER.test(lower) ? wordsOf(lower) : [];
  const mentions = findMentions(d, lower, words);
  if (mentions.length === 0) return out;
  const masked = maskedRanges(d);
  const hits = findTriggers(lower, words.length > 0 ? words : wordsOf(lower));
  const breaks: number[] = [];
  CLAUSE_BREAK_RE.lastIndex = 0;
  for (let m = CLAUSE_BREAK_RE.exec(lower); m !== null; m = CLAUSE_BREAK_RE.exec(lower)) breaks.push(m.index);

  let previous: { unit: string; metric: Metric; end: number } | null = null;
  for (const mention of mentions) {
    if (excluded(d, lower, mention, masked)) continue;
    const np = readNounPhrase(lower, mention.end, mention.currency);
    if (mention.yearLike && !(np.kind === 'people' || np.kind === 'compounds' || np.kind === 'cases')) continue;
    if (np.kind === 'unknown') continue;
    // "one" with no noun is too often a pronoun ("one said…") to count.
    if (mention.word && mention.value === 1 && np.kind === 'none') continue;

    let metric: Metric | null = null;
    let inheritedUnit: string | null = null;
    if (np.kind === 'compounds') metric = 'compounds';
    else if (np.kind === 'cases') metric = 'cases';
    else if (np.suspect) {
      // Suspects are arrested, deported or sanctioned — never "held" or "rescued" in the taxonomy's sense.
      metric = chooseMetric(hits, SUSPECT_METRICS, mention, breaks) ?? 'people_arrested';
    } else if (np.kind === 'none' && previous !== null && previous.unit !== 'people' && mention.start - previous.end < 40) {
      // Ellipsis: "closed six compounds in Bavet and two in Poipet" — the bare number shares the last unit.
      metric = previous.metric;
      inheritedUnit = previous.unit;
    } else {
      const allowed = allowedMetrics(np.kind);
      if (allowed !== null) metric = chooseMetric(hits, allowed, mention, breaks);
    }
    if (metric === null) continue;

    let unit: string | null = np.unit ?? inheritedUnit ?? METRIC_BY_NAME.get(metric)?.defaultUnit ?? null;
    if (metric === 'sanctioned' && unit === 'people') unit = 'entities';
    if (unit === null) continue;
    // A long run of digits is an id (a Discord mention, a case or account number), not an amount; and no count
    // of people, sites or cases comes near a billion.
    if (!mention.word && LONG_DIGIT_RUN_RE.test(d.slice(mention.start, mention.end))) continue;
    if (mention.value > (CURRENCY_METRICS.has(metric) ? MAX_AMOUNT : MAX_COUNT)) continue;

    const qual = qualifierBefore(lower, mention.range?.quoteFrom ?? mention.start);
    // A range says "at least its low end", whatever word comes before it.
    const qualifier: Qualifier = mention.vague
      ? 'vague'
      : mention.range
        ? 'at_least'
        : (qual?.q ?? np.suffixQualifier ?? (mention.word && mention.value === 12 && /dozen/iu.test(lower.slice(mention.start, mention.end)) ? 'about' : 'exact'));
    const quoteStart = qual !== null && !mention.vague ? qual.start : (mention.range?.quoteFrom ?? mention.start);
    const quoteEnd = Math.max(mention.end, np.end);
    const quote = sentence.slice(quoteStart, quoteEnd).trim();
    previous = { unit, metric, end: Math.max(mention.end, np.end) };
    const nationality = unit === 'people' ? (np.nationality ?? findNationality(sentence, lower, mention.start)) : null;
    out.push({
      value: mention.value,
      qualifier,
      unit,
      metric,
      label: buildLabel(metric, unit, np, nationality, sentence, lower, mention.start, hits),
      quote,
    });
  }
  return out;
}

// Results per sentence string. The pipeline reads the same sentences twice (figures, then the summary's
// figure bonus) and outlets syndicate wire copy, so a small bounded memo saves real work. Figures are
// plain data and callers get copies, so sharing cannot leak mutations.
const CACHE_LIMIT = 4096;
const cache = new Map<string, Figure[]>();

function cachedFigures(sentence: string): readonly Figure[] {
  let hit = cache.get(sentence);
  if (hit === undefined) {
    hit = analyseSentence(sentence);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(sentence, hit);
  }
  return hit;
}

/** Figures stated in one sentence (quotes are substrings of `sentence`). */
export function figuresInSentence(sentence: string): Figure[] {
  return cachedFigures(sentence).map((f) => ({ ...f }));
}

/** Does the sentence state any figure? (No copies: the summary only needs the answer.) */
export function statesFigure(sentence: string): boolean {
  return cachedFigures(sentence).length > 0;
}

/**
 * Every figure stated in `text`: normalised value, qualifier, unit, taxonomy metric, a short label and the
 * exact quote (a substring of `text`). Numbers that count nothing in the taxonomy are dropped.
 */
export function extractFigures(text: string): Figure[] {
  const out: Figure[] = [];
  for (const s of splitSentences(text)) out.push(...figuresInSentence(s.text));
  return out;
}
