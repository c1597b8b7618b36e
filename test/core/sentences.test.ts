import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/core/sentences.js';

const texts = (t: string): string[] => splitSentences(t).map((s) => s.text);

describe('splitSentences', () => {
  it('gives offsets that reproduce each sentence exactly', () => {
    const t = 'First one here.  Second one?\nHeading line\nThird! Fourth…';
    for (const s of splitSentences(t)) expect(t.slice(s.start, s.end)).toBe(s.text);
    expect(texts(t)).toEqual(['First one here.', 'Second one?', 'Heading line', 'Third!', 'Fourth…']);
  });

  it('survives titles, months, initials and country abbreviations', () => {
    expect(texts('Mr. Hun said Dr. Sok met Gen. Lt. Col. Dara on Jan. 21 in Phnom Penh. It rained.')).toEqual([
      'Mr. Hun said Dr. Sok met Gen. Lt. Col. Dara on Jan. 21 in Phnom Penh.',
      'It rained.',
    ]);
    expect(texts('The U.S. Treasury and the U.K. acted. The U.N. agreed, e.g. on visas, i.e. quickly.')).toEqual([
      'The U.S. Treasury and the U.K. acted.',
      'The U.N. agreed, e.g. on visas, i.e. quickly.',
    ]);
    expect(texts('J. Smith of Acme Inc. spoke. Sept. 3 was the date.')).toEqual(['J. Smith of Acme Inc. spoke.', 'Sept. 3 was the date.']);
    expect(texts('Sanctions came from the U.S. The move was welcomed.')).toEqual([
      'Sanctions came from the U.S.',
      'The move was welcomed.',
    ]);
  });

  it('keeps decimals and currencies inside the sentence', () => {
    expect(texts('The trade makes $12.5bn a year. Seizures reached US$1.2 billion. About 1.4 million people. Rp 50 miliar was lost.')).toEqual([
      'The trade makes $12.5bn a year.',
      'Seizures reached US$1.2 billion.',
      'About 1.4 million people.',
      'Rp 50 miliar was lost.',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence, and handles ellipses', () => {
    expect(texts('"We were trapped." She left (with others.) Then… nothing. Wait... Now.')).toEqual([
      '"We were trapped."',
      'She left (with others.)',
      'Then… nothing.',
      'Wait...',
      'Now.',
    ]);
  });

  it('splits Khmer on the khan and Chinese on full-width stops', () => {
    const km = 'ប៉ូលិសបានជួយសង្គ្រោះជនរងគ្រោះ។ពួកគេត្រូវបានបញ្ជូនទៅផ្ទះ៕';
    expect(texts(km)).toEqual(['ប៉ូលិសបានជួយសង្គ្រោះជនរងគ្រោះ។', 'ពួកគេត្រូវបានបញ្ជូនទៅផ្ទះ៕']);
    const zh = '警方解救了300名中国公民。他们已被遣返回国！真的吗？';
    expect(texts(zh)).toEqual(['警方解救了300名中国公民。', '他们已被遣返回国！', '真的吗？']);
  });

  it('does not mangle Thai: splits only on line breaks, joined spans keep every character', () => {
    const th = 'ตำรวจช่วยเหลือคนไทย 120 คน จากแก๊งคอลเซ็นเตอร์ในกัมพูชา\nพวกเขาถูกส่งกลับประเทศไทยแล้ว';
    const spans = splitSentences(th);
    expect(spans.map((s) => s.text)).toEqual(th.split('\n'));
    const long = Array.from({ length: 12 }, () => 'ผู้เสียหายจำนวนมากถูกบังคับให้ทำงานในอาคารที่มีการรักษาความปลอดภัยอย่างแน่นหนา').join(' ');
    const parts = splitSentences(long);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((s) => s.text).join(' ')).toBe(long);
    for (const s of parts) expect(long.slice(s.start, s.end)).toBe(s.text);
  });

  it('ignores links and handles empty input', () => {
    expect(texts('See https://www.example.com/2026/jan/21/story for more. Done.')).toEqual([
      'See https://www.example.com/2026/jan/21/story for more.',
      'Done.',
    ]);
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n \n')).toEqual([]);
  });
});
