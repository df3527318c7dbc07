// The Teams app package: manifest.json + color.png + outline.png in a zip, as Teams' "Upload a
// custom app" and the admin center expect. Written with node:zlib only (deflate + crc32), so
// packaging needs no extra dependency; the icons are drawn here too, so they are reproducible.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync, deflateSync } from "node:zlib";

export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

/** Placeholders in manifests/teams/manifest.json, filled in at packaging time. */
export const PLACEHOLDERS = { appId: "{{MICROSOFT_APP_ID}}", domain: "{{BOT_DOMAIN}}" } as const;

export interface PackageOptions {
  manifestDir: string;
  /** MICROSOFT_APP_ID: the bot's Entra app id (also the Teams app id and RSC app id). */
  appId?: string | undefined;
  /** Public host name of the bot (no scheme), e.g. bot.example.com. */
  domain?: string | undefined;
}

export interface TeamsPackage {
  zip: Buffer;
  manifest: Record<string, unknown>;
  /** Placeholders left in because no value was given. */
  unresolved: string[];
}

export function buildTeamsPackage(options: PackageOptions): TeamsPackage {
  let text = readFileSync(join(options.manifestDir, "manifest.json"), "utf8");
  const unresolved: string[] = [];
  for (const [key, placeholder] of Object.entries(PLACEHOLDERS) as Array<
    [keyof typeof PLACEHOLDERS, string]
  >) {
    const value = options[key]?.trim();
    if (value) {
      if (!/^[\w.-]+$/.test(value))
        throw new Error(`${key} "${value}" contains characters a manifest value can't have`);
      text = text.split(placeholder).join(value);
    } else if (text.includes(placeholder)) unresolved.push(placeholder);
  }
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const zip = writeZip([
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: "color.png", data: readFileSync(join(options.manifestDir, "color.png")) },
    { name: "outline.png", data: readFileSync(join(options.manifestDir, "outline.png")) },
  ]);
  return { zip, manifest, unresolved };
}

// ---------------------------------------------------------------------------------------------
// zip (PKZIP 2.0: deflate, no zip64; a Teams package is three small files)

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function writeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  // A fixed timestamp (1980-01-01 00:00) keeps the package byte-for-byte reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(dosTime, 12);
    header.writeUInt16LE(dosDate, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

// ---------------------------------------------------------------------------------------------
// PNG (8-bit RGBA, no interlace)

export type Rgba = readonly [number, number, number, number];

export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
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

export const ACCENT = "#4F6BED";
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
