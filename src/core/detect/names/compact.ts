/**
 * The detector's model in a compact binary form: its hash tables and weights as the typed arrays
 * detection reads, so loading is one file read and views into it. The build writes it
 * (model.bin beside the built code) from the committed model.json.gz, whose gunzip, JSON.parse and
 * hashing of ~200,000 feature strings and ~400,000 lexicon words took most of a second at every
 * start of `detect` and the server. The tags are the same: these are the very tables the JSON
 * load builds (a test compares them). The file records which model.json.gz it was made from, and
 * a file that doesn't match is not used.
 *
 * Layout: "TIONAMES" (8 bytes), header length (uint32), the header (JSON: format, source, sizes,
 * bias, meta, trigrams), then each array at an 8-byte boundary, in the byte order of the machine
 * that wrote it (the header says which; another order falls back to the JSON).
 */
import { endianness } from "node:os";
import type { HashSlots } from "./feature-hash.ts";
import { FeatureHashTable } from "./feature-hash.ts";
import { HashedLexicon } from "./lexicon.ts";
import { deserializeTrigrams, serializeTrigrams } from "./namelike.ts";
import { PerceptronModel } from "./perceptron.ts";
import { NUM_TAGS, TAGS } from "./tagger.ts";

const MAGIC = "TIONAMES";
const FORMAT = "take-it-offline/names-compact@1";

/** Which model.json.gz a compact file was made from: its gzip trailer (CRC-32 and length of the JSON) and size. */
export interface ModelStamp {
  crc32: number;
  jsonBytes: number;
  gzBytes: number;
}

/** The stamp of a gzip file from its last 8 bytes and its size, without reading the rest. */
export function stampOf(trailer: Buffer, gzBytes: number): ModelStamp {
  return { crc32: trailer.readUInt32LE(0), jsonBytes: trailer.readUInt32LE(4), gzBytes };
}

interface Header {
  format: string;
  endian: "LE" | "BE";
  source: ModelStamp;
  tags: string[];
  features: number;
  /** Word counts of the lexicon and the clusters (null: a model without clusters). */
  lexicon: number;
  clusters: number | null;
  /** Lengths (elements) of the arrays that follow, in order. */
  arrays: number[];
  bias: number[];
  meta: Record<string, string | number>;
  trigrams: string;
}

const align8 = (n: number) => (n + 7) & ~7;

/** A detection model (PerceptronModel.deserialize with forDetection) as the compact file's bytes. */
export function toCompact(model: PerceptronModel, source: ModelStamp): Buffer {
  const { table, count, weights } = model.hashedWeights();
  const lexicon = asHashed(model.lexicon);
  const clusters = model.clusters === undefined ? null : asHashed(model.clusters);
  const arrays: (Int32Array | Float32Array)[] = [
    ...slotArrays(table.slots),
    weights,
    ...slotArrays(lexicon.slots),
  ];
  if (clusters) arrays.push(...slotArrays(clusters.slots));
  const header: Header = {
    format: FORMAT,
    endian: endianness(),
    source,
    tags: [...TAGS],
    features: count,
    lexicon: lexicon.size,
    clusters: clusters?.size ?? null,
    arrays: arrays.map((a) => a.length),
    bias: [...model.bias],
    meta: model.meta,
    trigrams: serializeTrigrams(model.trigrams),
  };
  const head = Buffer.from(JSON.stringify(header), "utf8");
  let size = align8(12 + head.length);
  for (const a of arrays) size = align8(size + a.byteLength);
  const out = Buffer.alloc(size);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(head.length, 8);
  head.copy(out, 12);
  let at = align8(12 + head.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at = align8(at + a.byteLength);
  }
  return out;
}

/**
 * The model in a compact file's bytes, or null when they are not one this code reads (another
 * format, byte order or tag set) or were made from another model file than `expected`. The arrays
 * are views into `bytes`, not copies.
 */
export function fromCompact(bytes: Buffer, expected: ModelStamp): PerceptronModel | null {
  if (bytes.length < 12 || bytes.toString("latin1", 0, 8) !== MAGIC) return null;
  const headLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString("utf8", 12, 12 + headLength)) as Header;
  if (header.format !== FORMAT || header.endian !== endianness()) return null;
  if (header.tags.join() !== TAGS.join()) return null;
  const { source } = header;
  if (
    source.crc32 !== expected.crc32 ||
    source.jsonBytes !== expected.jsonBytes ||
    source.gzBytes !== expected.gzBytes
  )
    return null;
  // Views need 4-byte alignment; a buffer from Node's small-file pool may start anywhere.
  const data = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let at = align8(12 + headLength);
  const lengths = [...header.arrays];
  const next = <T extends Int32Array | Float32Array>(Type: {
    new (b: ArrayBuffer, o: number, n: number): T;
  }) => {
    const n = lengths.shift();
    if (n === undefined || at + n * 4 > data.length)
      throw new Error("names model: compact file is cut short");
    const view = new Type(data.buffer as ArrayBuffer, data.byteOffset + at, n);
    at = align8(at + n * 4);
    return view;
  };
  const slots = (): HashSlots => ({
    keys1: next(Int32Array),
    keys2: next(Int32Array),
    values: next(Int32Array),
  });
  const features = new FeatureHashTable(slots(), header.features);
  const weights = next(Float32Array);
  if (weights.length !== header.features * NUM_TAGS) throw new Error("names model: compact weights mismatch");
  const lexicon = new HashedLexicon({ slots: slots(), size: header.lexicon });
  const clusters =
    header.clusters === null ? undefined : new HashedLexicon({ slots: slots(), size: header.clusters });
  const model = new PerceptronModel(
    lexicon,
    deserializeTrigrams(header.trigrams),
    { table: features, count: header.features },
    weights,
    header.meta,
    clusters,
  );
  model.bias.set(header.bias);
  return model;
}

function asHashed(lexicon: PerceptronModel["lexicon"]): HashedLexicon {
  if (!(lexicon instanceof HashedLexicon))
    throw new TypeError("names model: a compact file holds a loaded model");
  return lexicon;
}

function slotArrays(slots: HashSlots): Int32Array[] {
  return [slots.keys1, slots.keys2, slots.values];
}
