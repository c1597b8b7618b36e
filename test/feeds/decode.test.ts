import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeFeedBytes } from '../../src/feeds/decode.js';

const doc = (enc: string, body: string): string => `<?xml version="1.0" encoding="${enc}"?><rss version="2.0"><channel><title>${body}</title></channel></rss>`;

describe('decodeFeedBytes', () => {
  it('follows the prolog for gb2312, Big5, windows-874 and ISO-8859-1', () => {
    const cases: Array<[string, string]> = [
      ['gb2312', '柬埔寨诈骗园区'],
      ['big5', '柬埔寨詐騙園區'],
      ['windows-874', 'กัมพูชา'],
      ['TIS-620', 'กัมพูชา'],
      ['ISO-8859-1', 'Grüße aus Köln'],
    ];
    for (const [enc, text] of cases) {
      const out = decodeFeedBytes(iconv.encode(doc(enc, text), enc === 'gb2312' ? 'gbk' : enc));
      expect(out).toContain(`<title>${text}</title>`);
      // The parser gets a JS string, so the prolog must no longer claim a byte encoding.
      expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    }
  });

  it('prefers the Content-Type charset over the prolog', () => {
    const bytes = iconv.encode(doc('utf-8', 'Grüße'), 'windows-1252');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=windows-1252')).toContain('Grüße');
  });

  it('keeps UTF-8 when a Latin-1 header is wrong', () => {
    const bytes = Buffer.from(doc('utf-8', 'Grüße – ខ្មែរ'), 'utf8');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=ISO-8859-1')).toContain('Grüße – ខ្មែរ');
  });

  it('trusts a multibyte prolog over a default Latin-1 header', () => {
    const bytes = iconv.encode(doc('gb2312', '柬埔寨'), 'gbk');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toContain('柬埔寨');
  });

  it('uses and strips BOMs (UTF-8, UTF-16LE, UTF-16BE)', () => {
    const text = doc('utf-8', 'ព័ត៌មាន');
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('utf-16', 'ព័ត៌មាន'), 'utf16le')]);
    expect(decodeFeedBytes(le)).toContain('<title>ព័ត៌មាន</title>');
    expect(decodeFeedBytes(le).charCodeAt(0)).not.toBe(0xfeff);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(doc('utf-16', 'ok'), 'utf-16be')]);
    expect(decodeFeedBytes(be)).toContain('<title>ok</title>');
  });

  it('lets a BOM win over a header and a prolog that name another charset (docs/decisions/0006)', () => {
    const text = doc('windows-1252', 'Grüße – ព័ត៌មាន');
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeFeedBytes(utf8Bom, 'text/xml; charset=ISO-8859-1')).toContain('<title>Grüße – ព័ត៌មាន</title>');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('gb2312', 'ព័ត៌មាន'), 'utf16le')]);
    expect(decodeFeedBytes(le, 'application/rss+xml; charset=gb2312')).toContain('<title>ព័ត៌មាន</title>');
  });

  it('falls back to UTF-8 for unknown charsets and no declaration', () => {
    const bytes = Buffer.from(doc('x-made-up', 'Grüße'), 'utf8');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=klingon')).toContain('Grüße');
    expect(decodeFeedBytes(Buffer.from('<rss><channel><title>ខ្មែរ</title></channel></rss>'))).toContain('ខ្មែរ');
  });
});
