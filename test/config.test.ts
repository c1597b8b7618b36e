// loadConfig as the one reader of the environment: defaults, FEEDS and the feed list it yields, empty values,
// one readable error for every bad key, .env.example kept in step with the schema, and where the default store lives.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCore, defaultFeeds, feedsToPoll } from '../src/app.js';
import { CONFIG_KEYS, ConfigError, loadConfig, type Config } from '../src/config.js';
import { DEFAULT_FEEDS } from '../src/feeds/sources.js';
import { silentLogger } from '../src/log.js';
import { REPO_ROOT } from './support/processes.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-config-'));

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The feeds the poller would fetch for this config, on an empty in-memory store (no server has changed its list). */
async function polledFeeds(config: Config): Promise<string[]> {
  const core = await buildCore(config, silentLogger, { memory: true });
  try {
    return await feedsToPoll(core.stores, core.defaultFeeds);
  } finally {
    await core.stores.close();
  }
}

/** The ConfigError thrown for `env` (fails the test if loadConfig accepts it). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** KEY=value assignments of .env.example, commented out or not, in file order. */
function envExampleAssignments(): Array<{ key: string; value: string; commented: boolean }> {
  const text = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
  const out: Array<{ key: string; value: string; commented: boolean }> = [];
  for (const line of text.split(/\r?\n/u)) {
    const m = /^\s*(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/u.exec(line);
    if (!m) continue;
    out.push({ key: m[2] ?? '', value: (m[3] ?? '').trim().replace(/^"(.*)"$/u, '$1'), commented: m[1] !== undefined });
  }
  return out;
}

describe('loadConfig defaults', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe('./data');
    expect(c.logLevel).toBe('info');
    expect(c.storeUrl).toBeNull();
    expect(c.feedMaxBytes).toBe(5 * 1024 * 1024);
    expect(c.feeds).toBeNull();
    expect(c.discordToken).toBeNull();
    expect(c.allowPrivateFeeds).toBe(false);
  });

  it('polls the built-in default feed list when FEEDS is unset', async () => {
    const c = loadConfig({});
    expect(defaultFeeds(c)).toEqual([...DEFAULT_FEEDS]);
    expect(await polledFeeds(c)).toEqual([...DEFAULT_FEEDS]);
  });

  it('ignores variables that are not configuration keys', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', LOG_LEVEL_X: 'loud' })).toEqual(loadConfig({}));
  });
});

describe('FEEDS', () => {
  it('splits on commas, trims, and drops empty entries', () => {
    expect(loadConfig({ FEEDS: 'a, b,,c' }).feeds).toEqual(['a', 'b', 'c']);
  });

  it('replaces the default feed list as the poller resolves it', async () => {
    const c = loadConfig({ FEEDS: 'a, b,,c' });
    expect(defaultFeeds(c)).toEqual(['a', 'b', 'c']);
    const polled = await polledFeeds(c);
    expect(polled).toEqual(['a', 'b', 'c']);
    for (const feed of DEFAULT_FEEDS) expect(polled).not.toContain(feed);
  });

  it('made only of separators and blanks counts as unset: the defaults apply', async () => {
    const c = loadConfig({ FEEDS: ' , ,, ' });
    expect(c.feeds).toBeNull();
    expect(await polledFeeds(c)).toEqual([...DEFAULT_FEEDS]);
  });
});

describe('empty values', () => {
  it('count as unset for every key (empty or whitespace only)', () => {
    const defaults = loadConfig({});
    const empty = Object.fromEntries(CONFIG_KEYS.map((k) => [k, '']));
    const blank = Object.fromEntries(CONFIG_KEYS.map((k) => [k, '   ']));
    expect(loadConfig(empty)).toEqual(defaults);
    expect(loadConfig(blank)).toEqual(defaults);
  });
});

describe('invalid configuration', () => {
  it('reports every bad key at once, in one line', () => {
    const bad = { LOG_LEVEL: 'loud', STORE_URL: 'ftp://x', FETCH_TIMEOUT_MS: 'abc', FEED_MAX_BYTES: '1' };
    const err = configError({ ...bad, DATA_DIR: '/srv/cw', POLL_CRON: '*/10 * * * *' });
    expect(err.name).toBe('ConfigError');
    expect(err.message).not.toMatch(/[\r\n]/u);
    for (const key of Object.keys(bad)) expect(err.message).toContain(key);
    // Keys with good values are not blamed.
    expect(err.message).not.toContain('DATA_DIR');
    expect(err.message).not.toContain('POLL_CRON');
  });

  it('reads LOG_LEVEL in any case and with spaces around it, and says what it may be', () => {
    expect(loadConfig({ LOG_LEVEL: ' DEBUG ' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'Warn' }).logLevel).toBe('warn');
    expect(configError({ LOG_LEVEL: 'loud' }).message).toContain('LOG_LEVEL must be one of debug, info, warn, error, silent');
  });

  it('names a single bad key on its own', () => {
    const err = configError({ FEED_MAX_BYTES: String(512 * 1024 * 1024) });
    expect(err.message).toContain('FEED_MAX_BYTES');
    expect(err.message).not.toMatch(/[\r\n]/u);
  });
});

describe('.env.example', () => {
  it('documents exactly the keys loadConfig reads', () => {
    const documented = new Set(envExampleAssignments().map((a) => a.key));
    const missing = CONFIG_KEYS.filter((k) => !documented.has(k));
    const unknown = [...documented].filter((k) => !CONFIG_KEYS.includes(k));
    expect(missing, 'keys in CONFIG_KEYS but not in .env.example').toEqual([]);
    expect(unknown, 'keys in .env.example but not in CONFIG_KEYS').toEqual([]);
    expect(CONFIG_KEYS).toContain('FEED_MAX_BYTES');
  });

  it('holds values loadConfig accepts, equal to the defaults', () => {
    const env = Object.fromEntries(envExampleAssignments().filter((a) => !a.commented).map((a) => [a.key, a.value]));
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });
});

describe('default store', () => {
  it('is a SQLite file inside DATA_DIR (created if missing)', async () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    expect(existsSync(dataDir)).toBe(false);
    const core = await buildCore(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger);
    try {
      expect(core.stores.backend).toBe('sqlite');
      await core.stores.meta.set('config-test', 1);
    } finally {
      await core.stores.close();
    }
    const file = path.join(dataDir, 'compound-watch.sqlite');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    // Nothing is written next to DATA_DIR.
    expect(readdirSync(tmp)).toEqual(['nested']);
  });
});
