// A store that cannot be opened or reached ends the start with one line naming the store, never a hang or a
// password, and the STORE_URL forms for SQLite name the file a user means.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStores, StoreError } from '../../src/store/keyv-store.js';
import { describeStoreUrl, sqliteFile } from '../../src/store/url.js';

async function openError(storeUrl: string | null, dataDir = tmpdir()): Promise<StoreError> {
  try {
    const stores = await openStores({ storeUrl, dataDir });
    await stores.close();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error(`opened ${storeUrl ?? dataDir}`);
}

describe('opening a store that is not there', () => {
  it('fails at once for a Redis that refuses the connection, naming it without the password', async () => {
    const started = Date.now();
    const err = await openError('redis://someone:s3cret@127.0.0.1:1/0');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.message).toMatch(/^cannot reach the store \(redis:\/\/127\.0\.0\.1:1\/0\): .*ECONNREFUSED/u);
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toContain('\n');
  });

  it('fails for a PostgreSQL that refuses the connection, naming it', async () => {
    const err = await openError('postgres://127.0.0.1:1/test');
    expect(err.message).toMatch(/^cannot open the store \(postgres:\/\/127\.0\.0\.1:1\/test\): .*ECONNREFUSED/u);
  });

  it('says when DATA_DIR is a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-open-'));
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect((await openError(null, file)).message).toBe(`cannot open the store: ${file} is a file, not a directory (check DATA_DIR or STORE_URL)`);
  });
});

describe('STORE_URL for SQLite', () => {
  it('names an absolute or a relative file in every usual spelling', () => {
    expect(sqliteFile('sqlite:///var/lib/cw/store.sqlite')).toBe('/var/lib/cw/store.sqlite');
    expect(sqliteFile('sqlite:/var/lib/cw/store.sqlite')).toBe('/var/lib/cw/store.sqlite');
    expect(sqliteFile('sqlite://data/store.sqlite')).toBe('data/store.sqlite');
    expect(sqliteFile('sqlite:store.sqlite')).toBe('store.sqlite');
    expect(() => sqliteFile('sqlite://')).toThrow(/names no SQLite file/u);
    expect(() => sqliteFile('sqlite:///var/lib/cw/')).toThrow(/names no SQLite file/u);
  });

  it('is refused at start-up when it names no file, with the other problems', () => {
    expect(() => loadConfig({ STORE_URL: 'sqlite://', LOG_LEVEL: 'loud' })).toThrow(/STORE_URL names no SQLite file.*LOG_LEVEL|LOG_LEVEL.*STORE_URL names no SQLite file/u);
  });

  it('shows a store in messages without credentials', () => {
    expect(describeStoreUrl('postgres://user:pw@db.example:5432/cw')).toBe('postgres://db.example:5432/cw');
    expect(describeStoreUrl('rediss://:pw@cache.example:6380')).toBe('rediss://cache.example:6380');
    expect(describeStoreUrl('sqlite:///var/lib/cw/store.sqlite')).toBe('sqlite:/var/lib/cw/store.sqlite');
  });
});
