// Read-modify-written lists are written only when they change: a put or prune that changes nothing
// costs reads, never a write or delete.
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createStores } from '../../src/store/keyv-store.js';
import { outboxEntry } from '../support/outbox.js';
import type { SourcedFigure } from '../../src/core/types.js';

function counted() {
  const keyv = new Keyv({ namespace: 'cw' });
  const writes: string[] = [];
  const set = keyv.set.bind(keyv);
  const del = keyv.delete.bind(keyv);
  keyv.set = ((key: string, value: unknown, ttl?: number) => {
    writes.push(`set ${key}`);
    return set(key, value, ttl);
  }) as typeof keyv.set;
  keyv.delete = ((key: string | string[]) => {
    writes.push(`delete ${String(key)}`);
    return del(key);
  }) as typeof keyv.delete;
  const lease = { acquire: async () => true, release: async () => undefined };
  const stores = createStores({ keyv, name: 'memory', lease });
  return { stores, writes };
}

function figure(itemId: string, date: string): SourcedFigure {
  return {
    value: 100,
    qualifier: 'about',
    unit: 'people',
    metric: 'people_held',
    label: 'people held in compounds',
    quote: 'around 100 people',
    outlet: 'Outlet A',
    outletKind: 'international_media',
    link: `https://example.org/${itemId}`,
    itemId,
    date,
  };
}

describe('store writes', () => {
  it('marks and prunes seen ids with one write, and none when nothing changes', async () => {
    const { stores, writes } = counted();
    const at = new Date('2026-01-10T00:00:00Z');
    const cutoff = new Date('2025-01-10T00:00:00Z');
    await stores.seen.markSeenAndPrune('f', ['a', 'b'], at, cutoff, new Set(['a', 'b']));
    expect(writes).toHaveLength(1);
    writes.length = 0;
    await stores.seen.markSeenAndPrune('f', [], at, cutoff, new Set(['a', 'b']));
    await stores.seen.markSeen('f', ['a'], at);
    await stores.seen.prune('f', cutoff, new Set());
    await stores.seen.prune('missing', cutoff, new Set());
    expect(writes).toEqual([]);
    await stores.seen.markSeenAndPrune('f', ['c'], new Date('2026-03-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), new Set(['a']));
    expect(writes).toHaveLength(1);
    expect([...(await stores.seen.filterSeen('f', ['a', 'b', 'c']))]).toEqual(['a', 'c']);
  });

  it('leaves the outbox indexes alone when a put does not move the entry', async () => {
    const { stores, writes } = counted();
    await stores.outbox.put(outboxEntry({ key: 'c1:s1', status: 'sent' }));
    writes.length = 0;
    await stores.outbox.put(outboxEntry({ key: 'c1:s1', status: 'sent', attempts: 1 }));
    expect(writes).toEqual(['set outbox:c1:s1']);
    writes.length = 0;
    await stores.outbox.put(outboxEntry({ key: 'c1:s1', status: 'pending' }));
    await stores.outbox.put(outboxEntry({ key: 'c1:s1', status: 'pending' }));
    expect(writes.filter((w) => w.includes('outbox:pending'))).toHaveLength(1);
    expect((await stores.outbox.pending()).map((e) => e.key)).toEqual(['c1:s1']);
  });

  it('does not rewrite a figure bucket that a prune or a repeated add leaves as it is', async () => {
    const { stores, writes } = counted();
    await stores.figures.add([figure('a', '2026-01-05')]);
    writes.length = 0;
    await stores.figures.add([figure('a', '2026-01-05')]);
    await stores.figures.prune(new Date('2026-01-02T00:00:00Z'));
    expect(writes).toEqual([]);
    await stores.figures.prune(new Date('2026-01-06T00:00:00Z'));
    expect(writes).toHaveLength(1);
    expect(await stores.figures.history('people_held')).toEqual([]);
  });
});
