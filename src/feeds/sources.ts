// The default feed list and what we know about outlets (name and kind), as data.
// Advocates weigh a figure by who reported it, so every outlet carries a kind.
import type { OutletKind } from '../core/types.js';

export interface OutletInfo {
  name: string;
  kind: OutletKind;
}

/** Candidate feeds from docs/domain.md. Any may move or die; servers change their list with /feeds. */
export const DEFAULT_FEEDS: readonly string[] = [
  'https://www.theguardian.com/world/cambodia/rss',
  'https://news.google.com/rss/search?q=Cambodia+scam+compound&hl=en-US&gl=US&ceid=US:en',
  'https://news.google.com/rss/search?q=Kamboja+penipuan+online&hl=id&gl=ID&ceid=ID:id',
  'https://news.google.com/rss/search?q=%E6%9F%AC%E5%9F%94%E5%AF%A8+%E8%AF%88%E9%AA%97%E5%9B%AD%E5%8C%BA&hl=zh-CN&gl=CN&ceid=CN:zh-Hans',
  'https://news.google.com/rss/search?q=%E0%B8%81%E0%B8%B1%E0%B8%A1%E0%B8%9E%E0%B8%B9%E0%B8%8A%E0%B8%B2+%E0%B9%81%E0%B8%81%E0%B9%8A%E0%B8%87%E0%B8%84%E0%B8%AD%E0%B8%A5%E0%B9%80%E0%B8%8B%E0%B9%87%E0%B8%99%E0%B9%80%E0%B8%95%E0%B8%AD%E0%B8%A3%E0%B9%8C&hl=th&gl=TH&ceid=TH:th',
  'https://www.khmertimeskh.com/feed/',
  'https://cambojanews.com/feed/',
  'https://thediplomat.com/feed/',
  'https://www.amnesty.org/en/feed/',
  'https://en.antaranews.com/rss/news.xml',
  'https://www.bangkokpost.com/rss/data/topstories.xml',
];

const OUTLETS_BY_HOST: Record<string, OutletInfo> = {
  'theguardian.com': { name: 'The Guardian', kind: 'international_media' },
  'news.google.com': { name: 'Google News', kind: 'international_media' },
  'khmertimeskh.com': { name: 'Khmer Times', kind: 'local_media' },
  'cambojanews.com': { name: 'CamboJA News', kind: 'local_media' },
  'thediplomat.com': { name: 'The Diplomat', kind: 'international_media' },
  'amnesty.org': { name: 'Amnesty International', kind: 'ngo' },
  'antaranews.com': { name: 'Antara', kind: 'state_media' },
  'bangkokpost.com': { name: 'Bangkok Post', kind: 'international_media' },
  'reuters.com': { name: 'Reuters', kind: 'wire' },
  'apnews.com': { name: 'Associated Press', kind: 'wire' },
  'afp.com': { name: 'AFP', kind: 'wire' },
  'un.org': { name: 'United Nations', kind: 'igo' },
  'ohchr.org': { name: 'UN Human Rights (OHCHR)', kind: 'igo' },
  'unodc.org': { name: 'UNODC', kind: 'igo' },
  'state.gov': { name: 'US State Department', kind: 'government' },
  'treasury.gov': { name: 'US Treasury', kind: 'government' },
  'gov.uk': { name: 'UK Government', kind: 'government' },
  'kemlu.go.id': { name: 'Indonesian Foreign Ministry', kind: 'government' },
  'xinhuanet.com': { name: 'Xinhua', kind: 'state_media' },
  'freshnewsasia.com': { name: 'Fresh News', kind: 'local_media' },
  'rfa.org': { name: 'Radio Free Asia', kind: 'international_media' },
  'vodenglish.news': { name: 'VOD', kind: 'local_media' },
};

/** The host of an http(s) URL, lowercased and without a leading "www."; null for anything else. */
export function siteHost(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase().replace(/^www\./u, '') : null;
  } catch {
    return null;
  }
}

/** The outlet behind a source: known hosts by name and kind, else the feed's own title, else the host. */
export function outletFor(source: string, feedTitle?: string | null): OutletInfo {
  const host = siteHost(source);
  if (host) {
    for (const [suffix, info] of Object.entries(OUTLETS_BY_HOST)) {
      if (host === suffix || host.endsWith(`.${suffix}`)) return info;
    }
  }
  const title = feedTitle?.trim();
  if (title) return { name: [...title].slice(0, 80).join(''), kind: 'unknown' };
  return { name: host ?? source.split('/').pop() ?? source, kind: 'unknown' };
}
