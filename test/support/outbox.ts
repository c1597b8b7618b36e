// One outbox entry for store tests: a pending-or-sent story post in channel c1 of server g1, with the fields a
// test cares about given explicitly.
import type { OutboxEntry } from '../../src/store/ports.js';

export function outboxEntry(fields: Pick<OutboxEntry, 'key' | 'status'> & Partial<OutboxEntry>): OutboxEntry {
  return {
    guildId: 'g1',
    channelId: 'c1',
    kind: 'story',
    storyId: 's1',
    text: null,
    nonce: 'n1',
    messageId: null,
    sentVersion: 0,
    wantedVersion: 1,
    attempts: 0,
    lastError: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}
