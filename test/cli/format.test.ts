// The `--json` document of analyze: the output object exactly, compact for a pipe, indented for a terminal.
import { describe, expect, it } from 'vitest';
import { formatAnalyzeJson, type AnalyzeOutput } from '../../src/cli/analyze.js';

const item = (id: string, title: string): AnalyzeOutput['items'][number] => ({
  id,
  feed: '/feeds/a.xml',
  outlet: 'Wire',
  title,
  link: null,
  published: '2026-01-21T09:00:00.000Z',
  language: 'en',
  relevant: true,
  relevance: 0.9,
  reasons: ["'scam compound' and 'Cambodia' in one sentence"],
  storyId: 's1',
  summary: 'Line one.\nLine two, with "quotes" and a \\ backslash.',
  figures: [{ value: 1400, qualifier: 'more_than', unit: 'people', metric: 'people_released', label: 'Indonesians', quote: 'more than 1,400' }],
});

const sample: AnalyzeOutput = {
  feeds: [
    { source: '/feeds/a.xml', title: 'Wire', items: 2, error: null },
    { source: '/feeds/b.xml', title: null, items: 0, error: 'cannot read feed file /feeds/b.xml: ENOENT' },
  ],
  items: [item('i1', 'Thousands walk out'), item('i2', 'Línea dos — 柬埔寨')],
  stories: [{ id: 's1', title: 'Thousands walk out', itemIds: ['i1', 'i2'], outlets: ['Wire'], figures: [] }],
};

describe('formatAnalyzeJson', () => {
  it('writes one compact line for a pipe', () => {
    const text = formatAnalyzeJson(sample);
    expect(JSON.parse(text)).toEqual(sample);
    expect(text.split('\n')).toHaveLength(1);
  });

  it('indents the same document for a terminal', () => {
    const text = formatAnalyzeJson(sample, true);
    expect(JSON.parse(text)).toEqual(sample);
    expect(text.split('\n').length).toBeGreaterThan(40);
    expect(text).toMatch(/^\{\n {2}"feeds": \[\n {4}\{\n {6}"source": "\/feeds\/a\.xml",/u);
  });
});
