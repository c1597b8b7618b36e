// Politeness towards publishers: Retry-After on a 429 is obeyed, one host never sees more than two requests
// at once however many of its feeds are followed, and Cache-Control: max-age is honoured. Poll cycles are
// run directly (runPollCycle) with a clock the test moves, against a local feed server.
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCore, type Core } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { runPollCycle, type FeedOutcome } from '../../src/pipeline/poll-cycle.js';
import { EVENT_RAID, IRRELEVANT, rss } from '../support/articles.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-polite-'));
let server: FeedServer;
let core: Core;
const clock = { now: new Date('2026-03-10T12:00:00Z') };
const later = (t0: Date, seconds: number) => new Date(t0.getTime() + seconds * 1000);

const xml = rss('Polite', [EVENT_RAID, ...IRRELEVANT.slice(0, 1)]);
// The 200 feeds carry nothing relevant: this measures fetching, not the editorial step.
const quiet = rss('Quiet', IRRELEVANT);
const ok = (res: http.ServerResponse, headers: Record<string, string> = {}, body = xml) =>
  void res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers }).end(body);

async function cycle(sources: string[]): Promise<FeedOutcome[]> {
  return (await runPollCycle(core.cycleDeps, sources)).feeds;
}

beforeAll(async () => {
  server = await startFeedServer({
    '/limited.xml': (_req, res) =>
      void res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' }).end('slow down'),
    '/cached.xml': (_req, res) => ok(res, { 'cache-control': 'public, max-age=600' }),
  });
  const config = loadConfig({
    FEEDS: server.url('/cached.xml'),
    DATA_DIR: tmp,
    LOG_LEVEL: 'silent',
    ALLOW_PRIVATE_FEEDS: 'true',
  });
  core = await buildCore(config, silentLogger, { memory: true, now: () => clock.now });
});

afterAll(async () => {
  await core?.stores.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('politeness', () => {
  it('a feed answering 429 with Retry-After: 120 is not asked again before 120 s have passed', async () => {
    const url = server.url('/limited.xml');
    const t0 = new Date('2026-03-10T12:00:00Z');
    clock.now = t0;
    const [first] = await cycle([url]);
    expect(first?.status).toBe('error');
    expect(first?.error).toMatch(/429/u);
    expect(server.count('/limited.xml')).toBe(1);
    for (const s of [30, 60, 119]) {
      clock.now = later(t0, s);
      const [o] = await cycle([url]);
      expect(o?.status, `at +${s} s`).toBe('not_due');
      expect(server.count('/limited.xml'), `at +${s} s`).toBe(1);
    }
    clock.now = later(t0, 121);
    const [again] = await cycle([url]);
    expect(again?.status).toBe('error');
    expect(server.count('/limited.xml')).toBe(2);
  });

  it('200 feeds on one host never see more than 2 requests at once during a cycle', async () => {
    let active = 0;
    let max = 0;
    const paths = Array.from({ length: 200 }, (_, i) => `/many/${i}.xml`);
    for (const p of paths) {
      server.route(p, (_req, res) => {
        active += 1;
        max = Math.max(max, active);
        res.on('close', () => {
          active -= 1;
        });
        setTimeout(() => ok(res, {}, quiet), 30);
      });
    }
    clock.now = new Date('2026-03-10T13:00:00Z');
    const outcomes = await cycle(paths.map((p) => server.url(p)));
    expect(outcomes.filter((o) => o.status !== 'ok').map((o) => `${o.source}: ${o.status} ${o.error ?? ''}`)).toEqual([]);
    for (const p of paths) expect(server.count(p), p).toBe(1);
    expect(max).toBeLessThanOrEqual(2);
    // …and it does use both of its slots.
    expect(max).toBe(2);
  });

  it('Cache-Control: max-age=600 is honoured: not fetched again at +5 min, fetched at +11 min', async () => {
    const url = server.url('/cached.xml');
    const t0 = new Date('2026-03-10T14:00:00Z');
    clock.now = t0;
    const [first] = await cycle([url]);
    expect(first?.status).toBe('ok');
    expect(server.count('/cached.xml')).toBe(1);
    clock.now = later(t0, 5 * 60);
    const [early] = await cycle([url]);
    expect(early?.status).toBe('not_due');
    expect(server.count('/cached.xml')).toBe(1);
    clock.now = later(t0, 11 * 60);
    const [due] = await cycle([url]);
    expect(due?.status).toBe('ok');
    expect(server.count('/cached.xml')).toBe(2);
  });
});
