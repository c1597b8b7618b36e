// Stopping the bot in the middle of a staggered poll cycle (feeds spread over half the poll interval) ends the
// waits at once: the process exits in moments, not minutes, and no feed is marked as failing for it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';
import type { Fetcher } from '../../src/pipeline/poll-cycle.js';

describe('shutdown during a staggered poll cycle', () => {
  it('stops within moments, fetches nothing more and records no failure', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-shutdown-'));
    const feeds = ['https://a.example/feed', 'https://b.example/feed', 'https://c.example/feed'];
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', FEEDS: feeds.join(',') });
    let fetches = 0;
    const fetch: Fetcher = async () => {
      fetches++;
      throw new Error('no fetch expected');
    };
    const bot = await startBot(config, silentLogger, { schedule: false, staggerMs: 10 * 60_000, fetch, stdout: () => undefined });
    const cycle = bot.cycle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const states = bot.core.stores.feeds;
    const stopping = bot.stop();
    const result = await cycle;
    const before = await Promise.all(feeds.map((f) => states.get(f)));
    await stopping;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fetches).toBe(0);
    expect(result?.feeds.map((f) => f.status)).toEqual(['not_due', 'not_due', 'not_due']);
    for (const state of before) expect(state?.consecutiveFailures ?? 0).toBe(0);
  });

  it('cuts a fetch in flight short without counting it against the feed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-shutdown-'));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', FEEDS: 'https://slow.example/feed' });
    const fetch: Fetcher = (_source, options) =>
      new Promise((_, reject) => {
        options.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
      });
    const bot = await startBot(config, silentLogger, { schedule: false, staggerMs: 0, fetch, stdout: () => undefined });
    const cycle = bot.cycle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopping = bot.stop();
    const result = await cycle;
    const state = await bot.core.stores.feeds.get('https://slow.example/feed');
    await stopping;
    expect(result?.feeds.map((f) => f.status)).toEqual(['not_due']);
    expect(state?.consecutiveFailures ?? 0).toBe(0);
    expect(state?.lastError ?? null).toBeNull();
  });
});
