// The command line as a person types it: help for every command, and every mistake one line and status 2,
// decided before anything else (the configuration, a store, Discord) is touched.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/compound-watch.mjs');

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      // A bad LOG_LEVEL: usage mistakes must be reported before the configuration is read.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'loud', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('compound-watch arguments', () => {
  it('prints the help for `help`, --help and -h, after any command', async () => {
    for (const args of [['help'], ['--help'], ['-h'], ['analyze', '--help'], ['poll', '-h'], ['run', '--help'], ['deploy-commands', '--help']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/^compound-watch — /u);
      expect(r.stdout).toContain('compound-watch analyze SOURCE…');
      expect(r.stderr).toBe('');
    }
  });

  it.each([
    [['frobnicate'], /^compound-watch: unknown command "frobnicate"/u],
    [['run', 'now'], /^compound-watch: run takes no arguments, got "now"$/u],
    [['poll', '--once', 'extra'], /^compound-watch: poll takes no arguments, got "extra"$/u],
    [['deploy-commands', '123456789012345678'], /^compound-watch: deploy-commands takes no arguments, got "123456789012345678" \(a server id goes after --guild\)$/u],
    [['deploy-commands', '--guild', ''], /^compound-watch: --guild takes a server id \(17 to 20 digits\), got ""; leave --guild out to register globally$/u],
    [['deploy-commands', '--guild', 'abc'], /^compound-watch: --guild takes a server id/u],
    [['analyze', '--once', 'feed.xml'], /^compound-watch: analyze takes no --once/u],
    [['run', '--json'], /^compound-watch: run takes no --json/u],
    [['poll', '--verbose'], /^compound-watch: Unknown option '--verbose' \(try: compound-watch help\)$/u],
  ])('%j is a usage error: one line, status 2, nothing done', async (args, message) => {
    const r = await cli(args, { DISCORD_TOKEN: 'not-used' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});
