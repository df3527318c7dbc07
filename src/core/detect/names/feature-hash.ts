/**
 * The model's features by hash instead of by string. Building ~40 feature strings per token and
 * looking each up in a Map was most of the tagger's time: the strings are all new, so each one is
 * allocated, flattened and hashed. Here a feature's parts are hashed where they are, with two
 * independent 32-bit hashes (FNV-1a and a murmur-style mix), and found in an open-addressing table.
 * A feature the model doesn't know matches a known one only if both hashes collide (about one
 * lookup in 10^14), so the tags are the same as with the strings; the tests compare the two.
 */
import type { FeatureSink } from "./features.ts";

const SEED1 = 0x811c9dc5;
const SEED2 = 0x9747b28c;

function mix2(h: number, c: number): number {
  const x = Math.imul(h ^ c, 0x5bd1e995);
  return x ^ (x >>> 15);
}

// The two hashes of the feature being built, over all its parts in order (so they equal the hashes
// of the whole feature string). Module-level rather than fields: fold() runs for every part of
// every feature of every token, and locals + two context slots are the cheapest state.
let lane1 = SEED1;
let lane2 = SEED2;

function fold(s: string): void {
  let h1 = lane1;
  let h2 = lane2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = mix2(h2, c);
  }
  lane1 = h1;
  lane2 = h2;
}

/**
 * An open-addressing table of two 32-bit hashes per key and a value + 1 (0: empty slot), as the
 * feature table and the lexicon keep it; the compact model file stores these arrays as they are.
 */
export interface HashSlots {
  readonly keys1: Int32Array;
  readonly keys2: Int32Array;
  readonly values: Int32Array;
}

/** Whether `slots` has the shape of a table (same power-of-two length throughout). */
export function isHashSlots(slots: HashSlots): boolean {
  const n = slots.values.length;
  return n >= 2 && (n & (n - 1)) === 0 && slots.keys1.length === n && slots.keys2.length === n;
}

export class FeatureHashTable {
  private readonly mask: number;
  private readonly keys1: Int32Array;
  private readonly keys2: Int32Array;
  /** Weight row + 1; 0 is an empty slot. */
  private readonly rows: Int32Array;

  /** `features`: each feature string and its weight row, `count` of them; or a table's slots as they were saved. */
  constructor(features: Iterable<readonly [string, number]> | HashSlots, count: number) {
    if ("values" in features) {
      if (!isHashSlots(features)) throw new Error("names model: malformed feature table");
      this.mask = features.values.length - 1;
      this.keys1 = features.keys1;
      this.keys2 = features.keys2;
      this.rows = features.values;
      return;
    }
    let size = 1024;
    while (size < count * 2) size *= 2;
    this.mask = size - 1;
    this.keys1 = new Int32Array(size);
    this.keys2 = new Int32Array(size);
    this.rows = new Int32Array(size);
    for (const [feature, row] of features) {
      lane1 = SEED1;
      lane2 = SEED2;
      fold(feature);
      const h1 = lane1;
      const h2 = lane2;
      let slot = h1 & this.mask;
      while (this.rows[slot] !== 0) {
        if (this.keys1[slot] === h1 && this.keys2[slot] === h2)
          throw new Error(`names model: two features share a hash ("${feature}")`);
        slot = (slot + 1) & this.mask;
      }
      this.keys1[slot] = h1;
      this.keys2[slot] = h2;
      this.rows[slot] = row + 1;
    }
  }

  /** The table's arrays (to save them: see compact.ts). */
  get slots(): HashSlots {
    return { keys1: this.keys1, keys2: this.keys2, values: this.rows };
  }

  /** The weight row of a whole feature string, or -1. */
  findString(feature: string): number {
    lane1 = SEED1;
    lane2 = SEED2;
    fold(feature);
    return this.find(lane1, lane2);
  }

  /** The weight row of the feature with these hashes, or -1. */
  find(h1: number, h2: number): number {
    let slot = h1 & this.mask;
    for (;;) {
      const row = this.rows[slot] as number;
      if (row === 0) return -1;
      if (this.keys1[slot] === h1 && this.keys2[slot] === h2) return row - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** A sink that adds each feature's weights (`width` per row) into its `target`. */
  sink(weights: Float32Array, width: number, target: Float64Array): HashingSink {
    return new HashingSink(this, weights, width, target);
  }
}

export class HashingSink implements FeatureSink {
  constructor(
    private readonly table: FeatureHashTable,
    private readonly weights: Float32Array,
    private readonly width: number,
    /** Where the weights go (`width` values from `offset`); callers move it between features. */
    public target: Float64Array,
    public offset = 0,
  ) {}

  add(a: string, b?: string, c?: string, d?: string, e?: string, f?: string): void {
    lane1 = SEED1;
    lane2 = SEED2;
    fold(a);
    if (b !== undefined) fold(b);
    if (c !== undefined) fold(c);
    if (d !== undefined) fold(d);
    if (e !== undefined) fold(e);
    if (f !== undefined) fold(f);
    const row = this.table.find(lane1, lane2);
    if (row < 0) return;
    const base = row * this.width;
    const target = this.target;
    const at = this.offset;
    for (let k = 0; k < this.width; k++)
      target[at + k] = (target[at + k] as number) + (this.weights[base + k] as number);
  }
}
