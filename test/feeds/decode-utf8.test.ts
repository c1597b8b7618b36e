// decodeUtf8 must give exactly what Buffer#toString('utf8') gives, for any bytes: valid text of every kind,
// stray and truncated sequences, and runs split at every block edge.
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/feeds/decode.js';
import { rng } from '../support/random.js';

const PIECES = [
  'plain ASCII words and <tags> ',
  '\u2019',
  'é',
  '£',
  '柬埔寨',
  'កម្ពុជា',
  'กัมพูชา',
  '😀',
  '\n',
];
const BAD_BYTES = [[0xff], [0x80], [0xe2, 0x80], [0xf0, 0x9f, 0x98], [0xc3], [0xed, 0xa0, 0x80]];

function randomBytes(next: () => number, length: number, asciiShare: number): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < length) {
    const r = next();
    let chunk: Buffer;
    if (r < asciiShare) chunk = Buffer.from('x'.repeat(1 + Math.floor(next() * 900)), 'latin1');
    else if (r < asciiShare + 0.03) chunk = Buffer.from(BAD_BYTES[Math.floor(next() * BAD_BYTES.length)] ?? [0xff]);
    else chunk = Buffer.from(PIECES[Math.floor(next() * PIECES.length)] ?? '', 'utf8');
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

describe('decodeUtf8', () => {
  it('equals toString("utf8") on random mixes of ASCII, other scripts and malformed bytes', () => {
    const next = rng(20261122);
    for (let i = 0; i < 400; i++) {
      const bytes = randomBytes(next, 100 + Math.floor(next() * 20_000), [0.2, 0.6, 0.9, 0.99][i % 4] ?? 0.9);
      expect(decodeUtf8(bytes) === bytes.toString('utf8'), `mix ${i}`).toBe(true);
    }
  });

  it('equals toString("utf8") when a character or a malformed sequence sits on a 512-byte block edge', () => {
    for (const piece of [...PIECES.slice(1).map((p) => Buffer.from(p, 'utf8')), ...BAD_BYTES.map((b) => Buffer.from(b))]) {
      for (let offset = 505; offset <= 515; offset++) {
        const bytes = Buffer.concat([Buffer.alloc(offset, 0x61), piece, Buffer.alloc(3000, 0x62), piece, Buffer.alloc(700, 0x63)]);
        expect(decodeUtf8(bytes) === bytes.toString('utf8'), `${piece.toString('hex')} at ${offset}`).toBe(true);
      }
    }
  });

  it('handles all-ASCII, all-Thai, empty and short inputs', () => {
    for (const text of ['', 'a', 'plain '.repeat(2000), 'กัมพูชา '.repeat(2000), `${'a'.repeat(5000)}é`, `é${'a'.repeat(5000)}`]) {
      const bytes = Buffer.from(text, 'utf8');
      expect(decodeUtf8(bytes)).toBe(text);
    }
  });
});
