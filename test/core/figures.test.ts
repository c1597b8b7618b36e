import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractFigures } from '../../src/core/figures.js';
import type { Figure } from '../../src/core/types.js';
import path from 'node:path';
import { SEEDS_DIR } from '../support/shared.js';

interface Expected {
  value: number;
  qualifier: Figure['qualifier'];
  unit: string;
  metric: Figure['metric'];
}
interface Case {
  text: string;
  figures: Expected[];
}

const cases = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/figures/sentences.json', import.meta.url)), 'utf8'),
) as Case[];

const key = (f: Expected): string => `${f.value}|${f.qualifier}|${f.unit}|${f.metric}`;

function seed(name: string): string {
  return readFileSync(path.join(SEEDS_DIR, name), 'utf8');
}

describe('extractFigures on the fixture sentences', () => {
  it('has enough fixtures to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
  });

  it('reaches precision >= 0.95 and recall >= 0.9 over (value, qualifier, unit, metric)', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const c of cases) {
      // Multiset matching: a sentence may state the same tuple twice.
      const expected = c.figures.map(key);
      const got = extractFigures(c.text).map(key);
      const pool = [...expected];
      for (const g of got) {
        const i = pool.indexOf(g);
        if (i >= 0) {
          tp += 1;
          pool.splice(i, 1);
        } else {
          fp += 1;
          misses.push(`FP ${g} in: ${c.text}`);
        }
      }
      fn += pool.length;
      for (const p of pool) misses.push(`FN ${p} in: ${c.text}`);
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(`figures: precision=${precision.toFixed(3)} recall=${recall.toFixed(3)} (tp=${tp} fp=${fp} fn=${fn})`);
    if (misses.length > 0) console.log(misses.join('\n'));
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('quotes exact substrings of the text', () => {
    for (const c of cases) {
      for (const f of extractFigures(c.text)) {
        expect(c.text.includes(f.quote), `${f.quote} not in ${c.text}`).toBe(true);
        expect(f.quote.length).toBeGreaterThan(0);
        expect(f.label.length).toBeGreaterThan(0);
      }
    }
  });

  it('normalises the tricky values', () => {
    const one = (t: string): Figure | undefined => extractFigures(t)[0];
    expect(one('The scheme generated $12.5bn annually.')?.value).toBe(12_500_000_000);
    expect(one('Victims lost US$1.2 billion to the ring.')).toMatchObject({ value: 1_200_000_000, unit: 'usd' });
    expect(one('Police seized Rp 50 miliar from the syndicate.')).toMatchObject({ value: 50_000_000_000, unit: 'idr' });
    expect(one('Some 1.4 million dollars was seized.')).toMatchObject({ value: 1_400_000, unit: 'usd', qualifier: 'about' });
    expect(one('Police arrested 1,400 people.')?.value).toBe(1400);
    expect(one('Police arrested two thousand people.')?.value).toBe(2000);
    expect(one('约3万人被困。')).toMatchObject({ value: 30_000, qualifier: 'about', metric: 'people_held' });
    expect(one('超过2亿元被冻结。')).toMatchObject({ value: 200_000_000, unit: 'cny', metric: 'assets_seized' });
    expect(one('Công an bắt giữ 15 người.')).toMatchObject({ value: 15, unit: 'people', metric: 'people_arrested' });
    expect(one('Khmer digits: police rescued ១២០ people.')).toMatchObject({ value: 120, metric: 'people_rescued' });
  });

  it('labels carry nationality, place and source', () => {
    const [f] = extractFigures(
      'The Indonesian embassy in Phnom Penh has registered more than 900 of its citizens who fled the compounds.',
    );
    expect(f?.metric).toBe('nationals_registered');
    expect(f?.label).toContain('Indonesians');
    expect(f?.label).toContain('Phnom Penh');
    expect(f?.label).toContain('embassy');
  });

  it('does not give the people counted the nationality of the authority that acted', () => {
    const [rescued] = extractFigures(
      'Cambodian police raided a scam compound in Sihanoukville on Monday and rescued 320 workers, most of them from Vietnam and Thailand.',
    );
    expect(rescued?.value).toBe(320);
    expect(rescued?.label).not.toMatch(/Cambodian/u);
    expect(rescued?.label).toContain('Sihanoukville');
    const [returned] = extractFigures('Thai immigration officers received 45 Indonesians released from a compound in Poipet.');
    expect(returned?.value).toBe(45);
    expect(returned?.label).toMatch(/Indonesians/u);
    expect(returned?.label).not.toMatch(/Thai/u);
  });

  it('returns nothing for text without figures', () => {
    expect(extractFigures('')).toEqual([]);
    expect(extractFigures('Scam compounds in Cambodia are under pressure.')).toEqual([]);
  });
});

describe('extractFigures on phrasings an audit found wanting', () => {
  const got = (text: string): Array<[number, Figure['qualifier'], Figure['metric'], string]> =>
    extractFigures(text).map((f) => [f.value, f.qualifier, f.metric, f.quote]);

  it('reads a range as one figure of its low end, at least, quoted whole; a change stays two figures', () => {
    expect(got('Between 300 and 400 workers escaped from the compound in Bavet.')).toEqual([[300, 'at_least', 'people_released', 'Between 300 and 400 workers']]);
    expect(got('Police rescued 300 to 400 workers.')).toEqual([[300, 'at_least', 'people_rescued', '300 to 400 workers']]);
    expect(got('Officials said 2,500-3,000 people were released.')).toEqual([[2500, 'at_least', 'people_released', '2,500-3,000 people']]);
    expect(got('The number of workers released rose from 300 to 400 people.').map((f) => f[0])).toEqual([300, 400]);
    expect(got('Police freed 300 Chinese and 400 Vietnamese workers.').map((f) => f[0])).toEqual([300, 400]);
  });

  it('reads "half a million" as 500,000', () => {
    expect(got('Half a million people are believed to be held in compounds.')).toEqual([[500_000, 'exact', 'people_held', 'Half a million people']]);
  });

  it('does not count ages, years after a word of time, or numbers to dial', () => {
    expect(got('Children under 5 were among the 60 people rescued.')).toEqual([[60, 'exact', 'people_rescued', '60 people']]);
    expect(got('Of those rescued in Cambodia, 70 were aged over 40.')).toEqual([[70, 'exact', 'people_rescued', '70']]);
    expect(got('Police rescued 17 people, the youngest aged 16 and the oldest 52.')).toEqual([[17, 'exact', 'people_rescued', '17 people']]);
    expect(got('Over 200 workers were rescued, all under 30.')).toEqual([[200, 'more_than', 'people_rescued', 'Over 200 workers']]);
    expect(got('The victims, who were over 200, were rescued.')).toEqual([[200, 'more_than', 'people_rescued', 'over 200']]);
    expect(got('In 2024 workers continued to flee compounds in Cambodia.')).toEqual([]);
    expect(got('Since 2022 victims have been rescued from compounds every month.')).toEqual([]);
    expect(got('Police arrested 2025 suspects in Sihanoukville.')).toEqual([[2025, 'exact', 'people_arrested', '2025 suspects']]);
    expect(got('Call 1288 to report trafficking; 12 people were rescued after such calls.')).toEqual([[12, 'exact', 'people_rescued', '12 people']]);
  });

  it('takes no id or impossible count for a figure', () => {
    expect(got('Police freed 200 people <@123456789012345678> in Bavet.')).toEqual([[200, 'exact', 'people_released', '200 people']]);
    expect(got('Police released 123456789012345678 people, according to the report.')).toEqual([]);
    expect(got('Police released 5 billion people, the post claimed.')).toEqual([]);
    expect(got('The compounds earn $1.2 trillion a year.')).toEqual([[1_200_000_000_000, 'exact', 'scam_revenue', '$1.2 trillion']]);
  });

  it('hears the -ing forms of the verbs, "handed over", managers and Khmer verbs', () => {
    expect(got('Police raided the site in Bavet, freeing 210 foreign workers.')).toEqual([[210, 'exact', 'people_released', '210 foreign workers']]);
    expect(got('Police raided the site, rescuing 95 Thai nationals.')).toEqual([[95, 'exact', 'people_rescued', '95 Thai nationals']]);
    expect(got('Police raided the site, detaining 41 suspected managers.')).toEqual([[41, 'exact', 'people_arrested', '41 suspected managers']]);
    expect(got('Officials evacuated 60 workers from the compound.')).toEqual([[60, 'exact', 'people_rescued', '60 workers']]);
    expect(got('Cambodia handed over 85 Vietnamese citizens at the border.')).toEqual([[85, 'exact', 'people_repatriated', '85 Vietnamese citizens']]);
    expect(got('ប៉ូលិសបានចាប់ខ្លួនជនសង្ស័យចំនួន ៥៧ នាក់ នៅខេត្តព្រះសីហនុ។')).toEqual([[57, 'exact', 'people_arrested', '៥៧ នាក់']]);
  });
});

describe('extractFigures on the seed reports', () => {
  const a = seed('report-a.txt');
  const b = seed('report-b.txt');
  const figsA = extractFigures(a);
  const figsB = extractFigures(b);

  const has = (figs: Figure[], e: Partial<Figure>): boolean =>
    figs.some((f) => Object.entries(e).every(([k, v]) => f[k as keyof Figure] === v));

  it('finds the report-a figures', () => {
    expect(has(figsA, { value: 1400, qualifier: 'more_than', metric: 'nationals_registered', unit: 'people' })).toBe(true);
    expect(has(figsA, { value: 100_000, qualifier: 'up_to', metric: 'people_held', unit: 'people' })).toBe(true);
    expect(has(figsA, { value: 1000, qualifier: 'vague', metric: 'people_released' })).toBe(true);
  });

  it('finds the report-b figures', () => {
    expect(has(figsB, { value: 100_000, qualifier: 'about', metric: 'people_held', unit: 'people' })).toBe(true);
    expect(has(figsB, { value: 10, qualifier: 'at_least', metric: 'compounds', unit: 'compounds' })).toBe(true);
    expect(has(figsB, { value: 12_500_000_000, qualifier: 'more_than', metric: 'scam_revenue', unit: 'usd' })).toBe(true);
    expect(has(figsB, { value: 1000, qualifier: 'vague', metric: 'people_released' })).toBe(true);
  });

  it('states no year, date or percentage and quotes the seeds exactly', () => {
    for (const [text, figs] of [[a, figsA], [b, figsB]] as const) {
      for (const f of figs) {
        expect(text.includes(f.quote)).toBe(true);
        expect(f.value).not.toBe(2026);
        expect(f.value).not.toBe(21);
      }
    }
    // Report-a's "multi-billion dollar industry" states no amount.
    expect(figsA.some((f) => f.metric === 'scam_revenue')).toBe(false);
  });
});
