// Real captures from two feed-parser projects (see ../shared/real-feeds/README.md), read in place.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { decodeFeedBytes } from '../../src/feeds/decode.js';
import { parseFeedXml } from '../../src/feeds/parse.js';
import { normaliseEntry } from '../../src/core/item.js';
import type { Item } from '../../src/core/types.js';
import { REAL_FEEDS_DIR } from '../support/shared.js';

const DIR = REAL_FEEDS_DIR;

const FEEDS: Record<string, { count: number; language: string }> = {
  'netnewswire__livemint.xml': { count: 25, language: 'en' },
  'netnewswire__aktuality.rss': { count: 30, language: 'sk' },
  'netnewswire__kc0011.rss': { count: 20, language: 'zh' },
  'netnewswire__macworld.rss': { count: 30, language: 'en' },
  'netnewswire__phpxml.rss': { count: 20, language: 'nl' },
  'netnewswire__donthitsave.xml': { count: 10, language: 'en' },
  'feed-rs__rss_1.0_iso8859.xml': { count: 1, language: 'de' },
  'feed-rs__rss_2.0_ilmessaggero.xml': { count: 1, language: 'it' },
  'feed-rs__rss_2.0_nbcny.xml': { count: 1, language: 'en' },
  'feed-rs__atom_mediarss_reddit_1.xml': { count: 25, language: 'en' },
};

async function load(file: string): Promise<Item[]> {
  const source = `${DIR}/${file}`;
  const feed = await parseFeedXml(decodeFeedBytes(await readFile(source)));
  return feed.entries.map((entry) =>
    normaliseEntry(entry, { source, outlet: feed.title ?? file, outletKind: 'unknown', language: feed.language ?? undefined }),
  );
}

const MOJIBAKE = /\uFFFD|Ã[\u0080-\u00BF]|Â[\u0080-\u00BF ]|â€/u;

describe('real feeds', () => {
  it.each(Object.entries(FEEDS))('%s ingests cleanly', async (file, expected) => {
    const items = await load(file);
    expect(items).toHaveLength(expected.count);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const item of items) {
      expect(item.id).toMatch(/^[0-9a-f]{16}$/);
      expect(item.title).not.toBe('Untitled');
      expect(item.title).not.toMatch(MOJIBAKE);
      expect(item.text).not.toMatch(MOJIBAKE);
      expect(item.title).not.toMatch(/[<>]|&[a-z]+;|&#\d+;/);
      expect(item.link).toMatch(/^https?:\/\//);
      expect(item.published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(item.language).toBe(expected.language);
    }
  });

  it('decodes the gb2312 feed to Han characters and reads its zone-less dates as UTC', async () => {
    const items = await load('netnewswire__kc0011.rss');
    for (const item of items) expect(item.title).toMatch(/\p{Script=Han}/u);
    expect(items[0]?.title).toBe('建国35周年纪念，华表，和平鸽');
    expect(items[0]?.published).toBe('2020-01-10T14:33:00.000Z');
  });

  it('decodes the ISO-8859-1 RDF feed with umlauts and its dc:date', async () => {
    const [item] = await load('feed-rs__rss_1.0_iso8859.xml');
    expect(item?.title).toBe('Digitalministerium: Neue Glasfaserförderung mit Schnellkasse');
    expect(item?.text).toContain('Förderung');
    expect(item?.published).toBe('2023-01-25T18:03:02.000Z');
  });

  it('reads the Italian pubDate and trims padded CDATA', async () => {
    const [item] = await load('feed-rs__rss_2.0_ilmessaggero.xml');
    expect(item?.published).toBe('2022-11-15T23:38:15.000Z');
    expect(item?.title).toBe('Missili Polonia, cosa è successo? Tensione Nato-Russia, Mosca: non siamo stati noi');
  });

  it("reads NBC's 12-hour pubDate and decodes &#038; in links", async () => {
    const [item] = await load('feed-rs__rss_2.0_nbcny.xml');
    expect(item?.published).toBe('2023-12-16T14:02:33.000Z');
    expect(item?.link).not.toContain('&#038;');
  });

  it('reads CDATA-wrapped pubDates with trailing spaces (livemint)', async () => {
    const items = await load('netnewswire__livemint.xml');
    expect(items[0]?.published).toBe('2019-05-29T10:16:00.000Z');
  });

  it('unescapes Atom HTML content including &amp;#32; (reddit)', async () => {
    const items = await load('feed-rs__atom_mediarss_reddit_1.xml');
    const text = items.map((i) => i.text).join('\n');
    expect(text).toContain('submitted by');
    expect(text).not.toMatch(/&#32;|&amp;|<a /);
  });

  it('keeps the Slovak diacritics (aktuality)', async () => {
    const items = await load('netnewswire__aktuality.rss');
    expect(items.map((i) => `${i.title} ${i.text}`).join(' ')).toMatch(/[áäčďéíľňóôŕšťúýž]/u);
  });
});
