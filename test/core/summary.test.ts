import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/core/sentences.js';
import { summarize } from '../../src/core/summary.js';
import path from 'node:path';
import { SEEDS_DIR } from '../support/shared.js';

const seedA = readFileSync(path.join(SEEDS_DIR, 'report-a.txt'), 'utf8');
const seedB = readFileSync(path.join(SEEDS_DIR, 'report-b.txt'), 'utf8');

const ARTICLE = [
  'Cambodian police raided a compound in Sihanoukville on Tuesday and rescued 212 foreign workers.',
  'Officers said the site had operated for two years behind a hotel front.',
  'Most of the rescued workers were from Indonesia, Vietnam and Kenya, according to a police statement.',
  'The weather in the coastal city was hot and humid.',
  'Investigators arrested 31 suspects, including the alleged manager of the compound.',
  'Rights groups welcomed the raid but warned that thousands remain trapped in similar compounds.',
  'A local football team won its match on Sunday.',
  'The Indonesian embassy said it had registered 88 of the workers and would arrange flights home.',
  'Police said further raids were planned in Kampot and Koh Kong provinces.',
].join(' ');

/** Numbers as written (digits with separators), to check the summary states none the source lacks. */
const numbers = (t: string): string[] => t.match(/\p{N}[\p{N}.,]*/gu) ?? [];

/**
 * Split a summary back into source sentences: it must be whole source sentences, in source order, joined
 * by single spaces. (Re-splitting the summary would not work for Thai, whose sentences are space-joined.)
 */
function decompose(source: string, summary: string): string[] {
  const sentences = splitSentences(source).map((s) => s.text);
  const out: string[] = [];
  let pos = 0;
  let from = 0;
  while (pos < summary.length) {
    const k = sentences.findIndex((s, i) => i >= from && summary.startsWith(s, pos));
    expect(k, `no whole source sentence at: ${summary.slice(pos, pos + 40)}`).toBeGreaterThanOrEqual(0);
    const s = sentences[k] ?? '';
    out.push(s);
    from = k + 1;
    pos += s.length;
    if (pos < summary.length) {
      expect(summary[pos]).toBe(' ');
      pos += 1;
    }
  }
  return out;
}

function checkExtractive(source: string, summary: string): string[] {
  const parts = decompose(source, summary);
  expect(parts.length).toBeGreaterThanOrEqual(1);
  expect(parts.length).toBeLessThanOrEqual(3);
  for (const p of parts) expect(source.includes(p)).toBe(true);
  for (const n of numbers(summary)) expect(source.includes(n), `number ${n} not in source`).toBe(true);
  return parts;
}

describe('summarize', () => {
  it('picks 2–3 whole sentences of the source, in order, within the length budget', () => {
    const s = summarize(ARTICLE, { title: 'Police rescue 212 in Sihanoukville compound raid' });
    const parts = checkExtractive(ARTICLE, s);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(s.length).toBeLessThanOrEqual(600);
    const positions = parts.map((p) => ARTICLE.indexOf(p));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(s).toContain('rescued 212');
    expect(s).not.toContain('football');
    expect(s).not.toContain('weather');
  });

  it('leaves out what belongs to the page, not the story: trailers, links, captions, bylines, datelines', () => {
    const wordpress = 'Police in Banteay Meanchey rescued 45 workers from a scam compound on Monday. The post Police rescue 45 workers appeared first on Khmer Times.';
    expect(summarize(wordpress)).toBe('Police in Banteay Meanchey rescued 45 workers from a scam compound on Monday.');
    expect(summarize('Police detained 40 people for questioning […] Continue reading →')).toBe('Police detained 40 people for questioning');
    const wire = [
      'By Sokha Chan and Maria Lopez',
      'PHNOM PENH, Jan 12 (Reuters) -',
      'Photo: Sokha Chan',
      'More than 1,400 Indonesians have sought help at their embassy after leaving scam compounds, officials said.',
      'Subscribe now to get unlimited access to all our stories for just $1 a month.',
      'Already a subscriber?',
      'The exodus began last week when operators started releasing workers ahead of a deadline.',
      'Read more: Cambodia vows to shut down all scam centres by April',
      'Many arrived without passports, which they said had been taken by their bosses.',
      'Rights groups estimate that up to 100,000 people remain inside compounds in the country.',
    ].join('\n');
    const summary = summarize(wire);
    expect(summary).toMatch(/^More than 1,400 Indonesians have sought help/u);
    for (const junk of ['Sokha', 'Reuters', 'Subscribe', 'subscriber', 'Read more', 'Photo']) expect(summary).not.toContain(junk);
    expect(summarize('Jakarta (ANTARA) - KBRI Phnom Penh memulangkan 120 WNI korban penipuan online dari Kamboja pada Senin. Mereka tiba di Jakarta pada malam hari.')).toMatch(
      /^KBRI Phnom Penh memulangkan 120 WNI/u,
    );
    // Not a byline, not a dateline: the story itself.
    expect(summarize('By Tuesday, police had freed 300 workers from the compound in Bavet. More were expected to leave.')).toMatch(/^By Tuesday, police had freed/u);
  });

  it('gives sensible summaries of the seed reports', () => {
    const a = summarize(seedA);
    const b = summarize(seedB);
    expect(checkExtractive(seedA, a).length).toBeGreaterThanOrEqual(2);
    expect(checkExtractive(seedB, b).length).toBeGreaterThanOrEqual(2);
    expect(a).toMatch(/Cambodia/u);
    expect(b).toMatch(/compounds/u);
    // The reference list at the end of report-b is not article text.
    expect(b).not.toContain('Ratcliffe');
    expect(b).not.toContain('https://');
  });

  it('falls back to the lead for short texts', () => {
    expect(summarize('Only one sentence here about 40 workers.')).toBe('Only one sentence here about 40 workers.');
    const two = 'Police freed 40 workers. They were flown home.';
    expect(summarize(two)).toBe(two);
    expect(summarize('')).toBe('');
  });

  it('respects maxSentences and never cuts a sentence to fit', () => {
    const one = summarize(ARTICLE, { maxSentences: 1 });
    expect(checkExtractive(ARTICLE, one)).toHaveLength(1);
    const longSentence = `Workers described ${'long shifts and beatings, '.repeat(12)}and debts they could never repay.`;
    const text = [longSentence, longSentence.replace('Workers', 'Survivors'), longSentence.replace('Workers', 'Victims'), 'Police rescued 40 of them on Monday in Bavet.'].join(' ');
    const s = summarize(text);
    checkExtractive(text, s);
    expect(s.length).toBeLessThanOrEqual(600);
  });

  it('does not mangle Khmer, Thai or Chinese text', () => {
    const km = [
      'ប៉ូលិសកម្ពុជាបានជួយសង្គ្រោះពលករបរទេសចំនួន ២១២ នាក់ពីបរិវេណឆបោកមួយនៅក្រុងព្រះសីហនុ។',
      'ជនរងគ្រោះភាគច្រើនមកពីប្រទេសឥណ្ឌូនេស៊ី និងវៀតណាម។',
      'អាជ្ញាធរបានចាប់ខ្លួនជនសង្ស័យចំនួន ៣១ នាក់។',
      'ស្ថានទូតបាននិយាយថាពួកគេនឹងត្រូវបញ្ជូនទៅផ្ទះវិញក្នុងពេលឆាប់ៗ។',
    ].join('');
    const zh = '柬埔寨警方突袭了西港的一个诈骗园区。警方解救了212名外国工人。其中大多数来自印度尼西亚和越南。警方逮捕了31名嫌疑人。大使馆表示将安排他们回国。';
    const th = [
      'ตำรวจกัมพูชาบุกค้นแก๊งคอลเซ็นเตอร์ในสีหนุวิลล์และช่วยเหลือแรงงานต่างชาติ 212 คน',
      'ผู้เสียหายส่วนใหญ่มาจากอินโดนีเซียและเวียดนาม',
      'เจ้าหน้าที่จับกุมผู้ต้องสงสัย 31 คน',
      'สถานทูตระบุว่าจะส่งพวกเขากลับประเทศโดยเร็ว',
    ].join('\n');
    for (const text of [km, zh, th]) {
      const s = summarize(text);
      expect(checkExtractive(text, s).length).toBeGreaterThanOrEqual(2);
    }
  });
});
