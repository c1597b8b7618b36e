// The poll cycle against a local feed server and a real store: conditional GET, per-feed errors that
// never stop the other feeds, health and backoff, and seen ids that survive a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCore, type Core } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { backoffMs, MAX_BACKOFF_MS, runPollCycle } from '../../src/pipeline/poll-cycle.js';
import { EVENT_RELEASE_A, EVENT_RELEASE_B, IRRELEVANT, rss } from '../support/articles.js';
import { gzipBombRoute, startFeedServer, type FeedServer } from '../support/feed-server.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'cw-cycle-'));
let server: FeedServer;
let relevantBody = rss('Wire', [EVENT_RELEASE_A]);

beforeAll(async () => {
  server = await startFeedServer({
    '/good.xml': (req, res) => {
      const etag = `"${relevantBody.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(relevantBody);
    },
    '/irrelevant.xml': (req, res) => {
      const lm = 'Mon, 16 Mar 2026 10:00:00 GMT';
      if (req.headers['if-modified-since'] === lm) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'last-modified': lm }).end(rss('Other', IRRELEVANT));
    },
    '/html': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>hi</body></html>'),
    '/json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'),
    '/binary': (_req, res) => void res.writeHead(200).end(Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8])),
    '/truncated': (_req, res) => void res.writeHead(200).end(rss('T', [EVENT_RELEASE_A]).slice(0, 300)),
    '/xxe': (_req, res) =>
      void res
        .writeHead(200)
        .end('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>'),
    '/laughs': (_req, res) =>
      void res
        .writeHead(200)
        .end('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>'),
    '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
    '/slow': () => undefined, // never answers
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 7; i += 1) res.write(chunk);
      res.end();
    },
    '/bomb': gzipBombRoute(200, { 'content-type': 'application/rss+xml' }),
    '/latin1-wrong-header': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=iso-8859-1' })
        .end(Buffer.from(rss('Café', [{ ...EVENT_RELEASE_B, title: 'Embassy registers Indonesians — “freed” from compounds in Cambodia' }]), 'utf8')),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function core(dir: string): Promise<Core> {
  const config = loadConfig({ DATA_DIR: dir, FETCH_TIMEOUT_MS: '1500', LOG_LEVEL: 'silent', ALLOW_PRIVATE_FEEDS: 'true' });
  return buildCore(config, silentLogger);
}

describe('poll cycle', () => {
  it('fetches, keeps relevant items, then reuses validators: the second poll parses nothing and keeps nothing', async () => {
    const c = await core(path.join(tmp, 'a'));
    const sources = [server.url('/good.xml'), server.url('/irrelevant.xml')];
    const first = await runPollCycle(c.cycleDeps, sources);
    expect(first.feeds.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(first.feeds[0]?.records.filter((r) => r.relevance.relevant)).toHaveLength(1);
    expect(first.feeds[1]?.records.filter((r) => r.relevance.relevant)).toHaveLength(0);
    expect(first.feeds.every((f) => f.firstPoll)).toBe(true);

    const second = await runPollCycle(c.cycleDeps, sources, { force: true });
    expect(second.feeds.map((f) => f.status)).toEqual(['not_modified', 'not_modified']);
    expect(second.feeds.flatMap((f) => f.records)).toHaveLength(0);
    expect(server.lastHeaders('/good.xml')?.['if-none-match']).toBe(`"${relevantBody.length}"`);
    expect(server.lastHeaders('/irrelevant.xml')?.['if-modified-since']).toBe('Mon, 16 Mar 2026 10:00:00 GMT');
    const state = await c.stores.feeds.get(server.url('/good.xml'));
    expect(state?.lastSuccess).not.toBeNull();
    expect(state?.consecutiveFailures).toBe(0);
    await c.stores.close();
  });

  it('gives each broken feed a clear one-line error while the good feed in the same run succeeds', async () => {
    const c = await core(path.join(tmp, 'b'));
    const bad = ['/html', '/json', '/binary', '/truncated', '/xxe', '/laughs', '/loop', '/slow', '/huge', '/bomb', '/missing'];
    const before = process.memoryUsage().rss;
    const result = await runPollCycle(c.cycleDeps, [server.url('/good.xml'), ...bad.map((p) => server.url(p))]);
    const byPath = new Map(result.feeds.map((f) => [new URL(f.source).pathname, f]));
    expect(byPath.get('/good.xml')?.status).toBe('ok');
    const expectations: Record<string, RegExp> = {
      '/html': /HTML/iu,
      '/json': /JSON/iu,
      '/binary': /binary|not.*feed/iu,
      '/truncated': /XML|truncated|invalid/iu,
      '/xxe': /entit/iu,
      '/laughs': /entit/iu,
      '/loop': /redirect/iu,
      '/slow': /timed out|timeout/iu,
      '/huge': /MiB|too large|exceeds/iu,
      '/bomb': /MiB|too large|exceeds/iu,
      '/missing': /404/u,
    };
    for (const p of bad) {
      const f = byPath.get(p);
      expect(f?.status, p).toBe('error');
      expect(f?.error, p).toMatch(expectations[p] ?? /./u);
      expect(f?.error?.includes('\n'), p).toBe(false);
      expect(f?.error ?? '', p).not.toMatch(/root:|lollollol/u);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    const health = await c.stores.feeds.get(server.url('/html'));
    expect(health?.consecutiveFailures).toBe(1);
    expect(health?.lastError).toMatch(/HTML/iu);
    expect(Date.parse(health?.nextDue ?? '')).toBeGreaterThan(Date.now());
    await c.stores.close();
  });

  it('decodes a body whose charset header is wrong', async () => {
    const c = await core(path.join(tmp, 'c'));
    const result = await runPollCycle(c.cycleDeps, [server.url('/latin1-wrong-header')]);
    expect(result.feeds[0]?.status).toBe('ok');
    expect(result.feeds[0]?.records[0]?.item.title).toBe('Embassy registers Indonesians — “freed” from compounds in Cambodia');
    await c.stores.close();
  });

  it('refuses private addresses unless ALLOW_PRIVATE_FEEDS is set', async () => {
    const config = loadConfig({ DATA_DIR: path.join(tmp, 'e'), LOG_LEVEL: 'silent' });
    const c = await buildCore(config, silentLogger);
    const before = server.count('/good.xml');
    const result = await runPollCycle(c.cycleDeps, [server.url('/good.xml')]);
    expect(result.feeds[0]?.status).toBe('error');
    expect(result.feeds[0]?.error).toMatch(/127\.0\.0\.1.*loopback/u);
    expect(server.count('/good.xml')).toBe(before);
    await c.stores.close();
  });

  it('backs off exponentially, capped at one day', () => {
    expect(backoffMs(0)).toBe(0);
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    expect(backoffMs(3)).toBe(4 * backoffMs(1));
    expect(backoffMs(50)).toBe(MAX_BACKOFF_MS);
    expect(MAX_BACKOFF_MS).toBe(24 * 60 * 60 * 1000);
  });

  it('stamps the items of one fetch with one time, taken after the fetch, however long judging them takes', async () => {
    // A clock that moves a second at every reading: a reading per item would give each item its own stamp.
    let t = Date.parse('2026-03-16T12:00:00.000Z');
    const now = () => new Date((t += 1000));
    const config = loadConfig({ DATA_DIR: path.join(tmp, 'f'), LOG_LEVEL: 'silent', ALLOW_PRIVATE_FEEDS: 'true' });
    const c = await buildCore(config, silentLogger, { now });
    const result = await runPollCycle(c.cycleDeps, [server.url('/irrelevant.xml'), server.url('/good.xml')]);
    expect(result.feeds[0]?.records.length).toBe(IRRELEVANT.length);
    expect(result.feeds[1]?.records.filter((r) => r.relevance.relevant)).toHaveLength(1);
    for (const feed of result.feeds) {
      const stamps = [...new Set(feed.records.map((r) => r.seenAt))];
      expect(stamps, feed.source).toHaveLength(1);
      expect(stamps[0]! > result.startedAt && stamps[0]! < result.finishedAt, feed.source).toBe(true);
    }
    await c.stores.close();
  });

  it('remembers seen ids across a restart: only new entries are new', async () => {
    const dir = path.join(tmp, 'd');
    relevantBody = rss('Wire', [EVENT_RELEASE_A]);
    let c = await core(dir);
    const first = await runPollCycle(c.cycleDeps, [server.url('/good.xml')]);
    expect(first.feeds[0]?.newItems).toBe(1);
    await c.stores.close();

    relevantBody = rss('Wire', [EVENT_RELEASE_B, EVENT_RELEASE_A]);
    c = await core(dir);
    const second = await runPollCycle(c.cycleDeps, [server.url('/good.xml')], { force: true });
    expect(second.feeds[0]?.status).toBe('ok');
    expect(second.feeds[0]?.firstPoll).toBe(false);
    expect(second.feeds[0]?.newItems).toBe(1);
    expect(second.feeds[0]?.records.map((r) => r.item.title)).toEqual([EVENT_RELEASE_B.title]);
    // The second outlet's report joins the story of the first.
    const storyIds = new Set([first.feeds[0]?.records[0]?.storyId, second.feeds[0]?.records[0]?.storyId]);
    expect(storyIds.size).toBe(1);
    await c.stores.close();
  });
});
