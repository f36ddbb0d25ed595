#!/usr/bin/env node
/**
 * Renders the PWA icons of Havre (a shelter with a lit window: someone is there) as PNG files
 * in web/public/icons/, with no image library: shapes are distance functions, sampled 4×4
 * per pixel for anti-aliasing, and encoded with node:zlib. Run once after changing the design:
 *   node scripts/make-icons.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'icons');
const BACKGROUND = [0x1f, 0x3f, 0x66]; // --brand of web/src/styles.css
const FOREGROUND = [0xff, 0xff, 0xff];
const ACCENT = [0xff, 0xc8, 0x57]; // the warm light in the window

// ---- geometry, in a unit square (0..1) ----

function distToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Which colour covers point (x, y) of the artwork, or null for background. */
function artwork(x, y) {
  // Roof: a thick chevron.
  const roof = Math.min(distToSegment(x, y, 0.2, 0.5, 0.5, 0.24), distToSegment(x, y, 0.5, 0.24, 0.8, 0.5));
  if (roof < 0.055) return FOREGROUND;
  // Walls and floor: the shelter under the roof.
  const walls = Math.min(
    distToSegment(x, y, 0.31, 0.47, 0.31, 0.74),
    distToSegment(x, y, 0.69, 0.47, 0.69, 0.74),
    distToSegment(x, y, 0.31, 0.74, 0.69, 0.74),
  );
  if (walls < 0.045) return FOREGROUND;
  // A lit window: someone is there.
  if (Math.abs(x - 0.5) < 0.075 && Math.abs(y - 0.54) < 0.075) return ACCENT;
  return null;
}

/** Rounded-square mask of the "any" icons (maskable icons are full-bleed). */
function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

function render(size, { maskable }) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  // A maskable icon keeps its artwork inside the central 80 % safe zone.
  const scale = maskable ? 0.78 : 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!maskable && !insideRoundedSquare(x, y, 0.2)) continue;
          const ax = (x - 0.5) / scale + 0.5;
          const ay = (y - 0.5) / scale + 0.5;
          const colour = artwork(ax, ay) ?? BACKGROUND;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      // Colours are averaged over covered samples only, so edges do not darken.
      rgba[i] = a ? Math.round(r / a) : 0;
      rgba[i + 1] = a ? Math.round(g / a) : 0;
      rgba[i + 2] = a ? Math.round(b / a) : 0;
      rgba[i + 3] = Math.round((255 * a) / n);
    }
  }
  return encodePng(size, size, rgba);
}

// ---- PNG encoding (RFC 2083): signature, IHDR, IDAT (zlib), IEND ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // Each scanline starts with filter type 0 (none).
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true], // iOS draws its own rounded corners
];
for (const [name, size, maskable] of icons) {
  writeFileSync(join(OUT, name), render(size, { maskable }));
  process.stdout.write(`web/public/icons/${name}\n`);
}
