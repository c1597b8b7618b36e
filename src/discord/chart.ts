// A small PNG line chart of a figure's history for /figures history:true. Drawn into an RGB raster and
// encoded by hand (zlib + CRC32 chunks) because a native canvas package would be a heavy, platform-specific
// dependency for one picture. Text uses a built-in 3×5 pixel font: enough for axis values, dates and a title.
import { deflateSync } from 'node:zlib';

export interface ChartPoint {
  date: string;
  value: number;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  title?: string;
}

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [40, 40, 40];
const AXIS: Rgb = [90, 90, 90];
const GRID: Rgb = [226, 226, 226];
const SERIES: Rgb = [192, 57, 43];

// ------------------------------------------------------------------------------------------------------------
// PNG encoding

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGB, non-interlaced PNG from `width × height × 3` bytes, one filter byte (0, none) per scanline. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  if (rgb.length !== stride * height) throw new RangeError(`expected ${stride * height} bytes, got ${rgb.length}`);
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y += 1) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering, filter type chosen per line
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

// ------------------------------------------------------------------------------------------------------------
// Raster and font

// 3×5 glyphs, rows top to bottom; unknown characters are drawn as "?".
const GLYPHS: Record<string, string> = {
  '0': '111101101101111', '1': '010110010010111', '2': '111001111100111', '3': '111001111001111',
  '4': '101101111001001', '5': '111100111001111', '6': '111100111101111', '7': '111001001010010',
  '8': '111101111101111', '9': '111101111001111', A: '010101111101101', B: '110101110101110',
  C: '011100100100011', D: '110101101101110', E: '111100110100111', F: '111100110100100',
  G: '011100101101011', H: '101101111101101', I: '111010010010111', J: '001001001101010',
  K: '101101110101101', L: '100100100100111', M: '101111111101101', N: '110101101101101',
  O: '010101101101010', P: '110101110100100', Q: '010101101110011', R: '110101110101101',
  S: '011100010001110', T: '111010010010010', U: '101101101101111', V: '101101101101010',
  W: '101101111111101', X: '101101010101101', Y: '101101010010010', Z: '111001010100111',
  '.': '000000000000010', ',': '000000000010100', '-': '000000111000000', '/': '001001010100100',
  ':': '000010000010000', '$': '011110010011110', '(': '010100100100010', ')': '010001001001010',
  '+': '000010111010000', '%': '101001010100101', '?': '111001010000010', '_': '000000000000111',
  ' ': '000000000000000',
};

class Raster {
  readonly data: Uint8Array;
  constructor(readonly width: number, readonly height: number, background: Rgb) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < this.data.length; i += 3) this.data.set(background, i);
  }

  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    this.data.set(c, (yi * this.width + xi) * 3);
  }

  rect(x: number, y: number, w: number, h: number, c: Rgb): void {
    for (let j = 0; j < h; j += 1) for (let i = 0; i < w; i += 1) this.set(x + i, y + j, c);
  }

  /** Bresenham between rounded end points, `thickness` pixels wide. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    const half = Math.floor((thickness - 1) / 2);
    for (;;) {
      this.rect(x - half, y - half, thickness, thickness, c);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** Text in the 3×5 font at `scale`; returns the width drawn. */
  text(x: number, y: number, text: string, c: Rgb, scale = 2): number {
    let cx = x;
    for (const ch of text.toUpperCase()) {
      const glyph = GLYPHS[ch] ?? GLYPHS['?'] ?? '';
      for (let i = 0; i < glyph.length; i += 1) {
        if (glyph[i] === '1') this.rect(cx + (i % 3) * scale, y + Math.floor(i / 3) * scale, scale, scale, c);
      }
      cx += 4 * scale;
    }
    return cx - x;
  }
}

export function textWidth(text: string, scale = 2): number {
  return [...text].length * 4 * scale;
}

// ------------------------------------------------------------------------------------------------------------
// Chart

/** 12500000000 → "12.5B", 1400 → "1.4K": short enough for the y axis. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const fmt = (n: number, suffix: string): string => `${Number(n.toFixed(n < 10 ? 2 : 1))}${suffix}`;
  if (abs >= 1e12) return fmt(value / 1e12, 'T');
  if (abs >= 1e9) return fmt(value / 1e9, 'B');
  if (abs >= 1e6) return fmt(value / 1e6, 'M');
  if (abs >= 1e3) return fmt(value / 1e3, 'K');
  return String(Number(value.toFixed(2)));
}

/** A 1/2/5 × 10^n step giving about `target` intervals from 0 to max. */
function niceStep(max: number, target: number): number {
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}

function clampSize(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

export function renderHistoryChart(points: ReadonlyArray<ChartPoint>, opts: ChartOptions = {}): Buffer {
  // Bounded so a bad option can neither break the layout nor allocate a huge buffer.
  const width = clampSize(opts.width, 640, 160, 2000);
  const height = clampSize(opts.height, 320, 120, 1200);
  const img = new Raster(width, height, WHITE);
  const left = 64;
  const right = 20;
  const top = opts.title ? 30 : 14;
  const bottom = 30;
  const plotW = width - left - right;
  const plotH = height - top - bottom;

  if (opts.title) img.text(left, 10, opts.title.slice(0, Math.floor((width - left) / 8)), INK);

  const series = points
    .filter((p) => Number.isFinite(p.value))
    .map((p, i) => ({ ...p, t: Date.parse(p.date), i }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i));

  // The y axis starts at zero: these are counts and sums, and a cropped axis would exaggerate a change.
  const maxValue = Math.max(0, ...series.map((p) => p.value));
  const step = niceStep(maxValue > 0 ? maxValue : 1, 4);
  const yMax = Math.ceil((maxValue > 0 ? maxValue : 1) / step) * step;
  const minValue = Math.min(0, ...series.map((p) => p.value));
  const yMin = minValue < 0 ? Math.floor(minValue / step) * step : 0;
  const yOf = (v: number): number => top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;

  for (let v = yMin; v <= yMax + step / 2; v += step) {
    const y = yOf(v);
    img.line(left, y, left + plotW, y, GRID);
    const label = compactNumber(v);
    img.text(left - 6 - textWidth(label), Math.round(y) - 5, label, INK);
  }
  img.line(left, top, left, top + plotH, AXIS, 2);
  img.line(left, top + plotH, left + plotW, top + plotH, AXIS, 2);

  if (series.length === 0) {
    const msg = 'NO DATA';
    img.text(left + (plotW - textWidth(msg)) / 2, top + plotH / 2 - 5, msg, INK);
    return encodePng(width, height, img.data);
  }

  // Time on the x axis when every date parses and they differ; otherwise evenly spaced in order.
  const times = series.map((p) => p.t);
  const byTime = times.every((t) => !Number.isNaN(t)) && Math.max(...times) > Math.min(...times);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const pad = 10;
  const xOf = (p: { t: number }, index: number): number => {
    if (series.length === 1) return left + plotW / 2;
    const frac = byTime ? (p.t - t0) / (t1 - t0) : index / (series.length - 1);
    return left + pad + frac * (plotW - 2 * pad);
  };

  const placed = series.map((p, index) => ({ x: xOf(p, index), y: yOf(p.value) }));
  for (let k = 1; k < placed.length; k += 1) {
    const a = placed[k - 1];
    const b = placed[k];
    if (a && b) img.line(a.x, a.y, b.x, b.y, SERIES, 2);
  }
  for (const { x, y } of placed) img.rect(Math.round(x) - 3, Math.round(y) - 3, 7, 7, SERIES);

  const first = series[0];
  const last = series[series.length - 1];
  if (first) img.text(left, top + plotH + 10, first.date.slice(0, 10), INK);
  if (last && last !== first) {
    const label = last.date.slice(0, 10);
    img.text(left + plotW - textWidth(label), top + plotH + 10, label, INK);
  }
  return encodePng(width, height, img.data);
}
