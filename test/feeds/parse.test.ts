import { describe, expect, it } from 'vitest';
import { normaliseEntry } from '../../src/core/item.js';
import { parseFeedXml } from '../../src/feeds/parse.js';
import { FeedError, type FeedErrorCode } from '../../src/feeds/fetch.js';

async function parseError(xml: string): Promise<FeedError> {
  try {
    await parseFeedXml(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(FeedError);
    return err as FeedError;
  }
  throw new Error('expected a FeedError');
}

async function expectCode(xml: string, code: FeedErrorCode): Promise<FeedError> {
  const err = await parseError(xml);
  expect(err.code).toBe(code);
  expect(err.message).not.toContain('\n');
  return err;
}

const RSS = (items: string, head = '<?xml version="1.0"?>'): string =>
  `${head}<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items}</channel></rss>`;

describe('parseFeedXml refuses what is not a feed', () => {
  it('empty body', async () => {
    expect((await expectCode('  \n ', 'not_a_feed')).message).toMatch(/empty/);
  });

  it('JSON', async () => {
    expect((await expectCode('{"items": []}', 'not_a_feed')).message).toBe('got JSON, not an RSS/Atom/RDF feed');
    await expectCode(' [1, 2]', 'not_a_feed');
  });

  it('an HTML page', async () => {
    const err = await expectCode('<!DOCTYPE html>\n<html><head><title>Home</title></head><body>hi</body></html>', 'not_a_feed');
    expect(err.message).toMatch(/^got an HTML page/);
    await expectCode('<html lang="en"><body></body></html>', 'not_a_feed');
  });

  it('binary data', async () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).toString('latin1');
    expect((await expectCode(binary, 'not_a_feed')).message).toMatch(/binary/);
  });

  it('XML with another root', async () => {
    expect((await expectCode('<?xml version="1.0"?><urlset><url/></urlset>', 'not_a_feed')).message).toMatch(/<urlset>/);
  });

  it('truncated XML', async () => {
    const full = RSS('<item><title>One</title><link>https://example.org/1</link></item><item><title>Two</title>');
    const err = await expectCode(full.slice(0, full.length - 30), 'invalid_xml');
    expect(err.message).toMatch(/^invalid XML: /);
  });

  it('an external entity (XXE) without reading it', async () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n${RSS('<item><title>&xxe;</title></item>', '')}`;
    const err = await expectCode(xxe, 'unsafe_xml');
    expect(err.message).toMatch(/external entity/);
    expect(err.message).not.toContain('root:');
  });

  it('nested entity expansion (billion laughs)', async () => {
    const levels = ['<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${levels.join('\n')}\n]>\n${RSS('<item><title>&lol9;</title></item>', '')}`;
    const started = Date.now();
    const err = await expectCode(bomb, 'unsafe_xml');
    expect(err.message).toMatch(/entities/);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('parseFeedXml reads feeds', () => {
  it('strips a harmless DOCTYPE and repairs HTML entities and bare ampersands', async () => {
    const xml = `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old &amp; gold</title><item><title>Caf&eacute;&nbsp;news &copy; A & B</title><link>https://example.org/?a=1&b=2</link></item></channel></rss>`;
    const feed = await parseFeedXml(xml);
    expect(feed.title).toBe('Old & gold');
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]?.title).toBe('Café\u00a0news © A & B');
    expect(feed.entries[0]?.link).toBe('https://example.org/?a=1&b=2');
  });

  it('reads Atom with a garbage <published> date instead of crashing', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>tag:x,2024:1</id><title>One</title><link href="https://example.org/1"/><published>yesterday-ish</published><updated>2024-05-01T10:00:00Z</updated><summary>S</summary></entry></feed>`;
    const feed = await parseFeedXml(xml);
    expect(feed.entries[0]).toMatchObject({ id: 'tag:x,2024:1', title: 'One', link: 'https://example.org/1', updated: '2024-05-01T10:00:00Z' });
  });

  it('reads RSS without a version attribute and keeps dc:date and content:encoded', async () => {
    const xml = `<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><dc:language>km</dc:language>
      <item><title>A</title><dc:date>2024-01-02T03:04:05+07:00</dc:date><content:encoded><![CDATA[<p>Body</p>]]></content:encoded><dc:creator>Ann</dc:creator></item></channel></rss>`;
    const feed = await parseFeedXml(xml);
    expect(feed.language).toBe('km');
    expect(feed.entries[0]).toMatchObject({ title: 'A', dcDate: '2024-01-02T03:04:05+07:00', contentEncoded: '<p>Body</p>' });
  });

  it('keeps the same dc: fields and content:encoded in Atom', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>T</title>
      <entry><id>tag:x,2024:2</id><title>B</title><dc:date>2024-01-02T03:04:05+07:00</dc:date><dc:language>th</dc:language><dc:creator>Bee</dc:creator><content:encoded><![CDATA[<p>Body</p>]]></content:encoded></entry></feed>`;
    const feed = await parseFeedXml(xml);
    expect(feed.entries[0]).toMatchObject({ dcDate: '2024-01-02T03:04:05+07:00', contentEncoded: '<p>Body</p>', language: 'th' });
  });

  it('keeps Atom elements that RSS items carry (published, updated, id), whichever items carry them', async () => {
    const xml = RSS(
      '<item><title>A</title><description>one</description></item>' +
        '<item><title>B</title><published>2024-03-01T08:00:00+07:00</published><updated>2024-03-02T08:00:00Z</updated><id>urn:x:b</id><description>two</description></item>',
    );
    const feed = await parseFeedXml(xml);
    expect(feed.entries[0]).toMatchObject({ title: 'A', content: 'one' });
    expect(feed.entries[0]?.published).toBeUndefined();
    expect(feed.entries[1]).toMatchObject({ title: 'B', published: '2024-03-01T08:00:00+07:00', updated: '2024-03-02T08:00:00Z', id: 'urn:x:b', content: 'two' });
  });

  it('gives an RSS description as the content, markup and all', async () => {
    const feed = await parseFeedXml(RSS('<item><title>A</title><description><![CDATA[<p>Body <b>text</b></p>]]></description><publisher>P</publisher></item>'));
    expect(feed.entries[0]).toMatchObject({ content: '<p>Body <b>text</b></p>' });
    expect(feed.entries[0]?.published).toBeUndefined();
  });

  it('gives entries with only the fields we read, in every dialect, iTunes podcasts included', async () => {
    const keys = ['content', 'contentEncoded', 'dcDate', 'description', 'guid', 'id', 'language', 'link', 'pubDate', 'published', 'summary', 'title', 'updated'];
    const rss = RSS('<item><title>A</title><guid>g1</guid><description>d</description><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>');
    const podcast = `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title><itunes:author>X</itunes:author>
      <item><title>Episode</title><itunes:duration>12:00</itunes:duration><enclosure url="https://example.org/e.mp3" type="audio/mpeg" length="1"/></item></channel></rss>`;
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://example.org/"><title>R</title></channel>
      <item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link></item></rdf:RDF>`;
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>tag:x,2024:1</id><title>One</title><updated>2024-05-01T10:00:00Z</updated><author><name>N</name></author><content type="html">&lt;p&gt;c&lt;/p&gt;</content></entry></feed>`;
    for (const xml of [rss, podcast, rdf, atom]) {
      const [entry] = (await parseFeedXml(xml)).entries;
      expect(entry).toBeDefined();
      expect(Object.keys(entry ?? {}).sort()).toEqual(keys);
    }
  });

  it('leaves reading dates to our own parser: no guess from new Date() for a date it refuses', async () => {
    // "5/1/2024" is 1 May to new Date() and 5 January to most of the world; rss-parser's isoDate guessed.
    const feed = await parseFeedXml(RSS('<item><title>A</title><guid>g1</guid><pubDate>5/1/2024</pubDate></item>'));
    expect(feed.entries[0]).toMatchObject({ pubDate: '5/1/2024' });
    const item = normaliseEntry(feed.entries[0] ?? {}, { source: 'test', outlet: 'T', outletKind: 'unknown' });
    expect(item.published).toBeNull();
  });

  it('reads titles and bodies written as XML elements whole and in order (Atom xhtml, HTML straight in RSS)', async () => {
    const meta = { source: 'test', outlet: 'T', outletKind: 'unknown' as const };
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Mekong <b>Desk</b></div></title>
      <entry><id>tag:x,2024:3</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Raid on a <em>scam compound</em> in Cambodia</div></title>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Police <b>rescued</b> 200 people &amp; arrested 12.</p><p>More &lt;soon&gt;.</p></div></content></entry></feed>`;
    const fromAtom = await parseFeedXml(atom);
    expect(fromAtom.title).toBe('Mekong Desk');
    const atomItem = normaliseEntry(fromAtom.entries[0] ?? {}, meta);
    expect(atomItem.title).toBe('Raid on a scam compound in Cambodia');
    expect(atomItem.text).toMatch(/^Police rescued 200 people & arrested 12\.\s+More <soon>\.$/u);

    const rss = RSS(`<item><title>Police raid <em>scam compound</em> in Cambodia</title><guid>g1</guid>
      <description><p>Police rescued 200 people in Sihanoukville.</p> Officials <i>said</i> so.</description></item>
      <item><title>Plain</title><guid>g2</guid><description>&lt;p&gt;Escaped &amp;amp; fine&lt;/p&gt;</description></item>`);
    const [mixed, plain] = (await parseFeedXml(rss)).entries.map((e) => normaliseEntry(e, meta));
    expect(mixed?.title).toBe('Police raid scam compound in Cambodia');
    expect(mixed?.text).toMatch(/^Police rescued 200 people in Sihanoukville\.\s+Officials said so\.$/u);
    expect(plain).toMatchObject({ title: 'Plain', text: 'Escaped & fine' });
  });

  it('reads Atom type="text" as text, not HTML', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>tag:x,2024:7</id>
      <title type="text">Why &lt;script&gt; tags matter</title><summary type="text">Sites abuse the &lt;iframe&gt; tag; 200 people were rescued.</summary></entry></feed>`;
    const item = normaliseEntry((await parseFeedXml(atom)).entries[0] ?? {}, { source: 'test', outlet: 'T', outletKind: 'unknown' });
    expect(item.title).toBe('Why <script> tags matter');
    expect(item.text).toBe('Sites abuse the <iframe> tag; 200 people were rescued.');
  });

  it('reads Media RSS descriptions and titles when an item has nothing else', async () => {
    const feed = await parseFeedXml(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>M</title>
      <item><guid>m1</guid><media:title>Video report</media:title><media:description>Police rescued 300 people.</media:description></item>
      <item><guid>m2</guid><title>Grouped</title><media:group><media:description>Inside a media group.</media:description></media:group></item></channel></rss>`);
    const meta = { source: 'test', outlet: 'M', outletKind: 'unknown' as const };
    expect(feed.entries.map((e) => normaliseEntry(e, meta)).map((i) => [i.title, i.text])).toEqual([
      ['Video report', 'Police rescued 300 people.'],
      ['Grouped', 'Inside a media group.'],
    ]);
  });

  it('survives a body nested thousands of elements deep', async () => {
    const deep = `${'<div>'.repeat(5_000)}deep text${'</div>'.repeat(5_000)}`;
    const feed = await parseFeedXml(RSS(`<item><title>Deep</title><guid>g1</guid><description>${deep}</description></item><item><title>Next</title><guid>g2</guid></item>`));
    expect(feed.entries.map((e) => e.title)).toEqual(['Deep', 'Next']);
    expect(normaliseEntry(feed.entries[0] ?? {}, { source: 'test', outlet: 'T', outletKind: 'unknown' }).text).toBe('deep text');
  });

  it("takes an Atom entry's alternate link, not its self link, and accepts a link written as text", async () => {
    const atom = (links: string): string => `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>tag:x,2024:4</id><title>T</title>${links}</entry></feed>`;
    const linkOf = async (links: string): Promise<string | undefined> => (await parseFeedXml(atom(links))).entries[0]?.link;
    expect(await linkOf('<link rel="self" href="https://example.org/feed/4"/><link href="https://example.org/4"/>')).toBe('https://example.org/4');
    expect(await linkOf('<link rel="edit" href="https://example.org/e/4"/><link rel="alternate" href="https://example.org/a/4"/>')).toBe('https://example.org/a/4');
    expect(await linkOf('<link href=""/><link rel="alternate" href="https://example.org/b/4"/>')).toBe('https://example.org/b/4');
    expect(await linkOf('<link rel="self" href="https://example.org/api/4.json"/><link rel="related" href="https://example.org/r/4"/>')).toBe('https://example.org/r/4');
    // No page to link to: an API address, an enclosure or the feed itself is not one.
    expect(await linkOf('<link rel="self" href="https://example.org/api/4.json"/><link rel="enclosure" href="https://example.org/4.mp3"/>')).toBeUndefined();
    expect(await linkOf('<link>https://example.org/text/4</link>')).toBe('https://example.org/text/4');
    expect(await linkOf('')).toBeUndefined();
  });

  it("reads an Atom feed's own link, title and language the same way", async () => {
    const feed = await parseFeedXml(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="km"><title type="html">News &amp;amp; views</title>
      <link rel="self" href="https://example.org/feed.atom"/><link href="https://example.org/"/>
      <entry><id>tag:x,2024:5</id><title>One</title></entry><entry xml:lang="th"><id>tag:x,2024:6</id><title>Two</title></entry></feed>`);
    expect(feed).toMatchObject({ title: 'News & views', link: 'https://example.org/', language: 'km' });
    expect(feed.entries.map((e) => e.language)).toEqual([undefined, 'th']);
    const textLink = await parseFeedXml('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link>https://example.org/t</link><entry><id>i</id></entry></feed>');
    expect(textLink).toMatchObject({ link: 'https://example.org/t', entries: [{ id: 'i' }] });
    expect(await parseFeedXml('<feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title></feed>')).toMatchObject({ title: 'Empty', link: null, entries: [] });
  });

  it('reads every item of a 10,000-item feed, in order', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `<item><title>Item ${i}</title><link>https://example.org/${i}</link><guid>g${i}</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><description><![CDATA[<p>Text ${i}</p>]]></description></item>`);
    const feed = await parseFeedXml(RSS(items.join('')));
    expect(feed.entries).toHaveLength(10_000);
    expect(feed.entries[9_999]).toMatchObject({ title: 'Item 9999', guid: 'g9999', link: 'https://example.org/9999', content: '<p>Text 9999</p>' });
  });
});
