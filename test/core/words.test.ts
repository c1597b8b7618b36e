import { describe, expect, it } from 'vitest';
import { counted } from '../../src/core/words.js';

describe('counted', () => {
  it('puts the noun in the number the count takes, with thousands separated', () => {
    expect(counted(1, 'item')).toBe('1 item');
    expect(counted(0, 'feed')).toBe('0 feeds');
    expect(counted(2, 'report')).toBe('2 reports');
    expect(counted(1, 'story', 'stories')).toBe('1 story');
    expect(counted(1_003, 'story', 'stories')).toBe('1,003 stories');
  });
});
