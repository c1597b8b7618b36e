// Retention prunes old stories, items and figures but keeps seen ids of entries still in their feed;
// staggering gives each feed a stable slot spread across the interval.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { staggerDelay } from '../../src/main.js';
import { pruneOld } from '../../src/pipeline/retention.js';
import { openStores } from '../../src/store/keyv-store.js';
import type { SourcedFigure, Story } from '../../src/core/types.js';

const story = (id: string, at: string): Story => ({
  id,
  title: id,
  summary: '',
  itemIds: [`i-${id}`],
  outlets: ['O'],
  reports: [],
  figures: [],
  firstSeen: at,
  lastSeen: at,
  version: 1,
});
const figure = (itemId: string, date: string): SourcedFigure => ({
  value: 10,
  qualifier: 'exact',
  unit: 'compounds',
  metric: 'compounds',
  label: 'compounds raided',
  quote: '10 compounds',
  outlet: 'O',
  outletKind: 'unknown',
  link: null,
  itemId,
  date,
});

describe('retention', () => {
  it('prunes stories, items and figures older than RETENTION_DAYS and keeps the rest', async () => {
    const stores = await openStores({ storeUrl: null, dataDir: '/tmp', memory: true });
    await stores.stories.put(story('old', '2025-01-05T00:00:00.000Z'));
    await stores.stories.put(story('new', '2026-11-01T00:00:00.000Z'));
    for (const [id, seenAt] of [
      ['old-item', '2025-01-05T00:00:00.000Z'],
      ['new-item', '2026-11-01T00:00:00.000Z'],
    ] as const) {
      await stores.items.put({
        item: { id, feed: 'f', outlet: 'O', outletKind: 'unknown', title: id, link: `https://x.example/${id}`, published: null, text: '', language: 'en' },
        relevance: { relevant: false, score: 0, reasons: ['r'] },
        storyId: null,
        summary: '',
        figures: [],
        seenAt,
      });
    }
    await stores.figures.add([figure('old-item', '2025-01-05T00:00:00.000Z'), figure('new-item', '2026-11-01T00:00:00.000Z')]);
    await pruneOld(stores, new Date('2026-11-22T00:00:00Z'), 365, silentLogger);
    expect(await stores.stories.get('old')).toBeUndefined();
    expect(await stores.stories.get('new')).toBeDefined();
    expect(await stores.items.get('old-item')).toBeUndefined();
    expect(await stores.items.getByLink('https://x.example/old-item')).toBeUndefined();
    expect(await stores.items.get('new-item')).toBeDefined();
    expect((await stores.figures.history('compounds')).map((f) => f.itemId)).toEqual(['new-item']);
    // Seen ids of entries still in the feed survive any cutoff, so nothing old is ever posted again.
    await stores.seen.markSeen('f', ['still-listed', 'gone'], new Date('2024-01-01T00:00:00Z'));
    await stores.seen.prune('f', new Date('2026-01-01T00:00:00Z'), new Set(['still-listed']));
    expect([...(await stores.seen.filterSeen('f', ['still-listed', 'gone']))]).toEqual(['still-listed']);
  });
});

describe('staggering', () => {
  it('gives every feed a stable slot inside the spread, and spreads many feeds out', () => {
    const spread = 150_000;
    const feeds = Array.from({ length: 200 }, (_, i) => `https://outlet${i}.example/feed`);
    const slots = feeds.map((f) => staggerDelay(f, spread));
    expect(slots).toEqual(feeds.map((f) => staggerDelay(f, spread)));
    expect(slots.every((s) => s >= 0 && s < spread)).toBe(true);
    // Not all at once: the feeds land in most tenths of the interval.
    expect(new Set(slots.map((s) => Math.floor((s / spread) * 10))).size).toBeGreaterThanOrEqual(9);
    expect(staggerDelay(feeds[0] ?? '', 0)).toBe(0);
  });
});
