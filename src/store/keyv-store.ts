// The store ports implemented over one keyv instance. Keys are prefixed by kind ("story:", "feed:" …).
// Lists that several writers touch (day buckets, indexes, outbox) are read-modify-written under a
// per-key lock, so concurrent tasks in one process never lose each other's updates; across processes
// only the lease holder (the poller) writes them.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
// Backends are loaded when chosen (see openBackend), so these are type-only.
import type KeyvRedis from '@keyv/redis';
import { shortHash } from '../core/hash.js';
import type { Logger } from '../log.js';
import { KeyedQueue } from '../serial.js';
import { describeStoreUrl, sqliteFile, StoreError } from './url.js';
import type { Metric, SourcedFigure, Story } from '../core/types.js';
import type {
  FeedState,
  FeedStateStore,
  FigureRegistry,
  GuildSettings,
  GuildStore,
  ItemRecord,
  ItemStore,
  LeaseStore,
  MetaStore,
  OutboxEntry,
  OutboxStore,
  SeenStore,
  Stores,
  StoryStore,
} from './ports.js';

/** Figures kept per metric; the oldest drop off first. */
const FIGURE_HISTORY_CAP = 2000;

export { StoreError };

interface Backend {
  keyv: Keyv;
  name: string;
  lease: LeaseStore;
}

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Returned by an `update` callback when the value stays as it is: nothing is written. */
const UNCHANGED: unique symbol = Symbol('unchanged');

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Opens the backend named by STORE_URL (or SQLite in dataDir, or memory for tests). */
export interface OpenStoreOptions {
  storeUrl: string | null;
  dataDir: string;
  memory?: boolean;
  /** Key namespace; tests use a fresh one per run to stay isolated on a shared server. */
  namespace?: string;
  /** Connection trouble (a store restarting, a write failing) is logged here. */
  logger?: Logger;
}

export async function openStores(options: OpenStoreOptions): Promise<Stores> {
  const backend = await openBackend(options);
  return createStores(backend, options.logger);
}

/** How long a Redis store may take to answer at start-up before the command gives up with one line. */
const REDIS_CONNECT_TIMEOUT_MS = 10_000;

async function openBackend(options: OpenStoreOptions): Promise<Backend> {
  if (options.memory) {
    const keyv = new Keyv({ namespace: options.namespace ?? 'cw' });
    return { keyv, name: 'memory', lease: memoryLease() };
  }
  const url = options.storeUrl ?? `sqlite://${path.join(options.dataDir, 'compound-watch.sqlite')}`;
  try {
    return await openUrl(url, options);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    const where = options.storeUrl === null || options.storeUrl === undefined ? `SQLite file in DATA_DIR ${options.dataDir}` : describeStoreUrl(url);
    throw new StoreError(`cannot open the store (${where}): ${msg.split('\n')[0] ?? msg}`, { cause: err });
  }
}

async function openUrl(url: string, options: OpenStoreOptions): Promise<Backend> {
  const namespace = options.namespace ?? 'cw';
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  // Each backend is imported only when chosen. Besides start-up time, this matters for speed: @redis/client
  // defines a subclass of String, and merely loading it makes V8's string built-ins slower for the whole
  // process (rss-parser's parse of the bench feed: 215 ms without it, 300 ms with it).
  if (scheme === 'sqlite') {
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const file = sqliteFile(url);
    const dir = path.dirname(path.resolve(file));
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new StoreError(`cannot open the store: ${dir} is a file, not a directory (check DATA_DIR or STORE_URL)`);
    mkdirSync(dir, { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table: 'cw', busyTimeout: 10_000 });
    const keyv = new Keyv({ store: adapter, namespace });
    await adapter.query('PRAGMA journal_mode = WAL');
    // In WAL mode NORMAL still survives a process crash (what the outbox relies on); it only skips the
    // fsync per transaction, which otherwise dominates the cost of every small write.
    await adapter.query('PRAGMA synchronous = NORMAL');
    await adapter.query(
      'CREATE TABLE IF NOT EXISTS cw_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL)',
    );
    return { keyv, name: 'sqlite', lease: sqlLease((sql, params) => adapter.query(sql, ...params), '?', namespace) };
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    const { default: KeyvRedis } = await import('@keyv/redis');
    const adapter = new KeyvRedis(url);
    const keyv = new Keyv({ store: adapter, namespace, useKeyPrefix: false });
    // node-redis reconnects by itself and queues commands meanwhile; say so in the logs, once per outage
    // (an outage after start-up: a store that does not answer at start-up fails the start, see connectRedisOnce).
    let down = false;
    let started = false;
    adapter.client.on('error', (err: unknown) => {
      if (down || !started) return;
      down = true;
      options.logger?.error('store connection lost (redis); reconnecting, commands are queued', { err });
    });
    adapter.client.on('ready', () => {
      if (!down) return;
      down = false;
      options.logger?.warn('store connection restored (redis)');
    });
    await connectRedisOnce(adapter.client, url);
    started = true;
    return { keyv, name: 'redis', lease: redisLease(adapter, namespace) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const { default: KeyvPostgres } = await import('@keyv/postgres');
    const adapter = new KeyvPostgres({ uri: url, table: 'cw' });
    const keyv = new Keyv({ store: adapter, namespace });
    await adapter.query(
      'CREATE TABLE IF NOT EXISTS cw_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires BIGINT NOT NULL)',
    );
    return {
      keyv,
      name: 'postgres',
      lease: sqlLease((sql, params) => adapter.query(sql, params), '$', namespace),
    };
  }
  throw new StoreError(`unsupported STORE_URL scheme "${scheme}" (use sqlite://, redis:// or postgres://)`);
}

function memoryLease(): LeaseStore {
  const held = new Map<string, { holder: string; expires: number }>();
  return {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      const cur = held.get(name);
      if (cur && cur.expires > now && cur.holder !== holder) return false;
      held.set(name, { holder, expires: now + ttlMs });
      return true;
    },
    async release(name, holder) {
      if (held.get(name)?.holder === holder) held.delete(name);
    },
  };
}

/** An atomic upsert: the row changes only when it is free, expired, or already ours. */
function sqlLease(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  style: '?' | '$',
  namespace: string,
): LeaseStore {
  const p = (n: number) => (style === '?' ? '?' : `$${n}`);
  const upsert =
    `INSERT INTO cw_leases (name, holder, expires) VALUES (${p(1)}, ${p(2)}, ${p(3)}) ` +
    `ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires ` +
    `WHERE cw_leases.expires < ${p(4)} OR cw_leases.holder = excluded.holder RETURNING holder`;
  const del = `DELETE FROM cw_leases WHERE name = ${p(1)} AND holder = ${p(2)}`;
  return {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      const rows = (await query(upsert, [`${namespace}:${name}`, holder, now + ttlMs, now])) as Array<{ holder: string }> | undefined;
      return Array.isArray(rows) && rows.length > 0 && rows[0]?.holder === holder;
    },
    async release(name, holder) {
      await query(del, [`${namespace}:${name}`, holder]);
    },
  };
}

function redisLease(adapter: KeyvRedis<unknown>, namespace: string): LeaseStore {
  const client = adapter.client as unknown as {
    set(key: string, value: string, opts: { NX?: boolean; PX?: number; XX?: boolean }): Promise<string | null>;
    eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  };
  // Extend only our own lease, atomically.
  const extend = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  const drop = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
  return {
    async acquire(name, holder, ttlMs) {
      const key = `${namespace}:lease:${name}`;
      if ((await client.set(key, holder, { NX: true, PX: ttlMs })) === 'OK') return true;
      return Number(await client.eval(extend, { keys: [key], arguments: [holder, String(ttlMs)] })) === 1;
    },
    async release(name, holder) {
      await client.eval(drop, { keys: [`${namespace}:lease:${name}`], arguments: [holder] });
    },
  };
}

export function createStores(backend: Backend, logger?: Logger): Stores {
  const { keyv } = backend;
  const locks = new KeyedQueue();
  let lastError: unknown = null;
  keyv.on('error', (err: unknown) => {
    lastError = err;
    logger?.warn('store error', { backend: backend.name, err });
  });

  const get = async <T>(key: string): Promise<T | undefined> => {
    const value = (await keyv.get(key)) as T | undefined;
    return value ?? undefined;
  };
  const set = async (key: string, value: unknown, ttlMs?: number): Promise<void> => {
    const ok = await keyv.set(key, value, ttlMs);
    if (!ok) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new StoreError(`store write failed for ${key.split(':')[0]}${cause}`);
    }
  };
  // The callback returns the new value, undefined to delete the key, or UNCHANGED to write nothing.
  const update = <T>(key: string, fn: (cur: T | undefined) => T | undefined | typeof UNCHANGED): Promise<T | undefined> =>
    locks.run(key, async () => {
      const cur = await get<T>(key);
      const next = fn(cur);
      if (next === UNCHANGED) return cur;
      if (next === undefined) await keyv.delete(key);
      else await set(key, next);
      return next;
    });
  const getMany = async <T>(keys: string[]): Promise<Array<T | undefined>> => {
    if (keys.length === 0) return [];
    const values = (await keyv.getMany(keys)) as Array<T | undefined | null>;
    return values.map((v) => v ?? undefined);
  };
  const addToSet = (key: string, values: string[]) =>
    update<string[]>(key, (cur) => {
      const list = cur ?? [];
      const have = new Set(list);
      const before = list.length;
      for (const v of values) if (!have.has(v)) list.push(v);
      return cur !== undefined && list.length === before ? UNCHANGED : list;
    });
  // Index sets (days, feeds, metrics …) gain a member rarely but are touched on every write: remember what
  // this process already added so the common case costs no read-modify-write. Removals forget it again.
  const known = new Map<string, Set<string>>();
  const addToIndex = async (key: string, value: string): Promise<void> => {
    if (known.get(key)?.has(value)) return;
    await addToSet(key, [value]);
    let members = known.get(key);
    if (!members) known.set(key, (members = new Set()));
    members.add(value);
  };
  const removeFromIndex = async (key: string, values: string[]): Promise<void> => {
    const drop = new Set(values);
    for (const v of values) known.get(key)?.delete(v);
    await update<string[]>(key, (cur) => {
      if (cur === undefined) return UNCHANGED;
      const next = cur.filter((v) => !drop.has(v));
      if (next.length === 0) return undefined;
      return next.length === cur.length ? UNCHANGED : next;
    });
  };

  type SeenMap = Record<string, number>;
  const seenKey = (feed: string) => `seen:${shortHash(feed, 16)}`;
  /** Adds the ids not seen yet (in place); true when one was added. */
  const markIn = (map: SeenMap, ids: string[], now: Date): boolean => {
    let added = false;
    for (const id of ids) {
      if (id in map) continue;
      map[id] = now.getTime();
      added = true;
    }
    return added;
  };
  /** The map without ids first seen before the cutoff and not in `keep`, or UNCHANGED when none is dropped. */
  const pruned = (map: SeenMap, cutoff: Date, keep: Set<string>): SeenMap | typeof UNCHANGED => {
    const entries = Object.entries(map);
    const kept = entries.filter(([id, at]) => at >= cutoff.getTime() || keep.has(id));
    if (kept.length === entries.length) return UNCHANGED;
    const out: SeenMap = {};
    for (const [id, at] of kept) out[id] = at;
    return out;
  };
  const seen: SeenStore = {
    async filterSeen(feed, ids) {
      const map = (await get<SeenMap>(seenKey(feed))) ?? {};
      return new Set(ids.filter((id) => id in map));
    },
    // The two halves of markSeenAndPrune on their own: a cutoff at the epoch drops nothing, and no ids mark nothing.
    markSeen: (feed, ids, now) => seen.markSeenAndPrune(feed, ids, now, new Date(0), new Set()),
    prune: (feed, cutoff, keep) => seen.markSeenAndPrune(feed, [], cutoff, cutoff, keep),
    async markSeenAndPrune(feed, ids, now, cutoff, keep) {
      await update<SeenMap>(seenKey(feed), (cur) => {
        if (!cur && ids.length === 0) return UNCHANGED;
        const map = cur ?? {};
        const added = markIn(map, ids, now);
        const next = pruned(map, cutoff, keep);
        if (next !== UNCHANGED) return next;
        return added ? map : UNCHANGED;
      });
    },
  };

  const feeds: FeedStateStore = {
    get: (source) => get<FeedState>(`feed:${shortHash(source, 16)}`),
    async put(state) {
      await set(`feed:${shortHash(state.source, 16)}`, state);
      await addToIndex('feeds:index', state.source);
    },
    async list() {
      const sources = (await get<string[]>('feeds:index')) ?? [];
      const states = await getMany<FeedState>(sources.map((s) => `feed:${shortHash(s, 16)}`));
      return states.filter((s): s is FeedState => s !== undefined);
    },
  };

  const items: ItemStore = {
    get: (id) => get<ItemRecord>(`item:${id}`),
    put: (record) => items.putMany([record]),
    async putMany(records) {
      // Indexed by day and feed, so a list stays as small as one feed's items of one day, and a batch
      // costs one index update per list however many items it holds.
      const lists = new Map<string, string[]>();
      for (const record of records) {
        await set(`item:${record.item.id}`, record);
        if (record.item.link) await set(`link:${shortHash(record.item.link, 20)}`, record.item.id);
        const key = `${dayOf(record.seenAt)}:${shortHash(record.item.feed, 12)}`;
        lists.set(key, [...(lists.get(key) ?? []), record.item.id]);
      }
      for (const [key, ids] of lists) {
        const [day = '', feed = ''] = key.split(':');
        await addToSet(`items:day:${day}:${feed}`, ids);
        await addToIndex(`items:dayfeeds:${day}`, feed);
        await addToIndex('items:days', day);
      }
    },
    async getByLink(link) {
      const id = await get<string>(`link:${shortHash(link, 20)}`);
      return id ? get<ItemRecord>(`item:${id}`) : undefined;
    },
    async delete(id) {
      const rec = await get<ItemRecord>(`item:${id}`);
      if (rec?.item.link) await keyv.delete(`link:${shortHash(rec.item.link, 20)}`);
      await keyv.delete(`item:${id}`);
    },
    async pruneBefore(cutoff) {
      const limit = dayOf(cutoff.toISOString());
      const old = ((await get<string[]>('items:days')) ?? []).filter((d) => d < limit);
      let n = 0;
      for (const day of old) {
        const feedsOfDay = (await get<string[]>(`items:dayfeeds:${day}`)) ?? [];
        for (const feed of feedsOfDay) {
          for (const id of (await get<string[]>(`items:day:${day}:${feed}`)) ?? []) {
            await items.delete(id);
            n += 1;
          }
          await keyv.delete(`items:day:${day}:${feed}`);
        }
        await removeFromIndex(`items:dayfeeds:${day}`, feedsOfDay);
      }
      if (old.length > 0) await removeFromIndex('items:days', old);
      return n;
    },
  };

  const storyDays = async (): Promise<string[]> => ((await get<string[]>('stories:days')) ?? []).slice().sort();
  const stories: StoryStore = {
    get: (id) => get<Story>(`story:${id}`),
    async put(story) {
      await set(`story:${story.id}`, story);
      // Filed under the day it was first seen; after the first write this costs no store round trip.
      const day = dayOf(story.firstSeen);
      await addToIndex(`stories:day:${day}`, story.id);
      await addToIndex('stories:days', day);
    },
    async recent(limit) {
      const out: Story[] = [];
      const days = (await storyDays()).reverse();
      for (const day of days) {
        const batch = await stories.byDays([day]);
        batch.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
        out.push(...batch);
        if (out.length >= limit) break;
      }
      return out.slice(0, limit);
    },
    async byDays(days) {
      const ids = (await getMany<string[]>(days.map((d) => `stories:day:${d}`))).flatMap((l) => l ?? []);
      return (await getMany<Story>(ids.map((id) => `story:${id}`))).filter((s): s is Story => s !== undefined);
    },
    days: storyDays,
    async deleteDay(day) {
      const ids = (await get<string[]>(`stories:day:${day}`)) ?? [];
      for (const id of ids) await keyv.delete(`story:${id}`);
      await keyv.delete(`stories:day:${day}`);
      known.delete(`stories:day:${day}`);
      await removeFromIndex('stories:days', [day]);
    },
  };

  // Figures are kept per metric in monthly buckets (by the report's date): adding one rewrites one month.
  const figureKey = (f: SourcedFigure) => `${f.itemId}|${f.quote}|${f.value}`;
  const monthsOf = async (metric: Metric) => ((await get<string[]>(`figures:months:${metric}`)) ?? []).slice().sort();
  const figures: FigureRegistry = {
    async add(list) {
      const buckets = new Map<string, SourcedFigure[]>();
      for (const f of list) {
        const bucket = `${f.metric}|${f.date.slice(0, 7)}`;
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), f]);
      }
      for (const [bucket, add] of buckets) {
        const [metric = '', month = ''] = bucket.split('|');
        await update<SourcedFigure[]>(`figures:${metric}:${month}`, (cur) => {
          const have = new Set((cur ?? []).map(figureKey));
          const next = [...(cur ?? []), ...add.filter((f) => !have.has(figureKey(f)))];
          next.sort((a, b) => a.date.localeCompare(b.date));
          const capped = next.slice(-FIGURE_HISTORY_CAP);
          return cur !== undefined && sameList(capped, cur) ? UNCHANGED : capped;
        });
        await addToIndex(`figures:months:${metric}`, month);
        await addToIndex('figures:metrics', metric);
      }
    },
    async history(metric) {
      const months = await monthsOf(metric);
      const lists = await getMany<SourcedFigure[]>(months.map((m) => `figures:${metric}:${m}`));
      return lists.flatMap((l) => l ?? []);
    },
    async metrics() {
      return (await get<Metric[]>('figures:metrics')) ?? [];
    },
    async prune(cutoff) {
      const iso = cutoff.toISOString();
      const month = iso.slice(0, 7);
      for (const metric of await figures.metrics()) {
        const months = await monthsOf(metric);
        const gone = months.filter((m) => m < month);
        for (const m of gone) await keyv.delete(`figures:${metric}:${m}`);
        if (gone.length > 0) await removeFromIndex(`figures:months:${metric}`, gone);
        if (months.includes(month)) {
          await update<SourcedFigure[]>(`figures:${metric}:${month}`, (cur) => {
            const kept = (cur ?? []).filter((f) => f.date >= iso);
            return cur !== undefined && kept.length === cur.length ? UNCHANGED : kept;
          });
        }
      }
    },
  };

  const emptyGuild = (guildId: string): GuildSettings => ({
    guildId,
    subscriptions: [],
    adminChannelId: null,
    addedFeeds: [],
    removedFeeds: [],
  });
  const guilds: GuildStore = {
    async get(guildId) {
      return (await get<GuildSettings>(`guild:${guildId}`)) ?? emptyGuild(guildId);
    },
    async put(settings) {
      await set(`guild:${settings.guildId}`, settings);
      await addToIndex('guilds:index', settings.guildId);
    },
    async list() {
      const ids = (await get<string[]>('guilds:index')) ?? [];
      return (await getMany<GuildSettings>(ids.map((id) => `guild:${id}`))).filter(
        (g): g is GuildSettings => g !== undefined,
      );
    },
  };

  const outbox: OutboxStore = {
    get: (key) => get<OutboxEntry>(`outbox:${key}`),
    async put(entry) {
      await set(`outbox:${entry.key}`, entry);
      const open = entry.status === 'pending';
      await update<string[]>('outbox:pending', (cur) => {
        const list = (cur ?? []).filter((k) => k !== entry.key);
        if (open) list.push(entry.key);
        return cur !== undefined && sameList(list, cur) ? UNCHANGED : list;
      });
      const waits = entry.status === 'digest';
      await update<string[]>(`outbox:digest:${entry.channelId}`, (cur) => {
        const list = (cur ?? []).filter((k) => k !== entry.key);
        if (waits) list.push(entry.key);
        if (list.length === 0) return cur === undefined ? UNCHANGED : undefined;
        return cur !== undefined && sameList(list, cur) ? UNCHANGED : list;
      });
    },
    async awaitingDigest(channelId) {
      const keys = (await get<string[]>(`outbox:digest:${channelId}`)) ?? [];
      return (await getMany<OutboxEntry>(keys.map((k) => `outbox:${k}`))).filter(
        (e): e is OutboxEntry => e !== undefined && e.status === 'digest',
      );
    },
    async pending() {
      const keys = (await get<string[]>('outbox:pending')) ?? [];
      const entries = await getMany<OutboxEntry>(keys.map((k) => `outbox:${k}`));
      return entries
        .filter((e): e is OutboxEntry => e !== undefined && e.status === 'pending')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  };

  const meta: MetaStore = {
    get: (key) => get(`meta:${key}`),
    set: (key, value, ttlMs) => set(`meta:${key}`, value, ttlMs),
    async delete(key) {
      await keyv.delete(`meta:${key}`);
    },
  };

  return {
    seen,
    feeds,
    items,
    stories,
    figures,
    guilds,
    outbox,
    meta,
    lease: backend.lease,
    backend: backend.name,
    async close() {
      await keyv.disconnect().catch(() => undefined);
    },
  };
}

interface RedisClientLike {
  connect(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<void>;
  readonly isOpen: boolean;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  off(event: 'error', listener: (err: unknown) => void): unknown;
}

/**
 * Connects once: a store that refuses the connection, fails the handshake or does not answer within
 * REDIS_CONNECT_TIMEOUT_MS fails the start with one line, instead of node-redis retrying forever while the
 * command hangs. After start-up node-redis reconnects by itself.
 */
async function connectRedisOnce(client: RedisClientLike, url: string): Promise<void> {
  let onError: ((err: unknown) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = (err: unknown) => reject(err instanceof Error ? err : new Error(String(err)));
    client.on('error', onError);
    timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)), REDIS_CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      client.connect().catch((err: unknown) => {
        // connect() rejects when already connecting/connected; only a real failure matters.
        if (!client.isOpen) throw err;
      }),
      failed,
    ]);
  } catch (err) {
    if (client.destroy) client.destroy();
    else await client.disconnect?.().catch(() => undefined);
    const msg = err instanceof Error ? err.message : String(err);
    throw new StoreError(`cannot reach the store (${describeStoreUrl(url)}): ${msg || 'connection failed'}`, { cause: err });
  } finally {
    clearTimeout(timer);
    if (onError) client.off('error', onError);
  }
}
