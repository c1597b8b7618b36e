// N clearly distinct, relevant events about Cambodia's scam compounds, for durability and scale tests that need
// "50 new stories" rather than one. Each event differs in kind of action, place, nationality, head count,
// named operator, outlet link and publication date, so the story clusterer keeps every one apart.
//
//   const events = manyEvents(50);                        // 50 Articles, newest first
//   const more = manyEvents(5, { offset: 50 });           // 5 more, distinct from the first 50
//   rss('Wire', events)                                   // serve them (articles.ts)
//
// Event i is published `i × spacingDays` before `latest` (default: 3 days apart, counting back from now minus
// one hour). Events of the same kind (every sixth) share sentence frames, so they are then 18 days apart, well
// outside the 7-day story window; events of different kinds never look alike. Both together keep every event
// its own story (checked in test/durability/many-events.test.ts). With spacing 0 same-kind events read as wire
// copies of each other and are grouped. Tests that run the bot on a fake clock should pass `latest` at or
// before that clock: a publication date more than a day after "now" is ignored by the clusterer in favour of
// the time the item was seen.
import type { Article } from './articles.js';

const DAY_MS = 86_400_000;

const PLACES = [
  'Sihanoukville',
  'Bavet',
  'Poipet',
  'Kampot',
  'Koh Kong',
  'Phnom Penh',
  'Svay Rieng',
  'Kandal',
  'Siem Reap',
  "O'Smach",
  'Oddar Meanchey',
  'Preah Sihanouk',
] as const;

const NATIONALITIES = [
  'Indonesian',
  'Vietnamese',
  'Thai',
  'Chinese',
  'Korean',
  'Indian',
  'Kenyan',
  'Ethiopian',
  'Malaysian',
  'Sri Lankan',
  'Nepali',
  'Pakistani',
  'Bangladeshi',
  'Ugandan',
  'Taiwanese',
  'Brazilian',
  'Georgian',
  'Turkish',
  'Nigerian',
  'Mongolian',
] as const;

// Operator names are made up for these tests: first word × second word gives 17 × 13 = 221 distinct names.
const OPERATOR_FIRST = [
  'Golden Lotus',
  'Jade Harbour',
  'Crimson Crane',
  'Silver Mekong',
  'Blue Orchid',
  'Northstar',
  'Emerald Tide',
  'Red Phoenix',
  'Ivory Gate',
  'Copper Bay',
  'Falcon Ridge',
  'Pearl River',
  'Azure Peak',
  'Black Tiger',
  'Sunrise Delta',
  'Iron Lantern',
  'Willow Creek',
] as const;
const OPERATOR_SECOND = [
  'Holdings',
  'Group',
  'Development',
  'Resorts',
  'Investment',
  'Technology',
  'Property',
  'Trading',
  'Entertainment',
  'Logistics',
  'Ventures',
  'Industrial Park',
  'Capital',
] as const;

const OFFICIALS = [
  'General Sok Vanna',
  'Colonel Chea Rithy',
  'Prosecutor Lim Dara',
  'Ambassador Rini Hartono',
  'Consul Nguyen Thi Lan',
  'Inspector Pich Sophal',
  'Minister Kong Sambath',
  'Judge Mao Chanthy',
  'Director Ouk Vibol',
  'Spokesman Heng Ratana',
  'Commissioner Tep Bunthoeun',
] as const;

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

interface Facts {
  i: number;
  place: string;
  nat: string;
  operator: string;
  official: string;
  n: number;
  m: number;
  day: string;
}

type Template = (f: Facts) => { title: string; body: string; slug: string };

// Six kinds of event with their own wording: raids, repatriations, sanctions, trials, escapes, asset seizures.
const TEMPLATES: Template[] = [
  (f) => ({
    slug: 'raid',
    title: `Police raid ${f.operator} scam compound in ${f.place}, rescue ${f.n} ${f.nat} workers`,
    body:
      `Cambodian police raided a scam compound run by ${f.operator} in ${f.place} on ${f.day} and rescued ${f.n} workers, most of them ${f.nat} nationals. ` +
      `${f.official} said officers arrested ${f.m} suspected managers of the online scam operation. ` +
      `The rescued ${f.nat} workers said they had been forced to run romance scams for up to sixteen hours a day.`,
  }),
  (f) => ({
    slug: 'repatriation',
    title: `${f.n} ${f.nat} victims of ${f.place} scam centre flown home on charter flight`,
    body:
      `A charter flight carried ${f.n} ${f.nat} citizens home from Phnom Penh on ${f.day} after they were freed from a scam centre in ${f.place} linked to ${f.operator}. ` +
      `${f.official} said the repatriated victims of human trafficking would receive medical checks and counselling on arrival. ` +
      `Another ${f.m} are still waiting for travel documents at a shelter in Cambodia.`,
  }),
  (f) => ({
    slug: 'sanctions',
    title: `Treasury sanctions ${f.m} companies of ${f.operator} over ${f.place} cyber scam network`,
    body:
      `Washington on ${f.day} sanctioned ${f.m} companies tied to ${f.operator}, accusing the conglomerate of running forced-labour scam compounds around ${f.place}, Cambodia. ` +
      `${f.official} said the network had trafficked at least ${f.n} ${f.nat} workers and laundered the proceeds of pig butchering fraud through shell firms.`,
  }),
  (f) => ({
    slug: 'trial',
    title: `${f.place} court charges ${f.m} ${f.operator} bosses with trafficking for online scam ring`,
    body:
      `A provincial court in ${f.place} on ${f.day} charged ${f.m} executives of ${f.operator} with human trafficking and illegal detention over an online scam ring in Cambodia. ` +
      `${f.official} told the hearing that ${f.n} ${f.nat} men and women had been confined behind barbed wire and beaten when they refused to defraud strangers.`,
  }),
  (f) => ({
    slug: 'escape',
    title: `${f.n} ${f.nat} captives escape ${f.operator} fraud compound near ${f.place}`,
    body:
      `Some ${f.n} ${f.nat} nationals fled a fraud compound operated by ${f.operator} near ${f.place} before dawn on ${f.day}, walking across rice fields to a police post in Cambodia. ` +
      `${f.official} said ${f.m} of them needed hospital treatment and all had been registered for repatriation as trafficking victims of the scam industry.`,
  }),
  (f) => ({
    slug: 'seizure',
    title: `Authorities seize ${f.m} buildings and crypto wallets of ${f.operator} in ${f.place} scam crackdown`,
    body:
      `Cambodian authorities on ${f.day} confiscated ${f.m} buildings and dozens of crypto wallets belonging to ${f.operator} in ${f.place} as the crackdown on scam compounds widened. ` +
      `${f.official} said ${f.n} ${f.nat} workers found inside the online scam compound had been detained for screening as possible trafficking victims.`,
  }),
];

export interface ManyEventsOptions {
  /** Index of the first event; use it to get more events distinct from an earlier batch. Default 0. */
  offset?: number;
  /** Publication date of event 0; event i is `i × spacingDays` older. Default: now minus one hour. */
  latest?: Date;
  /** Days between consecutive events' publication dates. Default 3; below 2, same-kind events may be grouped. */
  spacingDays?: number;
  /** Link host, so several feeds can carry different outlets. Default `many.example`. */
  host?: string;
}

/** The facts of event `i`; every field varies with i, and no two events below 221 share an operator. */
function factsFor(i: number): Facts {
  const pick = <T>(list: readonly T[], k: number): T => list[((k % list.length) + list.length) % list.length] as T;
  return {
    i,
    place: pick(PLACES, i),
    nat: pick(NATIONALITIES, i * 7 + 3),
    operator: `${pick(OPERATOR_FIRST, i)} ${pick(OPERATOR_SECOND, Math.floor(i / OPERATOR_FIRST.length) + i)}`,
    official: pick(OFFICIALS, i * 5 + 1),
    // Head counts and other numbers far apart (more than 25% from any neighbour below 60).
    n: 40 + i * 53 + (i % 3) * 7,
    m: 3 + ((i * 11) % 37),
    day: pick(DAYS, i),
  };
}

/** `count` distinct relevant events, indices `offset` … `offset + count - 1`, newest first. */
export function manyEvents(count: number, options: ManyEventsOptions = {}): Article[] {
  const offset = options.offset ?? 0;
  const spacingMs = (options.spacingDays ?? 3) * DAY_MS;
  const latest = (options.latest ?? new Date(Date.now() - 3_600_000)).getTime();
  const host = options.host ?? 'many.example';
  const out: Article[] = [];
  for (let k = 0; k < count; k++) {
    const i = offset + k;
    const f = factsFor(i);
    const t = TEMPLATES[i % TEMPLATES.length];
    if (!t) throw new Error('unreachable: no template');
    const { title, body, slug } = t(f);
    const published = new Date(latest - i * spacingMs);
    out.push({
      guid: `many-${i}`,
      title,
      link: `https://${host}/${published.toISOString().slice(0, 10)}/${slug}-${i}`,
      body,
      pubDate: published.toUTCString(),
    });
  }
  return out;
}
