// Synthetic articles about the domain, written for these tests, and a small RSS/Atom builder.
// Each event has several outlets' takes so story grouping and "also reported by" can be exercised.

export interface Article {
  guid: string;
  title: string;
  link: string;
  body: string;
  pubDate: string;
}

export const EVENT_RELEASE_A: Article = {
  guid: 'wire-2026-0121-release',
  title: 'Thousands walk out of Cambodian scam compounds as pressure mounts',
  link: 'https://wire.example/2026/01/21/cambodia-scam-compounds-release',
  body:
    'Thousands of workers have left scam compounds in Cambodia over the past week, according to embassies in Phnom Penh. ' +
    'The Indonesian embassy said it had registered more than 1,400 of its nationals who walked out of the compounds. ' +
    'The United Nations estimates that up to 100,000 people are held inside scam compounds across Cambodia. ' +
    'Amnesty International said it had verified releases at no fewer than 10 compounds.',
  pubDate: 'Wed, 21 Jan 2026 09:00:00 GMT',
};

export const EVENT_RELEASE_B: Article = {
  guid: 'local-2026-0122-embassy',
  title: 'Embassy in Phnom Penh registers over 1,400 Indonesians freed from scam compounds',
  link: 'https://local.example/news/embassy-registers-indonesians-scam-compounds',
  body:
    'More than 1,400 Indonesians freed from scam compounds in Cambodia have registered at their embassy in Phnom Penh, officials said on Thursday. ' +
    'Thousands of workers left the compounds this week as the crackdown on online scam operations widened. ' +
    'The UN has estimated that around 100,000 people are forced to work in Cambodian scam compounds.',
  pubDate: 'Thu, 22 Jan 2026 07:30:00 GMT',
};

export const EVENT_SANCTIONS: Article = {
  guid: 'wire-2026-0203-sanctions',
  title: 'US Treasury sanctions 14 firms tied to Prince Group over Cambodia scam compounds',
  link: 'https://wire.example/2026/02/03/treasury-sanctions-prince-group',
  body:
    'The US Treasury on Tuesday sanctioned 14 companies linked to Prince Group and its founder Chen Zhi, accusing them of running forced-labour scam compounds in Cambodia. ' +
    'Officials said the network laundered proceeds from online investment fraud. ' +
    'Cyber scamming in Cambodia is estimated to generate more than $12.5bn a year.',
  pubDate: 'Tue, 03 Feb 2026 15:00:00 GMT',
};

export const EVENT_RAID: Article = {
  guid: 'local-2026-0210-raid',
  title: 'Police raid Sihanoukville scam compound, rescue 320 workers',
  link: 'https://local.example/news/sihanoukville-raid-rescue',
  body:
    'Cambodian police raided a scam compound in Sihanoukville on Monday and rescued 320 workers, most of them from Vietnam and Thailand. ' +
    'Officers arrested 45 suspected managers of the online scam operation. ' +
    'The rescued workers said they had been forced to run romance scams.',
  pubDate: 'Tue, 10 Feb 2026 05:00:00 GMT',
};

export const IRRELEVANT: Article[] = [
  {
    guid: 'travel-angkor-1',
    title: 'Record crowds at Angkor Wat for the spring equinox',
    link: 'https://travel.example/angkor-equinox',
    body: 'Tourists gathered before dawn at Angkor Wat in Siem Reap to watch the sun rise over the central tower. Hotels in the province reported full occupancy.',
    pubDate: 'Fri, 20 Mar 2026 06:00:00 GMT',
  },
  {
    guid: 'uk-phishing-1',
    title: 'Banks warn of a new wave of text message phishing scams in Manchester',
    link: 'https://uk.example/phishing-wave',
    body: 'British banks said customers in Manchester had received fake delivery texts asking for card details. Police urged people to report suspicious messages.',
    pubDate: 'Mon, 16 Mar 2026 10:00:00 GMT',
  },
  {
    guid: 'garment-1',
    title: 'Cambodia garment exports rise in the first quarter',
    link: 'https://biz.example/cambodia-garments-q1',
    body: 'Cambodia shipped more clothing and footwear to Europe and the United States in the first quarter, the commerce ministry said.',
    pubDate: 'Tue, 14 Apr 2026 08:00:00 GMT',
  },
];

const esc = (s: string) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');

export function rss(title: string, articles: Article[], link = 'https://example.org/'): string {
  const items = articles
    .map(
      (a) =>
        `<item><guid isPermaLink="false">${esc(a.guid)}</guid><title>${esc(a.title)}</title><link>${esc(a.link)}</link>` +
        `<description>${esc(`<p>${a.body}</p>`)}</description><pubDate>${a.pubDate}</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>${esc(link)}</link><description>test feed</description>\n${items}\n</channel></rss>`;
}
