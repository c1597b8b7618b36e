// Stable hashes for ids and keys. SHA-1 is fine here: these are identifiers, not security boundaries.
import { hash } from 'node:crypto';

export function sha1Hex(s: string): string {
  // The one-shot form: a hasher object per item id cost more than the hashing itself.
  return hash('sha1', s, 'hex');
}

/** The first `n` hex characters of the SHA-1 of `s` (default 16: 64 bits, ample for per-deployment item ids). */
export function shortHash(s: string, n = 16): string {
  return sha1Hex(s).slice(0, Math.max(1, Math.min(40, n)));
}
