import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../src/core/credentials.js';
import { feedHealthText } from '../../src/discord/render.js';

describe('withoutCredentials', () => {
  it('removes the login of every http(s) URL in a text and leaves the rest', () => {
    expect(withoutCredentials('HTTP 503 from http://advocacy:hunter2@news.example/members.xml, retrying')).toBe(
      'HTTP 503 from http://news.example/members.xml, retrying',
    );
    expect(withoutCredentials('https://token@a.example/f and HTTPS://u:p@b.example:8443/g?x=1')).toBe('https://a.example/f and HTTPS://b.example:8443/g?x=1');
    // An "@" in a path or a mail address is not a login.
    expect(withoutCredentials('https://a.example/@user/feed, mail ops@example.org')).toBe('https://a.example/@user/feed, mail ops@example.org');
  });

  it('keeps a stored error with a login out of the feed health members read', () => {
    const text = feedHealthText(
      { source: 'x', consecutiveFailures: 2, lastError: 'HTTP 503 Service Unavailable from http://advocacy:hunter2@news.example/m.xml', lastSuccess: null, lastAttempt: '2026-01-01T00:00:00.000Z' } as never,
      new Date('2026-01-01T01:00:00.000Z'),
    );
    expect(text).not.toContain('hunter2');
    expect(text).toContain('news.example/m.xml');
  });
});
