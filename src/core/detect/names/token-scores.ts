/**
 * Detection's per-token scores, with the feature groups that repeat looked up instead of hashed.
 * Chat repeats its words, so most tokens have been seen before in the same situation:
 *  - the same word at the same position, in a sentence cased the same way, has the same word features;
 *  - the same previous (next) word beside a token of the same class and gazetteer tag gives the same
 *    left (right) features;
 *  - the same two previous tags beside the same class give the same tag features;
 *  - the same words two away, and the same classes around it, give the same wide-window features.
 * Each group's summed weights are kept under a key of exactly what its features read, so a hit
 * replaces 1–18 feature hashes with one lookup: a token seen before in the same situation costs
 * seven lookups and no hashing. Words get small numbers on first sight, so the keys are integers.
 *
 * The tags are the same as without the memo: the model's weights are int16 multiples of one scale
 * (perceptron.ts), so every partial sum is exact in float64 and the grouping cannot change a score.
 * Memory is bounded: when the slab of sums is full, the memo starts over empty (between sentences).
 */
import type { HashingSink } from "./feature-hash.ts";
import {
  type CapClass,
  classWindowFeatures,
  EDGE,
  farLeftFeatures,
  farRightFeatures,
  leftFeatures,
  lexTag,
  lexTagCode,
  rightFeatures,
  type TokenInfo,
  tokenFeatures,
  wordFeatures,
} from "./features.ts";
import { NUM_TAGS, tagFeatures } from "./tagger.ts";

/** Slots of summed weights (9 float64 each): ~4.7 MB, plenty for a workspace's working vocabulary. */
export const MEMO_SLOTS = 65_536;
/** Words numbered at most (keeps pair keys small integers: 2^16 × 8192 < 2^30). */
const MEMO_WORDS = 65_536;

/** New slots a token can claim: its word group and one per neighbor. */
const SLOTS_PER_TOKEN = 5;

/** The neighbors whose features are memoized, in key order. */
const NEIGHBORS = [-1, 1, -2, 2] as const;
type Neighbor = (typeof NEIGHBORS)[number];

const CLASSES: readonly CapClass[] = ["C", "X", "U", "x", "m", "@", "#", "u", "d", "p"];
const CLASS_INDEX = new Map(CLASSES.map((c, i) => [c, i]));
const SENTENCE_CASES = ["A", "T", "L", "N"];

/** A word's number, then the slot of its word features per position × sentence casing (-1: none yet). */
type WordEntry = Int32Array;
const ENTRY_ID = 0;

export class TokenScores {
  private readonly slab: Float64Array;
  private used = 0;
  private readonly words = new Map<string, WordEntry>();
  /** (neighbor's word number, class, gazetteer tag, which neighbor) → slot; see addNeighbor. */
  private readonly pairs = new Map<number, number>();
  /** Tag features by (previous tag, tag before, class): a small dense table, never evicted. */
  private readonly tagged: (Float64Array | undefined)[] = [];
  /** Class-window features by (class before, class, class after, sentence casing): the same. */
  private readonly windows: (Float64Array | undefined)[] = [];

  // The sentence being tagged.
  private info: readonly TokenInfo[] = [];
  private sc = "N";
  private scIndex = 3;
  private entries: WordEntry[] = [];
  private bypass = false;

  constructor(
    private readonly sink: HashingSink,
    private readonly slots = MEMO_SLOTS,
  ) {
    this.slab = new Float64Array(slots * NUM_TAGS);
  }

  /** Starts a sentence: add() then scores its tokens. */
  begin(info: readonly TokenInfo[], sc: string): this {
    // A sentence longer than the memo holds (a pasted log, say) is scored without it.
    this.bypass = SLOTS_PER_TOKEN * info.length > this.slots || info.length > MEMO_WORDS;
    this.info = info;
    this.sc = sc;
    if (this.bypass) return this;
    // Emptying only here keeps this sentence's entries valid.
    if (
      this.used + SLOTS_PER_TOKEN * info.length > this.slots ||
      this.words.size + info.length > MEMO_WORDS
    ) {
      this.words.clear();
      this.pairs.clear();
      this.used = 0;
    }
    this.scIndex = Math.max(0, SENTENCE_CASES.indexOf(sc));
    const entries = this.entries;
    entries.length = info.length;
    for (let i = 0; i < info.length; i++) {
      const text = (info[i] as TokenInfo).text;
      let e = this.words.get(text);
      if (e === undefined) {
        e = new Int32Array(9).fill(-1);
        e[ENTRY_ID] = this.words.size;
        this.words.set(text, e);
      }
      entries[i] = e;
    }
    return this;
  }

  /** Adds the scores of token i (all its features, after tags prev and prev2) into `scores`. */
  add(i: number, prev: number, prev2: number, scores: Float64Array): void {
    const info = this.info;
    const t = info[i] as TokenInfo;
    if (this.bypass) {
      this.sink.target = scores;
      this.sink.offset = 0;
      tokenFeatures(info, i, this.sc, this.sink);
      tagFeatures(t, prev, prev2, this.sink);
      return;
    }
    const cls = t.cls;
    const clsIndex = CLASS_INDEX.get(cls) ?? 0;
    const lexCode = lexTagCode(t.lex);
    const entry = this.entries[i] as WordEntry;

    // Word features read the word (all of TokenInfo but `first` follows from its text), its position and sc.
    const variant = 1 + (t.first ? 4 : 0) + this.scIndex;
    let at = entry[variant] as number;
    if (at < 0) {
      at = this.claim();
      entry[variant] = at;
      wordFeatures(t, this.sc, this.sink);
    }
    this.addSlot(at, scores);

    // Neighbor features read the neighbor's text and this token's class (and, next door, its
    // gazetteer tag).
    for (const offset of NEIGHBORS) this.addNeighbor(i, offset, lexCode, clsIndex, scores);

    const tagKey = (prev * NUM_TAGS + prev2) * 16 + clsIndex;
    let tagSums = this.tagged[tagKey];
    if (tagSums === undefined) {
      tagSums = new Float64Array(NUM_TAGS);
      this.sink.target = tagSums;
      this.sink.offset = 0;
      tagFeatures(t, prev, prev2, this.sink);
      this.tagged[tagKey] = tagSums;
    }
    for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (tagSums[k] as number);

    // The classes around it, by class.
    const before = (info[i - 1] ?? EDGE).cls;
    const after = (info[i + 1] ?? EDGE).cls;
    const windowKey =
      (((CLASS_INDEX.get(before) ?? 0) * 16 + clsIndex) * 16 + (CLASS_INDEX.get(after) ?? 0)) * 4 +
      this.scIndex;
    let windowSums = this.windows[windowKey];
    if (windowSums === undefined) {
      windowSums = new Float64Array(NUM_TAGS);
      this.sink.target = windowSums;
      this.sink.offset = 0;
      classWindowFeatures(before, cls, after, this.sc, this.sink);
      this.windows[windowKey] = windowSums;
    }
    for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (windowSums[k] as number);
  }

  /**
   * Adds the features of token i's neighbor at `offset` (−2, −1, +1 or +2), hashing them only the
   * first time. Key: the neighbor's word number + 1 (0 past the edge) × 8192, then what else the
   * group reads (class, and next door the gazetteer tag) × 4 + which neighbor it is.
   */
  private addNeighbor(
    i: number,
    offset: Neighbor,
    lexCode: number,
    clsIndex: number,
    scores: Float64Array,
  ): void {
    const e = this.entries[i + offset];
    const next = offset === -1 || offset === 1;
    const key =
      (e === undefined ? 0 : (e[ENTRY_ID] as number) + 1) * 8192 +
      ((next ? lexCode * 16 : 0) + clsIndex) * 4 +
      NEIGHBORS.indexOf(offset);
    let at = this.pairs.get(key);
    if (at === undefined) {
      at = this.claim();
      this.pairs.set(key, at);
      const t = this.info[i] as TokenInfo;
      const other = this.info[i + offset] ?? EDGE;
      if (offset === -1) leftFeatures(other, t.cls, lexTag(t.lex), this.sink);
      else if (offset === 1) rightFeatures(t.cls, lexTag(t.lex), other, this.sink);
      else if (offset === -2) farLeftFeatures(other, t.cls, this.sink);
      else farRightFeatures(t.cls, other, this.sink);
    }
    this.addSlot(at, scores);
  }

  /** A zeroed slot, with the sink pointed at it. */
  private claim(): number {
    const at = this.used * NUM_TAGS;
    this.used++;
    this.slab.fill(0, at, at + NUM_TAGS);
    this.sink.target = this.slab;
    this.sink.offset = at;
    return at;
  }

  private addSlot(at: number, scores: Float64Array): void {
    const slab = this.slab;
    for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (slab[at + k] as number);
  }
}
