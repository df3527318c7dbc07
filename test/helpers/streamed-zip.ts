import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";

// Writes a .zip whose entries may be far bigger than memory allows to hold: each entry's data
// comes from an async iterable and is deflated on its way to the file, and its CRC and sizes are
// written into the local header afterwards. For tests of exports with huge files (a 200 MB message
// compresses to a few hundred KB) and of hostile entry names (`../../etc/x`). Sizes below 4 GB.

export interface StreamedZipEntry {
  /** Written as given, "/"-separated: nothing here keeps it inside the archive. */
  name: string;
  data: string | Buffer | (() => AsyncIterable<string | Buffer>);
}

async function* chunksOf(data: StreamedZipEntry["data"]): AsyncGenerator<Buffer> {
  if (typeof data === "function") {
    for await (const c of data()) yield typeof c === "string" ? Buffer.from(c) : c;
  } else yield typeof data === "string" ? Buffer.from(data) : data;
}

export async function writeStreamedZip(path: string, entries: readonly StreamedZipEntry[]): Promise<void> {
  const file = await open(path, "w");
  try {
    let pos = 0;
    const central: Buffer[] = [];
    for (const entry of entries) {
      const name = Buffer.from(entry.name, "utf8");
      const offset = pos;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(8, 8); // deflate
      local.writeUInt16LE(0x5a21, 12);
      local.writeUInt16LE(name.length, 26);
      await file.write(local, 0, local.length, pos);
      await file.write(name, 0, name.length, pos + 30);
      pos += 30 + name.length;
      let crc = 0;
      let size = 0;
      let compressed = 0;
      await pipeline(
        Readable.from(chunksOf(entry.data)),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            crc = crc32(chunk, crc);
            size += chunk.length;
            yield chunk;
          }
        },
        createDeflateRaw({ level: 1 }),
        async (source: AsyncIterable<Buffer>) => {
          for await (const chunk of source) {
            await file.write(chunk, 0, chunk.length, pos);
            pos += chunk.length;
            compressed += chunk.length;
          }
        },
      );
      const sizes = Buffer.alloc(12);
      sizes.writeUInt32LE(crc, 0);
      sizes.writeUInt32LE(compressed, 4);
      sizes.writeUInt32LE(size, 8);
      await file.write(sizes, 0, 12, offset + 14);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(8, 10);
      header.writeUInt16LE(0x5a21, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(compressed, 20);
      header.writeUInt32LE(size, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
    }
    const cd = Buffer.concat(central);
    await file.write(cd, 0, cd.length, pos);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(pos, 16);
    await file.write(end, 0, end.length, pos + cd.length);
  } finally {
    await file.close();
  }
}
