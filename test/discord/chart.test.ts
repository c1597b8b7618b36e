import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compactNumber, crc32, encodePng, PNG_SIGNATURE, renderHistoryChart } from '../../src/discord/chart.js';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    out.push({ type, data, crc: png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function decode(png: Buffer): { width: number; height: number; channels: number; raw: Buffer } {
  const list = chunks(png);
  const ihdr = list.find((c) => c.type === 'IHDR')!.data;
  const idat = Buffer.concat(list.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const channels = ihdr[9] === 6 ? 4 : 3;
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), channels, raw: inflateSync(idat) };
}

describe('renderHistoryChart', () => {
  const points = [
    { date: '2025-11-01T00:00:00.000Z', value: 80_000 },
    { date: '2026-01-05T00:00:00.000Z', value: 100_000 },
    { date: '2026-01-10T00:00:00.000Z', value: 100_000 },
  ];

  it('produces a valid PNG of the requested size that inflates to height × (1 + width × channels)', () => {
    const png = renderHistoryChart(points, { width: 400, height: 200, title: 'People held in compounds' });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of list) expect(c.crc).toBe(crc32(Buffer.concat([Buffer.from(c.type, 'latin1'), c.data])));
    const { width, height, channels, raw } = decode(png);
    expect([width, height]).toEqual([400, 200]);
    expect(raw.length).toBe(height * (1 + width * channels));
  });

  it('draws something: the series colour appears and not every pixel is background', () => {
    const { width, height, channels, raw } = decode(renderHistoryChart(points));
    expect([width, height]).toEqual([640, 320]);
    let red = 0;
    for (let y = 0; y < height; y += 1) {
      const row = y * (1 + width * channels);
      expect(raw[row]).toBe(0);
      for (let x = 0; x < width; x += 1) {
        const p = row + 1 + x * channels;
        if (raw[p] === 192 && raw[p + 1] === 57 && raw[p + 2] === 43) red += 1;
      }
    }
    expect(red).toBeGreaterThan(50);
  });

  it('copes with no points, one point, equal dates and bad values', () => {
    for (const series of [[], [{ date: '2026-01-01', value: 5 }], [{ date: 'x', value: 1 }, { date: 'x', value: Number.NaN }, { date: 'y', value: 3 }]]) {
      const png = renderHistoryChart(series, { width: 200, height: 120 });
      const { raw } = decode(png);
      expect(raw.length).toBe(120 * (1 + 200 * 3));
    }
  });

  it('bounds absurd sizes instead of allocating them', () => {
    const { width, height } = decode(renderHistoryChart(points, { width: 1e9, height: -5 }));
    expect(width).toBeLessThanOrEqual(2000);
    expect(height).toBeGreaterThan(0);
  });
});

describe('PNG pieces', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(5))).toThrow(RangeError);
  });

  it('writes short axis numbers', () => {
    expect(compactNumber(12_500_000_000)).toBe('12.5B');
    expect(compactNumber(100_000)).toBe('100K');
    expect(compactNumber(1400)).toBe('1.4K');
    expect(compactNumber(0)).toBe('0');
  });
});
