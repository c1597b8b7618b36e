// The default set-up (SQLite) must never load the Redis client: @redis/client defines a subclass of String,
// and once that is loaded V8's string built-ins run slower for the whole process (see openBackend).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'cw-lazy-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Runs in a fresh process: a test worker may have loaded the Redis client for other suites.
const SCRIPT = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).some((f) => f.includes('/@redis/'));
const { buildCore } = await import('./src/app.js');
const { loadConfig } = await import('./src/config.js');
const { silentLogger } = await import('./src/log.js');
const core = await buildCore(loadConfig({ DATA_DIR: process.env.CW_DIR, LOG_LEVEL: 'silent' }), silentLogger);
const withSqlite = loaded();
await core.stores.close();
await import('@keyv/redis');
console.log(JSON.stringify({ withSqlite, afterImport: loaded() }));
`;

describe('store backends', () => {
  it('are loaded only when chosen: a SQLite bot never loads the Redis client', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: REPO_ROOT,
      env: { ...process.env, CW_DIR: dataDir },
    });
    // The second reading shows the check can see the client when it is there.
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ withSqlite: false, afterImport: true });
  }, 60_000);
});
