// Which store backends a test run can reach. Redis and PostgreSQL are probed on their usual local
// ports (or REDIS_URL / POSTGRES_URL); each test run gets a fresh namespace so runs never collide.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { OpenStoreOptions } from '../../src/store/keyv-store.js';

export interface BackendTarget {
  name: 'memory' | 'sqlite' | 'redis' | 'postgres';
  options: OpenStoreOptions;
  /** Why it is skipped, or null when it runs. */
  skip: string | null;
}

export function reachable(url: string, timeoutMs = 500): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export function freshNamespace(): string {
  return `cwtest${randomBytes(4).toString('hex')}`;
}

export async function backendTargets(tmpDir: string): Promise<BackendTarget[]> {
  const namespace = freshNamespace();
  const [redisUp, pgUp] = await Promise.all([reachable(REDIS_URL), reachable(POSTGRES_URL)]);
  return [
    { name: 'memory', options: { storeUrl: null, dataDir: tmpDir, memory: true, namespace }, skip: null },
    {
      name: 'sqlite',
      options: { storeUrl: `sqlite://${path.join(tmpDir, 'contract.sqlite')}`, dataDir: tmpDir, namespace },
      skip: null,
    },
    {
      name: 'redis',
      options: { storeUrl: REDIS_URL, dataDir: tmpDir, namespace },
      skip: redisUp ? null : `no Redis at ${REDIS_URL}`,
    },
    {
      name: 'postgres',
      options: { storeUrl: POSTGRES_URL, dataDir: tmpDir, namespace },
      skip: pgUp ? null : `no PostgreSQL at ${POSTGRES_URL}`,
    },
  ];
}
