import { describe, expect, it } from 'vitest';
import { formatFigureValue, isMetric, METRIC_LABELS, metricView } from '../../src/core/registry.js';
import type { SourcedFigure } from '../../src/core/types.js';

function fig(over: Partial<SourcedFigure>): SourcedFigure {
  return {
    value: 100_000,
    qualifier: 'up_to',
    unit: 'people',
    metric: 'people_held',
    label: 'held in scam compounds',
    quote: 'up to 100,000 people',
    outlet: 'Outlet A',
    outletKind: 'international_media',
    link: 'https://a.example/1',
    itemId: 'i1',
    date: '2026-01-10T00:00:00.000Z',
    ...over,
  };
}

describe('metricView', () => {
  it('returns null for an empty history', () => {
    expect(metricView([])).toBeNull();
  });

  it('takes the newest figure by date even when the history is not sorted', () => {
    const older = fig({ value: 50_000, date: '2025-12-01T00:00:00.000Z', itemId: 'old' });
    const newer = fig({ value: 100_000, date: '2026-01-10T00:00:00.000Z', itemId: 'new' });
    const view = metricView([newer, older]);
    expect(view?.newest.itemId).toBe('new');
    expect(view?.history.map((f) => f.itemId)).toEqual(['old', 'new']);
  });

  it('lists other outlets that state a different value as disagreements, never averaging them', () => {
    const a = fig({ outlet: 'Outlet A', value: 100_000, date: '2026-01-10T00:00:00.000Z' });
    const b = fig({ outlet: 'Outlet B', value: 120_000, qualifier: 'more_than', date: '2026-01-05T00:00:00.000Z', itemId: 'b' });
    const view = metricView([b, a]);
    expect(view?.newest.outlet).toBe('Outlet A');
    expect(view?.newest.value).toBe(100_000);
    expect(view?.disagreements.map((f) => [f.outlet, f.value])).toEqual([['Outlet B', 120_000]]);
    expect(view?.agreeing).toEqual([]);
  });

  it('counts the same value from another outlet as agreeing, whatever the qualifier', () => {
    const a = fig({ outlet: 'Outlet A', qualifier: 'up_to', date: '2026-01-10T00:00:00.000Z' });
    const b = fig({ outlet: 'Outlet B', qualifier: 'about', date: '2026-01-09T00:00:00.000Z', itemId: 'b' });
    const view = metricView([b, a]);
    expect(view?.agreeing.map((f) => f.outlet)).toEqual(['Outlet B']);
    expect(view?.disagreements).toEqual([]);
  });

  it('ignores other outlets older than the period, and the newest outlet’s own older values', () => {
    const a0 = fig({ outlet: 'Outlet A', value: 10, date: '2026-01-01T00:00:00.000Z', itemId: 'a0' });
    const old = fig({ outlet: 'Outlet C', value: 7, date: '2025-10-01T00:00:00.000Z', itemId: 'c' });
    const a1 = fig({ outlet: 'Outlet A', value: 12, date: '2026-01-10T00:00:00.000Z', itemId: 'a1' });
    const view = metricView([old, a0, a1]);
    expect(view?.disagreements).toEqual([]);
    expect(metricView([old, a0, a1], { periodDays: 200 })?.disagreements.map((f) => f.outlet)).toEqual(['Outlet C']);
  });

  it('keeps only the latest value per other outlet within the period', () => {
    const b0 = fig({ outlet: 'Outlet B', value: 90_000, date: '2026-01-02T00:00:00.000Z', itemId: 'b0' });
    const b1 = fig({ outlet: 'Outlet B', value: 95_000, date: '2026-01-04T00:00:00.000Z', itemId: 'b1' });
    const a = fig({ outlet: 'Outlet A', date: '2026-01-10T00:00:00.000Z' });
    expect(metricView([b0, b1, a])?.disagreements.map((f) => f.itemId)).toEqual(['b1']);
  });
});

describe('formatFigureValue', () => {
  it('puts the qualifier into words with the unit', () => {
    expect(formatFigureValue({ value: 1400, qualifier: 'more_than', unit: 'people' })).toBe('more than 1,400 people');
    expect(formatFigureValue({ value: 100_000, qualifier: 'up_to', unit: 'people' })).toBe('up to 100,000 people');
    expect(formatFigureValue({ value: 10, qualifier: 'at_least', unit: 'compounds' })).toBe('at least 10 compounds');
    expect(formatFigureValue({ value: 12_500_000_000, qualifier: 'about', unit: 'usd' })).toBe('about $12.5 billion');
    expect(formatFigureValue({ value: 57, qualifier: 'exact', unit: 'people' })).toBe('57 people');
    expect(formatFigureValue({ value: 1, qualifier: 'exact', unit: 'people' })).toBe('1 person');
    expect(formatFigureValue({ value: 1_400_000, qualifier: 'nearly', unit: 'people' })).toBe('nearly 1.4 million people');
  });

  it('keeps unfamiliar currencies by their code rather than guessing a symbol', () => {
    expect(formatFigureValue({ value: 3_200_000_000, qualifier: 'exact', unit: 'idr' })).toBe('3.2 billion IDR');
    expect(formatFigureValue({ value: 12.5, qualifier: 'exact', unit: 'btc' })).toBe('12.5 BTC');
  });

  it('describes vague figures by their order of magnitude', () => {
    expect(formatFigureValue({ value: 1000, qualifier: 'vague', unit: 'people' })).toBe('thousands of people');
    expect(formatFigureValue({ value: 100, qualifier: 'vague', unit: 'compounds' })).toBe('hundreds of compounds');
    expect(formatFigureValue({ value: 1e9, qualifier: 'vague', unit: 'usd' })).toBe('billions of dollars');
  });
});

describe('METRIC_LABELS', () => {
  it('names every metric for humans', () => {
    expect(METRIC_LABELS.people_held).toBe('People held in compounds');
    for (const label of Object.values(METRIC_LABELS)) expect(label).toMatch(/^\p{Lu}/u);
    expect(isMetric('people_held')).toBe(true);
    expect(isMetric('toString')).toBe(false);
  });
});
