// One contract suite for every store backend: memory, SQLite (the embedded default), and Redis and
// PostgreSQL when they answer on this machine (.ci/run starts them). A backend that is not reachable is
// skipped with a line saying so, never silently.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores, type OpenStoreOptions } from '../../src/store/keyv-store.js';
import type { Stores } from '../../src/store/ports.js';
import type { SourcedFigure, Story } from '../../src/core/types.js';
import { outboxEntry } from '../support/outbox.js';
import { backendTargets } from '../support/backends.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const targets = await backendTargets(tmp);

function story(id: string, firstSeen: string, extra: Partial<Story> = {}): Story {
  return {
    id,
    title: `Story ${id}`,
    summary: 'A summary.',
    itemIds: [`i-${id}`],
    outlets: ['Outlet A'],
    reports: [],
    figures: [],
    firstSeen,
    lastSeen: firstSeen,
    version: 1,
    ...extra,
  };
}

function figure(itemId: string, value: number, date: string): SourcedFigure {
  return {
    value,
    qualifier: 'about',
    unit: 'people',
    metric: 'people_held',
    label: 'people held in compounds',
    quote: `around ${value} people`,
    outlet: 'Outlet A',
    outletKind: 'international_media',
    link: `https://example.org/${itemId}`,
    itemId,
    date,
  };
}

for (const target of targets) {
  describe.skipIf(target.skip !== null)(`store contract: ${target.name}`, () => {
    const open = (extra: Partial<OpenStoreOptions> = {}) => openStores({ ...target.options, ...extra });
    let stores: Stores;

    it('opens and reports its backend', async () => {
      stores = await open();
      expect(stores.backend).toBe(target.name);
    });

    it('remembers seen ids per feed and prunes only old ids no longer in the feed', async () => {
      const now = new Date('2026-01-10T00:00:00Z');
      await stores.seen.markSeen('https://a.example/feed', ['x', 'y'], now);
      expect([...(await stores.seen.filterSeen('https://a.example/feed', ['x', 'z']))]).toEqual(['x']);
      expect((await stores.seen.filterSeen('https://b.example/feed', ['x'])).size).toBe(0);
      await stores.seen.prune('https://a.example/feed', new Date('2026-02-01T00:00:00Z'), new Set(['y']));
      expect([...(await stores.seen.filterSeen('https://a.example/feed', ['x', 'y']))]).toEqual(['y']);
    });

    it('marks and prunes seen ids in one update, keeping and dropping what markSeen then prune would', async () => {
      const feed = 'https://d.example/feed';
      const now = new Date('2026-01-10T00:00:00Z');
      await stores.seen.markSeenAndPrune(feed, ['x', 'y'], now, new Date('2025-01-10T00:00:00Z'), new Set());
      expect([...(await stores.seen.filterSeen(feed, ['x', 'z']))]).toEqual(['x']);
      expect((await stores.seen.filterSeen('https://b.example/feed', ['x'])).size).toBe(0);
      const cutoff = new Date('2026-02-01T00:00:00Z');
      await stores.seen.markSeenAndPrune(feed, [], new Date('2027-01-01T00:00:00Z'), cutoff, new Set(['y']));
      expect([...(await stores.seen.filterSeen(feed, ['x', 'y']))]).toEqual(['y']);
      // New ids are marked at `now` (after the cutoff), so they survive the prune of the same call.
      await stores.seen.markSeenAndPrune(feed, ['w', 'y'], new Date('2027-01-01T00:00:00Z'), cutoff, new Set());
      expect([...(await stores.seen.filterSeen(feed, ['x', 'y', 'w']))]).toEqual(['w']);
      await stores.seen.markSeenAndPrune('https://e.example/feed', [], now, cutoff, new Set());
      expect((await stores.seen.filterSeen('https://e.example/feed', ['w'])).size).toBe(0);
    });

    it('keeps concurrent updates of one list (no lost writes)', async () => {
      const now = new Date();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => stores.seen.markSeen('https://c.example/feed', [`id${i}`], now)),
      );
      const ids = Array.from({ length: 40 }, (_, i) => `id${i}`);
      expect((await stores.seen.filterSeen('https://c.example/feed', ids)).size).toBe(40);
    });

    it('stores feed state and lists it', async () => {
      await stores.feeds.put({
        source: 'https://a.example/feed',
        title: 'A',
        etag: '"v1"',
        lastModified: null,
        lastAttempt: '2026-01-01T00:00:00.000Z',
        lastSuccess: '2026-01-01T00:00:00.000Z',
        consecutiveFailures: 0,
        lastError: null,
        nextDue: null,
        primed: true,
        failureNoticeSent: false,
      });
      expect((await stores.feeds.get('https://a.example/feed'))?.etag).toBe('"v1"');
      expect((await stores.feeds.list()).map((f) => f.source)).toContain('https://a.example/feed');
    });

    it('stores items and finds them by link', async () => {
      await stores.items.put({
        item: {
          id: 'item1',
          feed: 'f',
          outlet: 'O',
          outletKind: 'unknown',
          title: 'T',
          link: 'https://news.example/a',
          published: null,
          text: 'x',
          language: 'en',
        },
        relevance: { relevant: true, score: 0.9, reasons: ['r'] },
        storyId: 's1',
        summary: '',
        figures: [],
        seenAt: '2026-01-01T00:00:00.000Z',
      });
      expect((await stores.items.getByLink('https://news.example/a'))?.item.id).toBe('item1');
      await stores.items.delete('item1');
      expect(await stores.items.get('item1')).toBeUndefined();
      expect(await stores.items.getByLink('https://news.example/a')).toBeUndefined();
    });

    it('stores stories by day, lists the newest first, deletes a day', async () => {
      await stores.stories.put(story('s1', '2026-01-01T10:00:00.000Z'));
      await stores.stories.put(story('s2', '2026-01-03T10:00:00.000Z'));
      await stores.stories.put(story('s3', '2026-01-03T12:00:00.000Z'));
      await stores.stories.put(story('s1', '2026-01-01T10:00:00.000Z', { version: 2, lastSeen: '2026-01-04T00:00:00.000Z' }));
      expect((await stores.stories.get('s1'))?.version).toBe(2);
      expect((await stores.stories.recent(2)).map((s) => s.id)).toEqual(['s3', 's2']);
      expect(await stores.stories.days()).toEqual(['2026-01-01', '2026-01-03']);
      await stores.stories.deleteDay('2026-01-01');
      expect(await stores.stories.get('s1')).toBeUndefined();
      expect(await stores.stories.days()).toEqual(['2026-01-03']);
    });

    it('keeps a figure history per metric, ordered, without duplicates', async () => {
      await stores.figures.add([figure('b', 90000, '2026-01-05'), figure('a', 100000, '2026-01-02')]);
      await stores.figures.add([figure('a', 100000, '2026-01-02')]);
      const history = await stores.figures.history('people_held');
      expect(history.map((f) => f.value)).toEqual([100000, 90000]);
      expect(await stores.figures.metrics()).toEqual(['people_held']);
      await stores.figures.prune(new Date('2026-01-03T00:00:00Z'));
      expect((await stores.figures.history('people_held')).map((f) => f.itemId)).toEqual(['b']);
    });

    it('keeps guild settings apart per server', async () => {
      const g1 = await stores.guilds.get('g1');
      expect(g1.subscriptions).toEqual([]);
      await stores.guilds.put({ ...g1, adminChannelId: 'c1' });
      expect((await stores.guilds.get('g1')).adminChannelId).toBe('c1');
      expect((await stores.guilds.get('g2')).adminChannelId).toBeNull();
      expect((await stores.guilds.list()).map((g) => g.guildId)).toEqual(['g1']);
    });

    it('tracks outbox entries from pending to sent', async () => {
      await stores.outbox.put(outboxEntry({ storyId: 's2', key: 'c1:s2', status: 'pending' }));
      await stores.outbox.put(outboxEntry({ storyId: 's2', key: 'c2:s2', channelId: 'c2', status: 'pending', createdAt: '2026-01-02T00:00:00.000Z' }));
      expect((await stores.outbox.pending()).map((e) => e.key)).toEqual(['c1:s2', 'c2:s2']);
      await stores.outbox.put(outboxEntry({ storyId: 's2', key: 'c1:s2', status: 'sent', messageId: 'm1', sentVersion: 1 }));
      expect((await stores.outbox.pending()).map((e) => e.key)).toEqual(['c2:s2']);
    });

    it('grants a lease to one holder at a time and lets it expire', async () => {
      expect(await stores.lease.acquire('poller', 'p1', 300)).toBe(true);
      expect(await stores.lease.acquire('poller', 'p2', 300)).toBe(false);
      expect(await stores.lease.acquire('poller', 'p1', 300)).toBe(true);
      await new Promise((r) => setTimeout(r, 350));
      expect(await stores.lease.acquire('poller', 'p2', 300)).toBe(true);
      await stores.lease.release('poller', 'p2');
      expect(await stores.lease.acquire('poller', 'p1', 300)).toBe(true);
    });

    it('keeps meta values and survives a reopen (persistent backends)', async () => {
      await stores.meta.set('k', { a: 1 });
      expect(await stores.meta.get('k')).toEqual({ a: 1 });
      if (target.name === 'memory') return;
      await stores.close();
      stores = await open();
      expect(await stores.meta.get('k')).toEqual({ a: 1 });
      expect((await stores.seen.filterSeen('https://a.example/feed', ['y'])).size).toBe(1);
    });

    afterAll(async () => {
      await stores?.close();
    });
  });
}

describe('store backends', () => {
  it('says which backends were skipped', () => {
    for (const t of targets) if (t.skip) console.warn(`[store contract] skipped ${t.name}: ${t.skip}`);
    expect(targets.some((t) => t.name === 'sqlite' && t.skip === null)).toBe(true);
  });
});
