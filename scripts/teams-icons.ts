// Draws the Teams app icons (manifests/teams/color.png and outline.png) reproducibly: a plate with
// a fork and a knife. Run through `npm run teams:package -- --icons`; the PNGs are committed, so
// the server and the package build never draw anything.
import { crc32, deflateSync } from "node:zlib";

// ---------------------------------------------------------------------------------------------
// PNG (8-bit RGBA, no interlace)

type Rgba = readonly [number, number, number, number];

function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // depth 8, colour type RGBA, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

// ---------------------------------------------------------------------------------------------
// icons: a plate with a fork and a knife (lunch, offline)

/** #4F6BED, the accent colour of the manifest (accentColor). */
const ACCENT_RGB = [0x4f, 0x6b, 0xed] as const;

/** Coverage (0–1) of a pixel by the symbol, drawn in a unit square; supersampled for smooth edges. */
function symbolCoverage(x: number, y: number, size: number, samples: number): number {
  let hits = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      const u = (x + (sx + 0.5) / samples) / size;
      const v = (y + (sy + 0.5) / samples) / size;
      if (inSymbol(u, v)) hits++;
    }
  }
  return hits / (samples * samples);
}

function inSymbol(u: number, v: number): boolean {
  const d = Math.hypot(u - 0.5, v - 0.5);
  const plate = d <= 0.27 && d >= 0.19; // a ring
  const dot = d <= 0.11;
  const fork = u >= 0.12 && u <= 0.17 && v >= 0.2 && v <= 0.8;
  const tines = v >= 0.2 && v <= 0.38 && [0.095, 0.135, 0.175].some((c) => Math.abs(u - c) <= 0.016);
  const knife = u >= 0.83 && u <= 0.88 && v >= 0.2 && v <= 0.8;
  const blade = u >= 0.81 && u <= 0.88 && v >= 0.2 && v <= 0.5;
  return plate || dot || fork || tines || knife || blade;
}

/** 192×192, full colour: white symbol on the accent colour. */
export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => {
    const c = symbolCoverage(x, y, size, 4);
    const mix = (base: number) => Math.round(base + (255 - base) * c);
    return [mix(ACCENT_RGB[0]), mix(ACCENT_RGB[1]), mix(ACCENT_RGB[2]), 255];
  });
}

/** 32×32 outline: white on transparent, as Teams requires. */
export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => [255, 255, 255, Math.round(255 * symbolCoverage(x, y, size, 4))]);
}
