// Bot processes for durability tests: `node bin/compound-watch.mjs run` as a child process with a clean
// environment, its JSON log lines (stderr) collected and searchable, and ways to stop it politely (SIGTERM) or
// brutally (SIGKILL).
//
//   const bot = spawnBot({ DISCORD_TOKEN: 'x', DISCORD_API_BASE: fake.apiBase, FEEDS: url, DATA_DIR: dir });
//   await bot.waitForLog((l) => l.msg === 'poll cycle finished');
//   bot.kill('SIGKILL'); await bot.exited;
//   afterAll(() => killAll());                     // every process spawned here, whatever happened
//
// Each child is the leader of its own process group (detached), and signals go to the group: a
// ShardingManager's shard processes die with it instead of lingering as orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/compound-watch.mjs', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One parsed JSON log line (unparseable lines get `msg: ''` and keep the raw text). */
export interface LogLine {
  time?: string;
  level?: string;
  msg: string;
  raw: string;
  /** performance-independent receive time (Date.now()) in the test process. */
  receivedAt: number;
  [key: string]: unknown;
}

export interface BotProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every stderr line so far, parsed. */
  readonly logs: LogLine[];
  /** Everything written to stdout. */
  readonly stdout: string[];
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  readonly alive: boolean;
  /** Lines whose msg equals `msg`. */
  logged(msg: string): LogLine[];
  /** Resolves with the first line (already seen or future) matching `pred`; rejects on timeout or exit. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number, label?: string): Promise<LogLine>;
  /** Resolves once `pred` holds for `count` lines. */
  waitForLogCount(pred: (l: LogLine) => boolean, count: number, timeoutMs?: number, label?: string): Promise<void>;
  /** Sends a signal to the process group (the bot and any shard processes). */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once exited. */
  stop(graceMs?: number): Promise<number | string>;
  /** The last lines, for failure messages. */
  tail(n?: number): string;
}

const live = new Set<BotProcess>();

/** Variables passed through from the test's environment; everything else comes from `env`. */
const PASS_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SystemRoot'];

export interface SpawnOptions {
  name?: string;
  args?: string[];
  /** Mirror the child's stderr to the test's stderr (debugging). */
  echo?: boolean;
}

let counter = 0;

export function spawnBot(env: Record<string, string>, options: SpawnOptions = {}): BotProcess {
  counter += 1;
  const name = options.name ?? `bot${counter}`;
  const childEnv: Record<string, string> = {};
  for (const k of PASS_THROUGH) {
    const v = process.env[k];
    if (v !== undefined) childEnv[k] = v;
  }
  Object.assign(childEnv, { LOG_LEVEL: 'info', ALLOW_PRIVATE_FEEDS: 'true' }, env);
  const child = spawn(process.execPath, [BIN, ...(options.args ?? ['run'])], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
  const pid = child.pid;
  const logs: LogLine[] = [];
  const stdout: string[] = [];
  const listeners = new Set<() => void>();
  let alive = true;

  const notify = () => {
    for (const l of [...listeners]) l();
  };
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const raw of lines) {
      if (raw.trim() === '') continue;
      if (options.echo) process.stderr.write(`[${name}] ${raw}\n`);
      let parsed: Record<string, unknown> = {};
      try {
        const v: unknown = JSON.parse(raw);
        if (v && typeof v === 'object') parsed = v as Record<string, unknown>;
      } catch {
        // not JSON (a shard's stray output): kept raw
      }
      logs.push({ ...parsed, msg: typeof parsed['msg'] === 'string' ? parsed['msg'] : '', raw, receivedAt: Date.now() });
    }
    notify();
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => void stdout.push(chunk));

  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      live.delete(handle);
      notify();
      resolve(code ?? signal ?? 'unknown');
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone; try the process itself
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  };

  const tail = (n = 30) => logs.slice(-n).map((l) => l.raw).join('\n');

  const waitFor = (check: () => unknown, timeoutMs: number, label: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const listener = () => {
        if (check()) {
          cleanup();
          resolve();
        } else if (!alive) {
          cleanup();
          reject(new Error(`${name} exited while waiting for ${label}\n--- last log lines of ${name} ---\n${tail()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name}: timed out after ${timeoutMs} ms waiting for ${label}\n--- last log lines of ${name} ---\n${tail()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      listeners.add(listener);
      listener();
    });

  const handle: BotProcess = {
    name,
    pid,
    child,
    logs,
    stdout,
    exited,
    get alive() {
      return alive;
    },
    logged: (msg) => logs.filter((l) => l.msg === msg),
    async waitForLog(pred, timeoutMs = 20_000, label = 'a log line') {
      let found: LogLine | undefined;
      await waitFor(() => (found = logs.find(pred)), timeoutMs, label);
      if (!found) throw new Error('unreachable');
      return found;
    },
    async waitForLogCount(pred, count, timeoutMs = 20_000, label = `${count} log lines`) {
      await waitFor(() => logs.filter(pred).length >= count, timeoutMs, label);
    },
    kill(signal = 'SIGTERM') {
      if (alive) signalGroup(signal);
    },
    async stop(graceMs = 8_000) {
      if (!alive) return exited;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      // Shard processes of a manager live in the same group: make sure none is left behind.
      signalGroup('SIGKILL');
      return result;
    },
    tail,
  };
  live.add(handle);
  return handle;
}

/** Kills (SIGKILL, whole group) every process spawned by this module that is still running. */
export async function killAll(): Promise<void> {
  const all = [...live];
  for (const p of all) p.kill('SIGKILL');
  await Promise.all(all.map((p) => p.exited));
}

/** Stops (SIGTERM, then SIGKILL) every process spawned by this module that is still running. */
export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

/** Polls `check` every `intervalMs` until it holds; rejects with `label` (and `detail()`) on timeout. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  label: string,
  detail: () => string = () => '',
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}${detail() ? `\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One poll cycle of a process, from its log times. */
export interface Cycle {
  proc: string;
  start: number;
  end: number;
}

/**
 * Start/finish pairs of a process's poll cycles, from its log times. A "started" followed by another "started"
 * (two cycles overlapping in one log stream, as two shards polling at once would log) pairs only the later one,
 * so such a stream yields fewer cycles than "poll cycle finished" lines.
 */
export function cyclesOf(p: BotProcess): Cycle[] {
  const out: Cycle[] = [];
  let open: LogLine | null = null;
  for (const l of p.logs) {
    if (l.msg === 'poll cycle started') open = l;
    if (l.msg === 'poll cycle finished' && open) {
      out.push({ proc: p.name, start: Date.parse(open.time ?? ''), end: Date.parse(l.time ?? '') });
      open = null;
    }
  }
  return out;
}
