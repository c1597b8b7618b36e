import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('structured logger', () => {
  it('writes one JSON object per line with level, message and fields', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => void lines.push(l) }).child({ feed: 'f1' });
    log.debug('hidden');
    log.info('poll cycle finished', { feeds: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'poll cycle finished', feed: 'f1', feeds: 3 });
  });

  it('redacts a secret wherever it appears, even inside an error from a library', () => {
    const secret = 'MTEw.token-under-test.abc123';
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', secrets: [secret], write: (l) => void lines.push(l) });
    log.error('login failed', { err: new Error(`401 for Authorization: Bot ${secret}`), header: `Bot ${secret}` });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toContain('[redacted]');
  });
});
