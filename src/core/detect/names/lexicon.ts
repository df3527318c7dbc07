/**
 * The word lexicon: gazetteer membership of a lowercased word packed into a small integer.
 * Built from gazetteer.tsv.gz (see scripts/build-gazetteer.ts) and stored inside the model file.
 *
 * Bits 0-2: first-name popularity tier (0 = not a US first name, 1 = over 1M births … 5 = rare)
 * Bit 3:    common English first name     Bit 4: person name part (cspell)
 * Bit 5:    human name (humannames)       Bit 6: company name
 * Bits 7-10: SCOWL size index of the word as an ordinary lowercase English word (0 = not a word,
 *            1 = size 10 (most common) … 8 = size 70 (rare))
 * Bits 11-17: part of a famous person's name, of a place name, of an organization name; demonym;
 *            title/honorific; role noun ("actor"); month or weekday.
 */
import { type HashSlots, isHashSlots } from "./feature-hash.ts";

/** What the tagger asks of a lexicon: a Map while training, a HashedLexicon once loaded. */
export interface Lexicon {
  get(word: string): number | undefined;
  has(word: string): boolean;
}

/** The whole lexicon, word by word, as training builds and walks it. */
export type LexiconMap = ReadonlyMap<string, number>;

const SCOWL_SIZES = [10, 20, 35, 40, 50, 55, 60, 70];

export const LEX_COMMON_FIRST = 1 << 3;
export const LEX_NAME_PART = 1 << 4;
export const LEX_HUMAN_NAME = 1 << 5;
export const LEX_COMPANY = 1 << 6;
export const LEX_FAMOUS = 1 << 11;
export const LEX_PLACE = 1 << 12;
export const LEX_ORG = 1 << 13;
export const LEX_DEMONYM = 1 << 14;
export const LEX_TITLE = 1 << 15;
export const LEX_ROLE = 1 << 16;
export const LEX_DATE = 1 << 17;
/** Any name list: a first name of some tier, person, company, place or organization names, demonyms. */
export const LEX_ANY_NAME =
  7 |
  LEX_COMMON_FIRST |
  LEX_NAME_PART |
  LEX_HUMAN_NAME |
  LEX_COMPANY |
  LEX_FAMOUS |
  LEX_PLACE |
  LEX_ORG |
  LEX_DEMONYM;
const LETTER_BITS: Record<string, number> = {
  s: LEX_COMMON_FIRST,
  n: LEX_NAME_PART,
  h: LEX_HUMAN_NAME,
  c: LEX_COMPANY,
  p: LEX_FAMOUS,
  l: LEX_PLACE,
  o: LEX_ORG,
  d: LEX_DEMONYM,
  t: LEX_TITLE,
  r: LEX_ROLE,
  m: LEX_DATE,
};

export function firstNameTier(bits: number): number {
  return bits & 7;
}

export function wordTier(bits: number): number {
  return (bits >> 7) & 15;
}

/** Parses `word TAB flags` lines (the gazetteer file format) into a lexicon. */
export function parseGazetteer(text: string): Map<string, number> {
  const lex = new Map<string, number>();
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab <= 0) continue;
    let bits = 0;
    for (const flag of line.slice(tab + 1).split(" ")) {
      const kind = flag[0];
      const num = Number(flag.slice(1));
      if (kind === "f") bits |= num & 7;
      else if (kind === "w") bits |= (SCOWL_SIZES.indexOf(num) + 1) << 7;
      else if (kind !== undefined) bits |= LETTER_BITS[kind] ?? 0;
    }
    lex.set(line.slice(0, tab), bits);
  }
  return lex;
}

/**
 * Word clusters (clusters.tsv.gz, see scripts/derive-clusters.ts): `word TAB fine TAB coarse` lines
 * as word → (fine + 1) × 16 + (coarse + 1), the form the model file stores them in (a lexicon of
 * its own, so that "in a name list" keeps meaning what it did for words the gazetteer lacks).
 */
export function parseClusters(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [word, fine, coarse] = line.split("\t");
    if (!word || fine === undefined || coarse === undefined) continue;
    out.set(word, (Number(fine) + 1) * 16 + Number(coarse) + 1);
  }
  return out;
}

/** A word's fine cluster as a feature value ("" for none). */
export function fineCluster(value: number | undefined): string {
  return value === undefined ? "" : ((value >> 4) - 1).toString(36);
}

/** A word's coarse cluster (a group of fine ones) as a feature value ("" for none). */
export function coarseCluster(value: number | undefined): string {
  return value === undefined ? "" : ((value & 15) - 1).toString(36);
}

/** Compact serialization for the model file: `word:bits` joined by newlines (bits in base 36). */
export function serializeLexicon(lex: Lexicon): string {
  if (lex instanceof HashedLexicon) {
    if (lex.source === null) throw new Error("names lexicon: loaded for detection only, without its text");
    return lex.source;
  }
  if (!(lex instanceof Map)) throw new TypeError("a lexicon to save is a Map or a HashedLexicon");
  const parts: string[] = [];
  for (const [w, b] of lex as LexiconMap) parts.push(`${w}\t${b.toString(36)}`);
  return parts.join("\n");
}

/** The serialized lexicon as a Map (training and tests; the detector loads a HashedLexicon). */
export function deserializeLexicon(text: string): Map<string, number> {
  const lex = new Map<string, number>();
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const tab = text.indexOf("\t", pos);
    if (tab > pos && tab < nl) lex.set(text.slice(pos, tab), Number.parseInt(text.slice(tab + 1, nl), 36));
    pos = nl + 1;
  }
  return lex;
}

/**
 * The loaded lexicon: the serialized text plus an open-addressing table of two independent 32-bit
 * hashes per word (FNV-1a and a murmur-style mix) and its bits. As a Map of its ~400,000 words it
 * took about 40 MB of heap and 170 ms to build; this is 12 MB of typed arrays, built from the text
 * without making a string per word. A word it doesn't hold matches one it does only if both
 * hashes collide (about one lookup in 10^14); two held words that collide fail the load.
 */
export class HashedLexicon implements Lexicon {
  private readonly mask: number;
  private readonly keys1: Int32Array;
  private readonly keys2: Int32Array;
  /** bits + 1; 0 is an empty slot. */
  private readonly values: Int32Array;
  readonly size: number;
  /** The serialized text, to save the lexicon again; null when loaded without it (keepSource). */
  readonly source: string | null;

  /** `source`: the serialized text, or a table's slots and word count as they were saved (then without its text). */
  constructor(source: string | { slots: HashSlots; size: number }, options: { keepSource?: boolean } = {}) {
    if (typeof source !== "string") {
      if (!isHashSlots(source.slots)) throw new Error("names lexicon: malformed table");
      this.source = null;
      this.mask = source.slots.values.length - 1;
      this.keys1 = source.slots.keys1;
      this.keys2 = source.slots.keys2;
      this.values = source.slots.values;
      this.size = source.size;
      return;
    }
    this.source = options.keepSource === false ? null : source;
    let lines = 0;
    for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lines++;
    let slots = 1024;
    while (slots < (lines + 1) * 2) slots *= 2;
    this.mask = slots - 1;
    this.keys1 = new Int32Array(slots);
    this.keys2 = new Int32Array(slots);
    this.values = new Int32Array(slots);
    let size = 0;
    let pos = 0;
    while (pos < source.length) {
      let nl = source.indexOf("\n", pos);
      if (nl < 0) nl = source.length;
      const tab = source.indexOf("\t", pos);
      if (tab > pos && tab < nl) {
        hashRange(source, pos, tab);
        let bits = 0;
        for (let i = tab + 1; i < nl; i++) bits = bits * 36 + base36(source.charCodeAt(i));
        if (this.insert(h1, h2, bits)) size++;
        else throw new Error(`names lexicon: two words share a hash ("${source.slice(pos, tab)}")`);
      }
      pos = nl + 1;
    }
    this.size = size;
  }

  /** The table's arrays (to save them: see compact.ts). */
  get slots(): HashSlots {
    return { keys1: this.keys1, keys2: this.keys2, values: this.values };
  }

  get(word: string): number | undefined {
    hashRange(word, 0, word.length);
    let slot = h1 & this.mask;
    for (;;) {
      const v = this.values[slot] as number;
      if (v === 0) return undefined;
      if (this.keys1[slot] === h1 && this.keys2[slot] === h2) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  has(word: string): boolean {
    return this.get(word) !== undefined;
  }

  private insert(k1: number, k2: number, bits: number): boolean {
    let slot = k1 & this.mask;
    while (this.values[slot] !== 0) {
      if (this.keys1[slot] === k1 && this.keys2[slot] === k2) return false;
      slot = (slot + 1) & this.mask;
    }
    this.keys1[slot] = k1;
    this.keys2[slot] = k2;
    this.values[slot] = bits + 1;
    return true;
  }
}

// The two hashes of the last hashRange() call: module-level so a lookup allocates nothing.
let h1 = 0;
let h2 = 0;

function hashRange(s: string, from: number, to: number): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    const x = Math.imul(b ^ c, 0x5bd1e995);
    b = x ^ (x >>> 15);
  }
  h1 = a;
  h2 = b;
}

/** The value of a base-36 digit (0-9, a-z). */
function base36(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}
