import { describe, expect, it } from 'vitest';
import { canonicalLink, entryId, normaliseEntry } from '../../src/core/item.js';
import { htmlToText } from '../../src/core/html.js';
import { parseDate } from '../../src/core/dates.js';
import { sha1Hex, shortHash } from '../../src/core/hash.js';
import type { FeedMeta, RawEntry } from '../../src/core/types.js';

const META: FeedMeta = { source: 'https://news.example.org/feed', outlet: 'Example News', outletKind: 'local_media', language: 'en' };

describe('hash', () => {
  it('is stable SHA-1 hex', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(shortHash('abc')).toBe('a9993e364706816a');
    expect(shortHash('abc', 8)).toBe('a9993e36');
  });
});

describe('canonicalLink', () => {
  it('removes tracking parameters and fragments, lower-cases the host, keeps the rest as written', () => {
    expect(
      canonicalLink('https://News.Example.ORG/a/b?id=7&utm_source=x&UTM_Medium=y&fbclid=abc&gclid=1&q=a%20b#comments'),
    ).toBe('https://news.example.org/a/b?id=7&q=a%20b');
    expect(canonicalLink('https://example.org/x?mc_cid=1&mc_eid=2&igshid=3&msclkid=4&yclid=5&_hsenc=6&_hsmi=7&ref_src=8&cmpid=9&dclid=10')).toBe(
      'https://example.org/x',
    );
  });

  it('drops an empty query, so "/a?" and "/a?utm_source=x" are the page "/a"', () => {
    expect(canonicalLink('https://example.org/a?')).toBe('https://example.org/a');
    expect(canonicalLink('https://example.org/a?#top')).toBe('https://example.org/a');
    expect(canonicalLink('https://example.org/a?utm_source=rss')).toBe('https://example.org/a');
  });

  it('decodes &#038; and &amp; left in links', () => {
    expect(canonicalLink('https://example.org/p?a=1&#038;b=2&amp;utm_campaign=z')).toBe('https://example.org/p?a=1&b=2');
  });

  it('accepts only http(s), resolving relative links against a base', () => {
    expect(canonicalLink('javascript:alert(1)')).toBeNull();
    expect(canonicalLink('data:text/html,hi')).toBeNull();
    expect(canonicalLink('ftp://example.org/f')).toBeNull();
    expect(canonicalLink('not a url')).toBeNull();
    expect(canonicalLink('')).toBeNull();
    expect(canonicalLink(undefined)).toBeNull();
    expect(canonicalLink('/news/1', 'https://example.org/feed')).toBe('https://example.org/news/1');
  });
});

describe('htmlToText', () => {
  it('drops script/style/comments and tags, keeps block breaks', () => {
    const html = '<style>p{color:red}</style><p>Hello <b>world</b></p><script>alert("x")</script><!-- hidden --><div>Second&nbsp;line</div>';
    expect(htmlToText(html)).toBe('Hello world\nSecond line');
  });

  it('decodes named, numeric and double-escaped entities', () => {
    expect(htmlToText('caf&eacute; &amp; &#8220;quotes&#x201D; &lt;tag&gt; submitted&amp;#32;by &amp;quot;x&amp;quot;')).toBe(
      'café & “quotes” <tag> submitted by "x"',
    );
  });

  it('removes bidi overrides, zero-width and control characters', () => {
    expect(htmlToText('sc\u200Bam\u202E com\u200Dpound\u0007 \uFEFFhere')).toBe('scam compound here');
  });

  it('drops an unclosed script to the end', () => {
    expect(htmlToText('Visible<script>var x = 1; // no end')).toBe('Visible');
  });
});

describe('parseDate', () => {
  it.each([
    ['Wed, 29 May 2019 10:16:00 GMT ', '2019-05-29T10:16:00.000Z'],
    ['<![CDATA[Wed, 29 May 2019 10:16:00 GMT]]>', '2019-05-29T10:16:00.000Z'],
    ['Tue, 28 Nov 2017 21:19:26 -0800', '2017-11-29T05:19:26.000Z'],
    ['2023-01-25T19:03:02+01:00', '2023-01-25T18:03:02.000Z'],
    ['2023-07-23T10:04:53.123Z', '2023-07-23T10:04:53.123Z'],
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2020/1/10 14:33:00', '2020-01-10T14:33:00.000Z'],
    ['Sat, Dec 16 2023 02:02:33 PM', '2023-12-16T14:02:33.000Z'],
    ['Sat, Dec 16 2023 12:10:00 AM', '2023-12-16T00:10:00.000Z'],
    ['mer, 16 nov 2022 00:38:15 +0100', '2022-11-15T23:38:15.000Z'],
    ['mar, 15 mar 2022 10:00:00 +0100', '2022-03-15T09:00:00.000Z'],
    ['mar., 15 févr. 2022 10:00:00 +0100', '2022-02-15T09:00:00.000Z'],
    ['Di, 12 Mär 2024 08:00:00 MEZ', '2024-03-12T07:00:00.000Z'],
    ['Jum, 12 Agu 2022 18:30:00 WIB', '2022-08-12T11:30:00.000Z'],
    ['16 dic 2021 09:15:00 GMT', '2021-12-16T09:15:00.000Z'],
    ['Wed, 02 Oct 02 08:00:00 EST', '2002-10-02T13:00:00.000Z'],
    ['Mon, 1 Jan 2024 08:00 ICT', '2024-01-01T01:00:00.000Z'],
    ['Tue, 01 Dec 2026 10:00:00 WITA', '2026-12-01T02:00:00.000Z'],
    ['Tue, 01 Dec 2026 10:00:00 WIT', '2026-12-01T01:00:00.000Z'],
    ['Tue, 01 Dec 2026 10:00:00 MYT', '2026-12-01T02:00:00.000Z'],
    ['Senin, 01 Desember 2026 10.00 WIB', '2026-12-01T03:00:00.000Z'],
    ['16.11.2022 10.30', '2022-11-16T10:30:00.000Z'],
    ['16.11.2022', '2022-11-16T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('returns null for missing or garbage dates, never now', () => {
    expect(parseDate(undefined)).toBeNull();
    expect(parseDate(null)).toBeNull();
    expect(parseDate('')).toBeNull();
    expect(parseDate('   ')).toBeNull();
    expect(parseDate('yesterday')).toBeNull();
    expect(parseDate('Breaking news at 10:30')).toBeNull();
    expect(parseDate('31 Feb 2023 10:00:00 GMT')).toBeNull();
  });

  it('refuses offsets no zone has instead of shifting the date by days', () => {
    expect(parseDate('2026-12-01T10:00:00+25:00')).toBeNull();
    expect(parseDate('Tue, 01 Dec 2026 10:00:00 +9900')).toBeNull();
    expect(parseDate('Tue, 01 Dec 2026 10:00:00 +0099')).toBeNull();
    expect(parseDate('1 December 2026 10:00 GMT+25')).toBeNull();
    expect(parseDate('2026-12-01T10:00:00+14:00')).toBe('2026-11-30T20:00:00.000Z');
  });
});

describe('entryId', () => {
  it('prefers guid, then link, then title+date, and is stable', () => {
    const full: RawEntry = { guid: 'https://example.org/?p=1', link: 'https://example.org/a', title: 'T', pubDate: 'x' };
    const byGuid = entryId(full, META.source, 'https://example.org/a');
    expect(byGuid).toMatch(/^[0-9a-f]{16}$/);
    expect(entryId({ ...full, link: 'https://example.org/other' }, META.source, 'https://example.org/other')).toBe(byGuid);
    expect(entryId({ ...full, guid: '  https://example.org/?p=1 ' }, 'elsewhere', null)).toBe(byGuid);

    const byLink = entryId({ link: 'https://example.org/a' }, META.source, 'https://example.org/a');
    expect(byLink).not.toBe(byGuid);
    expect(entryId({ title: 'T' }, META.source, 'https://example.org/a')).toBe(byLink);

    const byHash = entryId({ title: 'T', pubDate: 'Mon, 01 Jan 2024 00:00:00 GMT' }, META.source, null);
    expect(byHash).toBe(entryId({ title: 'T', pubDate: 'Mon, 01 Jan 2024 00:00:00 GMT' }, META.source, null));
    expect(byHash).not.toBe(entryId({ title: 'T', pubDate: 'Tue, 02 Jan 2024 00:00:00 GMT' }, META.source, null));
  });

  it('tells apart entries that have no guid, link or title by their bodies', () => {
    const a = entryId({ description: 'Police rescued 120 people in Sihanoukville.' }, META.source, null);
    const b = entryId({ description: 'Police freed 300 people in Bavet.' }, META.source, null);
    expect(a).not.toBe(b);
    expect(entryId({ description: 'Police rescued 120 people in Sihanoukville.' }, META.source, null)).toBe(a);
  });

  it('namespaces bare guids by feed so "1" in two feeds does not collide', () => {
    expect(entryId({ guid: '1' }, 'feed-a', null)).not.toBe(entryId({ guid: '1' }, 'feed-b', null));
  });
});

describe('normaliseEntry', () => {
  it('reads a vertical tab or form feed as a space, and caps a long title at its limit, marked', () => {
    const item = normaliseEntry({ guid: 'vt', title: `Scam\u000bcompound raided ${'word '.repeat(200)}`, description: 'Police\u000craided it.' }, META);
    expect(item.title.startsWith('Scam compound raided word')).toBe(true);
    expect(item.title.length).toBeLessThanOrEqual(500);
    expect(item.title.endsWith(' …')).toBe(true);
    expect(item.text).toBe('Police raided it.');
  });

  it('builds an item from the richest body, the first parseable date and a clean link', () => {
    const item = normaliseEntry(
      {
        guid: 'abc-1',
        link: 'https://Example.org/story?utm_source=rss#top',
        title: '  Police <b>raid</b> &amp; rescue\n 200 workers ',
        description: 'Short teaser',
        contentEncoded: '<p>Police raided a compound in Sihanoukville and rescued 200 workers.</p><script>track()</script>',
        pubDate: 'not a date',
        dcDate: '2024-02-03T04:05:06Z',
      },
      META,
    );
    expect(item).toMatchObject({
      feed: META.source,
      outlet: 'Example News',
      outletKind: 'local_media',
      title: 'Police raid & rescue 200 workers',
      link: 'https://example.org/story',
      published: '2024-02-03T04:05:06.000Z',
      text: 'Police raided a compound in Sihanoukville and rescued 200 workers.',
      language: 'en',
    });
    expect(item.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps published null when no date is given and titles empty entries', () => {
    const item = normaliseEntry({ link: 'https://example.org/x' }, META);
    expect(item.published).toBeNull();
    expect(item.title).toBe('Untitled');
    expect(item.text).toBe('');
  });

  it('falls back to a permalink guid for the link and rejects javascript: links', () => {
    expect(normaliseEntry({ guid: 'https://example.org/p/9', link: 'javascript:void(0)' }, META).link).toBe('https://example.org/p/9');
  });
});
