// The connect timeout of fetchSource, against a peer that never completes the TCP handshake.
//
// How the peer is made: a node:net server on 127.0.0.1 listens with a backlog of 1 inside a worker thread whose
// event loop is then blocked (Atomics.wait), so nothing is ever accept()ed. A few raw sockets fill the kernel's
// accept queue; after that Linux drops further SYNs, and a new connect neither succeeds nor fails: it hangs
// (the client keeps retransmitting its SYN). beforeAll checks that this really happens before anything else runs.
//
// fetchSource itself has no SSRF guard: the guard is only installed through `checkAddress` (fetchOptionsFor in
// src/app.ts, when ALLOW_PRIVATE_FEEDS is off), so a plain call may reach 127.0.0.1.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError, fetchSource } from '../../src/feeds/fetch.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer((socket) => socket.destroy());
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  // Block this thread's event loop until the test is done: no accept() happens meanwhile.
  Atomics.wait(new Int32Array(workerData), 0, 0);
  server.close();
});
`;

let worker: Worker;
let release: Int32Array;
let port = 0;
const sockets: net.Socket[] = [];

/** Opens a raw socket; resolves true if it connects within `ms`, false if it is still connecting then (kept open). */
function tryConnect(ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    const timer = setTimeout(() => {
      socket.off('connect', onConnect);
      resolve(false);
    }, ms);
    const onConnect = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('connect', onConnect);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<FeedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FeedError);
    return err as FeedError;
  }
  throw new Error('expected fetchSource to reject');
}

beforeAll(async () => {
  const shared = new SharedArrayBuffer(4);
  release = new Int32Array(shared);
  worker = new Worker(WORKER, { eval: true, workerData: shared });
  port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (p: number) => resolve(p));
    worker.once('error', reject);
  });
  // Fill the accept queue: each socket connects (the kernel completes the handshake) until the queue is full;
  // the first one that stays pending proves further connects hang.
  let connected = 0;
  for (;;) {
    if (!(await tryConnect(750))) break;
    connected += 1;
    if (connected > 16) throw new Error('the accept queue never filled: the never-accepting peer does not work here');
  }
  expect(connected).toBeGreaterThan(0);
}, 20_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  if (!worker) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  Atomics.store(release, 0, 1);
  Atomics.notify(release, 0);
  const timer = setTimeout(() => void worker.terminate(), 5_000);
  await exited;
  clearTimeout(timer);
});

describe('fetchSource connect timeout', () => {
  it('a further raw connect to the full peer hangs (the technique works)', async () => {
    expect(await tryConnect(1_000)).toBe(false);
  });

  it('rejects after connectTimeoutMs with a one-line FeedError naming the connect timeout', async () => {
    const started = Date.now();
    const err = await rejection(fetchSource(`http://127.0.0.1:${port}/feed.xml`, { connectTimeoutMs: 300, totalTimeoutMs: 10_000 }));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('connect to 127.0.0.1 timed out after 0.3 s');
    expect(err.message).not.toMatch(/[\r\n]/u);
    // The connect timeout fired, not the 10 s total one.
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('reports the total timeout instead when that one is shorter (the two are told apart)', async () => {
    const started = Date.now();
    const err = await rejection(fetchSource(`http://127.0.0.1:${port}/feed.xml`, { connectTimeoutMs: 10_000, totalTimeoutMs: 400 }));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timed out after 0.4 s');
    expect(elapsed).toBeLessThan(2_000);
  });
});
