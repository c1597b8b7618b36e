// Synthetic feeds for the benchmarks: irrelevant news (sports, tech, weather, Cambodian tourism, UK phishing)
// and relevant scam-compound reports, assembled from word lists and templates with a seeded generator.
//
// Everything is deterministic for a given seed, so two runs time the same documents. Items differ from
// each other on purpose (slots filled independently, sentence subsets and order shuffled): identical items
// would let caches and the story clusterer look better than they are on real feeds.
import type { Article } from '../test/support/articles.js';

export type { Article };

/** A small seeded generator (xorshift32 with a scrambled seed); quality is ample for picking words. */
export class Rand {
  private state: number;
  constructor(seed: number) {
    // Scramble so that neighbouring seeds (feed 1, feed 2 …) do not start on correlated streams; never 0.
    let s = (seed ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0 || 0x1234567;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    const v = list[Math.floor(this.next() * list.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }
  shuffle<T>(list: readonly T[]): T[] {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

const DAY = 86_400_000;
/** Fixed dates keep documents identical between runs; they lie in the past of any plausible run date. */
const BASE_DATE = Date.parse('2026-06-01T00:00:00Z');

const fmt = (n: number): string => n.toLocaleString('en-US');
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '')
    .slice(0, 60);

/** Fills {slot} markers from a table of choices; each slot is drawn independently per use. */
function fill(template: string, slots: Record<string, readonly string[]>, r: Rand): string {
  return template.replace(/\{(\w+)\}/gu, (_m, name: string) => {
    const choices = slots[name];
    if (!choices) throw new Error(`no slot ${name}`);
    return r.pick(choices);
  });
}

/** Sentences in random order until the body reaches its target length, never past `max`. */
function body(sentences: string[], r: Rand, min: number, max: number): string {
  const target = r.int(min, max);
  let out = '';
  for (const s of r.shuffle(sentences)) {
    const next = out === '' ? s : `${out} ${s}`;
    if (next.length > max) continue;
    out = next;
    if (out.length >= target) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Irrelevant news

interface Topic {
  name: string;
  host: string;
  titles: readonly string[];
  sentences: readonly string[];
  slots: Record<string, readonly string[]>;
}

const CITIES = ['Leeds', 'Lyon', 'Osaka', 'Porto', 'Denver', 'Perth', 'Gdansk', 'Valencia', 'Nagoya', 'Calgary', 'Turin', 'Bergen', 'Austin', 'Cork'];
const NUM = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', '12', '15', '18', '21', '24', '30'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const TOPICS: readonly Topic[] = [
  {
    name: 'sports',
    host: 'sport.example',
    titles: [
      '{team} beat {team2} {score} to move {place} in the table',
      '{player} scores twice as {team} edge past {team2}',
      '{team} sack coach after {num} games without a win',
      'Late goal gives {team} a {score} draw against {team2}',
      '{player} signs three-year contract extension with {team}',
      '{team2} knocked out of the cup by second-tier {team}',
    ],
    sentences: [
      '{player} opened the scoring after {min} minutes with a low shot into the far corner.',
      '{team2} equalised shortly before half-time through a header from a corner.',
      'The result leaves {team} {num} points clear of the relegation places with {num} matches to play.',
      'Around {crowd} supporters watched the match at the {stadium} on {weekday} evening.',
      'The coach said after the match that his side had shown character in the second half.',
      '{player} was later substituted with what the club described as a minor hamstring strain.',
      'The visitors had a goal ruled out for offside midway through the second half.',
      'Ticket prices for next season will rise by {pct} per cent, the club confirmed on {weekday}.',
      'Both sides meet again in the quarter-finals of the regional cup next month in {city}.',
      'The goalkeeper made {num} saves, including a fingertip stop from a free kick in stoppage time.',
      'Analysts said the squad had lacked pace on the wings since the winter transfer window closed.',
    ],
    slots: {
      team: ['Riverside United', 'Northport Rovers', 'Castleford Athletic', 'Harbour City', 'Millbrook Town', 'Eastgate Wanderers', 'Kingsway FC', 'Ashdown Albion'],
      team2: ['Westfield Rangers', 'Brookvale FC', 'Oakridge County', 'Lakeside Villa', 'Stonebridge Rovers', 'Redcliffe Athletic', 'Hillcrest Town'],
      player: ['Tom Hadley', 'Marco Vieri', 'Kwame Osei', 'Luis Ortega', 'Jakub Nowak', 'Sean Doyle', 'Yuto Mori', 'Andre Costa'],
      score: ['2-1', '3-0', '1-0', '4-2', '2-0', '3-1', '1-1', '2-2'],
      place: ['up', 'third', 'into the top four', 'off the bottom', 'level on points with the leaders'],
      min: ['7', '12', '23', '31', '38', '44', '52', '67', '71', '88'],
      crowd: ['8,400', '12,000', '19,350', '24,800', '31,200', '41,000'],
      stadium: ['Marsh Lane ground', 'Riverside Stadium', 'Old Mill Park', 'Victoria Ground', 'North Bank Arena'],
      pct: ['three', 'four', 'five', 'six', 'eight'],
      num: NUM,
      weekday: WEEKDAYS,
      city: CITIES,
    },
  },
  {
    name: 'tech',
    host: 'tech.example',
    titles: [
      '{company} unveils {product} with longer battery life',
      '{company} shares rise after strong quarterly cloud revenue',
      'Regulators open inquiry into {company} app store rules',
      '{company} to cut {num} per cent of staff in restructuring',
      'Review: the {product} is fast, quiet and expensive',
      '{company} delays launch of its {product} until next year',
    ],
    sentences: [
      'The {product} uses a new {chip} that the company says draws {pct} per cent less power.',
      'Analysts at {bank} said demand for data-centre hardware remained strong in the quarter.',
      '{company} said revenue from its cloud division rose to {money} in the three months to {month}.',
      'The update will reach users in {region} first, followed by other markets over the following weeks.',
      'Developers complained that the new fees would make smaller apps unprofitable.',
      'The company declined to say how many units it expects to ship before the end of the year.',
      'A spokesperson said the software fix for the overheating issue would be released on {weekday}.',
      'Early benchmarks show the {chip} outperforming last year\'s model by a wide margin in graphics tests.',
      'The chief executive told investors that spending on servers would rise again next year.',
      'Privacy groups asked {regulator} to examine how voice recordings are stored and for how long.',
      'Prices start at {price} for the base model, with storage upgrades costing extra.',
    ],
    slots: {
      company: ['Lumina Systems', 'Quarry Labs', 'Northwind Devices', 'Helix Software', 'Cobalt Mobile', 'Brightpath Cloud', 'Tessera Micro'],
      product: ['Aero 14 laptop', 'Pulse X phone', 'Nimbus smart speaker', 'Vista tablet', 'Orbit watch', 'Arc headset'],
      chip: ['Fusion chip', 'T7 processor', 'Quasar modem', 'N2 graphics unit', 'Vector neural engine'],
      bank: ['Ridgeway Capital', 'Harbor Securities', 'Crestline Partners', 'Summit Research'],
      money: ['$4.2bn', '$7.9bn', '$11.3bn', '$2.6bn', '$15.1bn'],
      month: ['March', 'June', 'September', 'December'],
      region: ['Europe', 'North America', 'Japan', 'Australia', 'Brazil'],
      regulator: ['the data protection authority', 'the competition regulator', 'the consumer watchdog'],
      price: ['$799', '$999', '$1,299', '$449', '$1,599'],
      pct: ['15', '20', '25', '30', '40'],
      num: ['five', 'eight', 'ten', '12'],
      weekday: WEEKDAYS,
    },
  },
  {
    name: 'weather',
    host: 'weather.example',
    titles: [
      'Heatwave warning issued for {city} as temperatures near {temp}C',
      'Snow and ice disrupt roads around {city}',
      'Storm {storm} brings gales and power cuts to the coast',
      'Driest spring in {num} years prompts hosepipe ban near {city}',
      'Forecasters expect a mild and wet week for {city}',
    ],
    sentences: [
      'Forecasters said temperatures in {city} could reach {temp}C on {weekday}, well above the seasonal average.',
      'Gusts of up to {wind} km/h were recorded on exposed hills overnight.',
      'Around {homes} homes lost power, and engineers expected to restore most supplies by evening.',
      'Rail operators ran reduced timetables and advised passengers to check before travelling.',
      'The national weather service kept an amber warning in place until midday on {weekday}.',
      'Reservoir levels stood at {pct} per cent of capacity, the water company said.',
      'Farmers said the cold snap had damaged early fruit blossom in the valleys near {city}.',
      'Schools in the region opened late after overnight frost left pavements icy.',
      'Meteorologists said a high-pressure system would settle over the region by the weekend.',
      'Residents were advised to keep windows shaded and to check on elderly neighbours.',
    ],
    slots: {
      city: CITIES,
      temp: ['31', '33', '35', '36', '38', '-4', '-7', '2'],
      wind: ['80', '95', '110', '120', '135'],
      homes: ['3,200', '8,500', '14,000', '27,000', '41,000'],
      pct: ['48', '55', '61', '67', '72'],
      storm: ['Agnes', 'Bram', 'Ciara', 'Dorian', 'Elin', 'Fergus'],
      num: ['20', '30', '40', '50'],
      weekday: WEEKDAYS,
    },
  },
  {
    name: 'tourism',
    host: 'travel.example',
    titles: [
      'Record visitor numbers at Angkor Wat during the {season}',
      'New boutique hotels open in {place} as tourist arrivals climb',
      '{place} bets on cycling tours and river cruises to lure tourists',
      'Cambodia tourism arrivals up {pct} per cent in the first half',
      'A weekend in {place}: temples, pepper farms and seafood',
    ],
    sentences: [
      'The tourism ministry said {arrivals} international visitors arrived in Cambodia in the first {num} months of the year.',
      'Hotels in {place} reported occupancy of around {pct} per cent over the {season}.',
      'Tour operators said visitors from {market} were staying longer and spending more on guided trips.',
      'The Angkor Archaeological Park sold {tickets} passes last month, according to the management authority.',
      'A new direct flight from {market} to Siem Reap starts in {month}, the airline said.',
      'Local guides said sunrise tours at the temples were fully booked weeks in advance.',
      'The provincial authorities plan to restore the riverside promenade in {place} before the peak season.',
      'Kampot pepper farms now welcome coach groups for tastings and cooking classes.',
      'Travel agents recommend visiting the temples early in the morning to avoid the midday heat.',
      'Boat trips on the Tonle Sap lake remain popular with families during the {season}.',
    ],
    slots: {
      place: ['Siem Reap', 'Kampot', 'Kep', 'Battambang', 'Phnom Penh', 'Koh Rong'],
      season: ['holiday season', 'water festival', 'Khmer New Year holiday', 'dry season', 'long weekend'],
      pct: ['18', '22', '27', '31', '36', '44'],
      arrivals: ['2.1 million', '2.8 million', '3.4 million', '4.2 million'],
      market: ['South Korea', 'Japan', 'France', 'Australia', 'Singapore', 'Germany'],
      tickets: ['64,000', '78,500', '91,200', '103,000'],
      month: ['October', 'November', 'December', 'January'],
      num: ['four', 'five', 'six', 'nine'],
    },
  },
  {
    name: 'uk-phishing',
    host: 'uk.example',
    titles: [
      'Banks warn of fake {sender} texts in {town}',
      'Phishing emails posing as HMRC tax refunds on the rise',
      'Pensioner loses £{loss} to caller pretending to be from {bank}',
      'Police in {town} warn of fake parcel delivery messages',
      'How to spot a phishing text claiming to be from {sender}',
    ],
    sentences: [
      'Customers in {town} received messages claiming a parcel from {sender} could not be delivered.',
      'The link led to a convincing copy of the {bank} login page that asked for card details.',
      'Action Fraud said it had received {reports} reports about the messages in a single week.',
      'A spokesperson for {bank} said it would never ask customers to move money to a safe account.',
      'Police urged people to forward suspicious texts to 7726, the free reporting number.',
      'The emails promise a tax refund of £{refund} and ask recipients to confirm their bank details.',
      'Trading standards officers in {town} said older residents were being targeted by phone.',
      'Consumer groups said the scam messages had become harder to spot because they used real logos.',
      'Victims are advised to contact their bank immediately and to change their passwords.',
      'The National Cyber Security Centre said it had taken down {sites} fake websites last month.',
    ],
    slots: {
      sender: ['Royal Mail', 'Evri', 'DPD', 'a parcel courier', 'the DVLA'],
      town: ['Manchester', 'Bristol', 'Leicester', 'Norwich', 'Swansea', 'Derby', 'Plymouth', 'Hull'],
      bank: ['Northshire Bank', 'Albion Building Society', 'Crown Savings', 'Thames Bank'],
      loss: ['4,500', '12,000', '26,000', '38,000'],
      reports: ['1,800', '3,400', '5,900', '9,100'],
      refund: ['326.40', '458.10', '612.75'],
      sites: ['2,300', '4,100', '6,700'],
    },
  },
];

/** `count` irrelevant articles cycling through the topics; bodies are 300–600 characters. */
export function irrelevantArticles(count: number, seed = 1, prefix = 'irr'): Article[] {
  const r = new Rand(seed);
  const out: Article[] = [];
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[i % TOPICS.length] as Topic;
    const title = fill(r.pick(topic.titles), topic.slots, r);
    // Each sentence is filled independently, so two items with the same template still differ in details.
    const sentences = topic.sentences.map((s) => fill(s, topic.slots, r));
    const published = new Date(BASE_DATE + r.int(0, 150) * DAY + r.int(0, 86_399) * 1000);
    out.push({
      guid: `${prefix}-${seed}-${i}`,
      title,
      link: `https://${topic.host}/${published.toISOString().slice(0, 10)}/${slug(title)}-${i}`,
      body: body(sentences, r, 300, 600),
      pubDate: published.toUTCString(),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Relevant news: scam-compound events, each reported several times in different words

type EventKind = 'raid' | 'repatriation' | 'sanctions' | 'walkout' | 'arrests' | 'extradition';

export interface CompoundEvent {
  index: number;
  kind: EventKind;
  place: string;
  nationality: string;
  country: string;
  /** People rescued / repatriated / walking out. */
  people: number;
  /** People arrested or companies sanctioned. */
  suspects: number;
  /** Dollars involved (sanctions, seizures). */
  dollars: number;
  operator: string;
  date: number;
}

const PLACES = ['Sihanoukville', 'Bavet', 'Poipet', 'Phnom Penh', 'Koh Kong', 'Kampot', 'Svay Rieng', "O'Smach", 'Kandal', 'Oddar Meanchey'];
const NATIONALITIES: ReadonlyArray<[string, string]> = [
  ['Indonesian', 'Indonesia'],
  ['Vietnamese', 'Vietnam'],
  ['Thai', 'Thailand'],
  ['Chinese', 'China'],
  ['South Korean', 'South Korea'],
  ['Indian', 'India'],
  ['Kenyan', 'Kenya'],
  ['Malaysian', 'Malaysia'],
  ['Sri Lankan', 'Sri Lanka'],
  ['Ugandan', 'Uganda'],
  ['Bangladeshi', 'Bangladesh'],
  ['Taiwanese', 'Taiwan'],
];
const OPERATORS = ['Prince Group', 'Huione Guarantee', 'a Sihanoukville casino group', 'a Bavet holding company', 'an unnamed syndicate'];
const KINDS: readonly EventKind[] = ['raid', 'repatriation', 'sanctions', 'walkout', 'arrests', 'extradition'];

/** `count` distinct events spread over about `spanDays` days. */
export function compoundEvents(count: number, seed = 7, spanDays = 150): CompoundEvent[] {
  const r = new Rand(seed);
  return Array.from({ length: count }, (_, index) => {
    const [nationality, country] = r.pick(NATIONALITIES);
    return {
      index,
      kind: KINDS[index % KINDS.length] as EventKind,
      place: r.pick(PLACES),
      nationality,
      country,
      people: r.int(3, 400) * 5 + r.int(0, 4),
      suspects: r.int(4, 120),
      dollars: r.int(2, 95) * 1_000_000,
      operator: r.pick(OPERATORS),
      date: BASE_DATE + Math.floor((index / count) * spanDays * DAY) + r.int(0, 20) * 3_600_000,
    };
  });
}

/** One number as different outlets round it. */
function approx(n: number, r: Rand): string {
  const round = n >= 100 ? Math.floor(n / 50) * 50 : Math.floor(n / 10) * 10;
  switch (r.int(0, 3)) {
    case 0:
      return fmt(n);
    case 1:
      return `more than ${fmt(Math.max(round, 1))}`;
    case 2:
      return `about ${fmt(Math.max(round, 1))}`;
    default:
      return `at least ${fmt(Math.max(round, 1))}`;
  }
}

const money = (n: number): string => `$${(n / 1_000_000).toFixed(0)}m`;

function eventText(e: CompoundEvent, r: Rand): { titles: string[]; sentences: string[] } {
  const day = WEEKDAYS[new Date(e.date).getUTCDay()] ?? 'Monday';
  const people = approx(e.people, r);
  const common = [
    `The United Nations has estimated that up to ${fmt(r.int(8, 15) * 10_000)} people are held in scam compounds across Cambodia.`,
    `Rights groups say workers in the compounds are forced to run romance and investment scams aimed at victims abroad.`,
    `The ${e.nationality} embassy in Phnom Penh said it was working with Cambodian authorities on the case.`,
    `Cambodia has said it is determined to shut down online scam operations, which it blames on foreign syndicates.`,
  ];
  switch (e.kind) {
    case 'raid':
      return {
        titles: [
          `Police raid ${e.place} scam compound, rescue ${people} workers`,
          `Cambodian police free ${people} ${e.nationality} nationals in ${e.place} scam compound raid`,
          `${e.place} raid: ${fmt(e.suspects)} arrested at online scam compound`,
          `Hundreds rescued as Cambodia raids scam centre in ${e.place}`,
        ],
        sentences: [
          `Cambodian police raided a scam compound in ${e.place} on ${day} and rescued ${people} workers, most of them ${e.nationality}.`,
          `Officers arrested ${fmt(e.suspects)} suspected managers of the online scam operation.`,
          `The rescued workers said they had been forced to run romance scams for up to 16 hours a day.`,
          `Police said the compound in ${e.place} housed ${approx(e.people + e.suspects * 3, r)} people when officers arrived.`,
          ...common,
        ],
      };
    case 'repatriation':
      return {
        titles: [
          `${people} ${e.nationality} scam compound victims repatriated from Cambodia`,
          `${e.country} brings home ${people} citizens freed from Cambodian scam centres`,
          `Repatriation flight lands with ${e.nationality} workers trafficked to ${e.place} compounds`,
          `${e.nationality} victims of Cambodia scam compounds return home`,
        ],
        sentences: [
          `${e.country} repatriated ${people} of its citizens who had been trafficked to scam compounds in ${e.place}, officials said on ${day}.`,
          `The ${e.nationality} victims had been lured to Cambodia with fake job offers and forced into online fraud.`,
          `A charter flight carrying the group landed on ${day} evening, the foreign ministry said.`,
          `Officials said ${approx(Math.max(5, Math.floor(e.people / 3)), r)} more ${e.nationality} nationals were waiting at a shelter in Phnom Penh.`,
          ...common,
        ],
      };
    case 'sanctions':
      return {
        titles: [
          `US sanctions ${fmt(e.suspects)} firms tied to ${e.operator} over Cambodia scam compounds`,
          `Treasury targets ${e.operator} network running scam centres in ${e.place}`,
          `Sanctions hit Cambodian scam compound operators; ${money(e.dollars)} in assets frozen`,
        ],
        sentences: [
          `The US Treasury on ${day} sanctioned ${fmt(e.suspects)} companies linked to ${e.operator}, accusing them of running forced-labour scam compounds in Cambodia.`,
          `Officials said the network laundered proceeds from online investment fraud through shell companies.`,
          `Assets worth ${money(e.dollars)} were frozen, according to the announcement.`,
          `The sanctioned companies ran compounds in ${e.place} where trafficked ${e.nationality} workers were held.`,
          `Cyber scamming in Cambodia is estimated to generate more than $12.5bn a year.`,
          ...common,
        ],
      };
    case 'walkout':
      return {
        titles: [
          `Thousands walk out of Cambodian scam compounds in ${e.place}`,
          `${e.nationality} embassy registers ${people} nationals freed from scam compounds`,
          `Workers leave ${e.place} scam compounds as crackdown widens`,
        ],
        sentences: [
          `Workers have left scam compounds in ${e.place} over the past week, according to embassies in Phnom Penh.`,
          `The ${e.nationality} embassy said it had registered ${people} of its nationals who walked out of the compounds.`,
          `Amnesty International said it had verified releases at no fewer than ${r.int(4, 15)} compounds.`,
          `Many of the freed workers were sleeping at bus stations while they waited for travel documents.`,
          ...common,
        ],
      };
    case 'arrests':
      return {
        titles: [
          `Cambodia arrests ${fmt(e.suspects)} in crackdown on ${e.place} scam syndicate`,
          `${fmt(e.suspects)} suspects detained over online scam ring in ${e.place}`,
          `Court charges ${e.place} scam compound bosses with human trafficking`,
        ],
        sentences: [
          `Cambodian authorities arrested ${fmt(e.suspects)} suspects on ${day} in a crackdown on a scam syndicate operating from ${e.place}.`,
          `Prosecutors charged the suspects with human trafficking and running an online fraud operation.`,
          `Police seized ${approx(e.suspects * 20, r)} phones and ${approx(e.suspects * 5, r)} computers at the site.`,
          `Investigators said ${people} ${e.nationality} workers had been held at the compound.`,
          ...common,
        ],
      };
    case 'extradition':
      return {
        titles: [
          `Cambodia extradites ${e.operator} suspect to ${e.country} over scam compounds`,
          `Alleged ${e.place} scam compound boss handed to ${e.country}`,
          `${e.country} secures extradition of Cambodia scam centre suspect`,
        ],
        sentences: [
          `Cambodia extradited a suspect linked to ${e.operator} to ${e.country} on ${day} over scam compounds in ${e.place}.`,
          `The suspect is accused of running scam centres where ${people} people were forced to work.`,
          `Prosecutors in ${e.country} say the network took more than ${money(e.dollars)} from victims through online scams.`,
          `The extradition follows the arrest of ${fmt(e.suspects)} people in ${e.place} earlier this year.`,
          ...common,
        ],
      };
  }
}

const OUTLET_HOSTS = ['wire.example', 'local.example', 'asia-desk.example', 'rights.example', 'capital-post.example', 'regional.example'];

/**
 * `perEvent` reports of each event in different words: a title variant, a sentence subset in a shuffled order,
 * numbers rounded differently, published within three days of the event.
 */
export function relevantArticles(events: readonly CompoundEvent[], perEvent: number, seed = 11, prefix = 'rel'): Article[] {
  const r = new Rand(seed);
  const out: Article[] = [];
  for (const e of events) {
    for (let k = 0; k < perEvent; k++) {
      const { titles, sentences } = eventText(e, r);
      const title = r.pick(titles);
      // The lead sentence stays first (as news writing does); the rest are shuffled and trimmed.
      const [lead, ...rest] = sentences;
      const text = `${lead ?? ''} ${body(rest, r, 250, 600 - (lead?.length ?? 0))}`.trim();
      const published = new Date(e.date + r.int(0, 72) * 3_600_000);
      const host = r.pick(OUTLET_HOSTS);
      out.push({
        guid: `${prefix}-${seed}-e${e.index}-r${k}`,
        title,
        link: `https://${host}/${published.toISOString().slice(0, 10)}/${slug(title)}-${e.index}-${k}`,
        body: text,
        pubDate: published.toUTCString(),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// RSS documents

const esc = (s: string): string => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');

export interface Channel {
  title: string;
  link: string;
  description: string;
}

/** An RSS 2.0 document; bodies go in <description> as escaped HTML, as most news feeds do. */
export function rssFeed(channel: Channel, articles: readonly Article[]): string {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
    `<title>${esc(channel.title)}</title><link>${esc(channel.link)}</link><description>${esc(channel.description)}</description><language>en</language>\n`,
  ];
  for (const a of articles) {
    parts.push(
      `<item><guid isPermaLink="false">${esc(a.guid)}</guid><title>${esc(a.title)}</title><link>${esc(a.link)}</link>` +
        `<description>${esc(`<p>${a.body}</p>`)}</description><pubDate>${a.pubDate}</pubDate></item>\n`,
    );
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}
