/**
 * Feature extraction for the name tagger. Every feature is a short string; the model maps known
 * strings to weight rows and ignores the rest. Features of a token:
 *  - the lowercased word, its length and word shape;
 *  - its capitalization class, combined with whether it starts the sentence and with how the whole
 *    sentence is cased (all-caps shouting and Title Case Headlines make capitals meaningless);
 *  - gazetteer membership (first-name popularity tier, name lists, company list, how common the word
 *    is as an ordinary lowercase English word), alone and combined with the capitalization class;
 *  - the word's cluster from pre-trained word vectors (clusters.tsv.gz), and its neighbors' clusters;
 *  - the words at -2..+2, each combined with this token's capitalization class (and gazetteer tag);
 *  - capitalization class, shape and gazetteer facts of the neighbors;
 *  - chat specifics come in through the classes: @handle, #hashtag, URL, digits, emoji/punctuation.
 * Word prefixes/suffixes, raw-case words, word bigrams and bare neighbor words were tried and left
 * out: with ~3,400 training tweets (WNUT17 only, then) they memorized instead of generalizing.
 * The previous two predicted tags are added by the decoder (see tagger.ts).
 */
import {
  coarseCluster,
  fineCluster,
  firstNameTier,
  LEX_COMMON_FIRST,
  LEX_COMPANY,
  LEX_DATE,
  LEX_DEMONYM,
  LEX_FAMOUS,
  LEX_HUMAN_NAME,
  LEX_NAME_PART,
  LEX_ORG,
  LEX_PLACE,
  LEX_ROLE,
  LEX_TITLE,
  type Lexicon,
  wordTier,
} from "./lexicon.ts";
import { nameLikeness, type TrigramTable } from "./namelike.ts";

/** Capitalization class of a token. */
export type CapClass =
  | "C" // Capitalized: "John"
  | "X" // ALL CAPS, two letters or more: "JOHN"
  | "U" // a single capital letter: "I", "J"
  | "x" // lowercase: "john"
  | "m" // mixed, starting lowercase: "iPhone"
  | "@" // @handle
  | "#" // #hashtag
  | "u" // URL or email
  | "d" // digits (maybe with punctuation)
  | "p"; // punctuation, emoji, symbols

export interface TokenInfo {
  text: string;
  lower: string;
  cls: CapClass;
  shape: string;
  lex: number;
  /** First word of the sentence or after sentence punctuation. */
  first: boolean;
  /** For words in no list: how name-like their letters are, "a" (not at all) … "e" (very); else "". */
  nameLike: string;
  /** The word's cluster from pre-trained word vectors (fine, and its coarse group), or "". */
  cluster: string;
  coarse: string;
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;

/** "X" uppercase letter, "x" lowercase letter, "l" other letter, "d" digit, "" anything else. */
function charKind(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 128) {
    if (c >= 65 && c <= 90) return "X";
    if (c >= 97 && c <= 122) return "x";
    if (c >= 48 && c <= 57) return "d";
    return "";
  }
  return UPPER.test(ch) ? "X" : LOWER.test(ch) ? "x" : DIGIT.test(ch) ? "d" : LETTER.test(ch) ? "l" : "";
}

function capClass(t: string): CapClass {
  const c0 = t.charCodeAt(0);
  if (c0 === 64 /* @ */ && t.length > 1) return "@";
  if (c0 === 35 /* # */ && t.length > 1) return "#";
  if (t.length > 6 && (t.startsWith("http") || t.startsWith("www.") || t.includes("@"))) return "u";
  let upper = 0;
  let lower = 0;
  let letters = 0;
  let digits = 0;
  let firstUpper = false;
  let pos = 0;
  for (const ch of t) {
    const k = charKind(ch);
    if (k === "X") {
      letters++;
      upper++;
      if (pos === 0) firstUpper = true;
    } else if (k === "x") {
      letters++;
      lower++;
    } else if (k === "l") letters++;
    else if (k === "d") digits++;
    pos++;
  }
  if (letters === 0) return digits > 0 ? "d" : "p";
  if (upper === 0) return "x";
  if (lower === 0) return upper === 1 && letters === 1 ? "U" : "X";
  return firstUpper ? "C" : "m";
}

/** Word shape with runs collapsed: "McDonald" → "XxXx", "R2-D2" → "Xd-Xd", "jane" → "x". */
function wordShape(t: string): string {
  let out = "";
  let last = "";
  let n = 0;
  for (const ch of t) {
    if (++n > 12) break;
    const s = charKind(ch) || ch;
    if (s !== last) out += s;
    last = s;
  }
  return out;
}

const SENTENCE_BREAK = new Set([
  ".",
  "!",
  "?",
  ":",
  '"',
  "“",
  "”",
  "(",
  ")",
  "|",
  "-",
  "...",
  "…",
  "RT",
  "rt",
]);

const NAME_LIKE_WORD = /^\p{L}{3,}$/u;

function nameLikeBin(lower: string, lex: number, trigrams: TrigramTable): string {
  if (lex !== 0 || !NAME_LIKE_WORD.test(lower)) return "";
  const s = nameLikeness(lower, trigrams);
  return s < -1 ? "a" : s < -0.3 ? "b" : s < 0.3 ? "c" : s < 1 ? "d" : "e";
}

/** What analyze() finds out about a word from its text alone. */
type WordFacts = Pick<TokenInfo, "lower" | "cls" | "shape" | "lex" | "nameLike" | "cluster" | "coarse">;

/**
 * analyze()'s word facts by word text, for one lexicon, trigram table and clusters (a model's): chat repeats
 * its words, and working out casing, shape, gazetteer bits and name-likeness again for each was
 * about a tenth of detection. Bounded: it starts over empty when full.
 */
export class WordFactsMemo {
  private readonly facts = new Map<string, WordFacts>();
  constructor(private readonly capacity = 65_536) {}
  get(text: string): WordFacts | undefined {
    return this.facts.get(text);
  }
  set(text: string, facts: WordFacts): void {
    if (this.facts.size >= this.capacity) this.facts.clear();
    this.facts.set(text, facts);
  }
}

function wordFacts(text: string, lexicon: Lexicon, trigrams: TrigramTable, clusters?: Lexicon): WordFacts {
  const lower = text.toLowerCase();
  const cls = capClass(text);
  const bare = cls === "@" || cls === "#" ? lower.slice(1) : lower;
  const lex = lexicon.get(bare) ?? 0;
  const nameLike = cls === "@" || cls === "#" ? "" : nameLikeBin(lower, lex, trigrams);
  // Handles, hashtags and URLs have no cluster: their letters are not the word of a sentence.
  const kv =
    clusters !== undefined && (cls === "C" || cls === "X" || cls === "U" || cls === "x" || cls === "m")
      ? clusters.get(lower)
      : undefined;
  return {
    lower,
    cls,
    shape: wordShape(text),
    lex,
    nameLike,
    cluster: fineCluster(kv),
    coarse: coarseCluster(kv),
  };
}

/** `memo` must belong to this lexicon, trigram table and clusters. */
export function analyze(
  tokens: readonly string[],
  lexicon: Lexicon,
  trigrams: TrigramTable,
  memo?: WordFactsMemo,
  clusters?: Lexicon,
): TokenInfo[] {
  const out: TokenInfo[] = new Array(tokens.length);
  let first = true;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i] ?? "";
    let f = memo?.get(text);
    if (f === undefined) {
      f = wordFacts(text, lexicon, trigrams, clusters);
      memo?.set(text, f);
    }
    const cls = f.cls;
    out[i] = {
      text,
      lower: f.lower,
      cls,
      shape: f.shape,
      lex: f.lex,
      first,
      nameLike: f.nameLike,
      cluster: f.cluster,
      coarse: f.coarse,
    };
    if (cls === "C" || cls === "X" || cls === "U" || cls === "x" || cls === "m" || cls === "d") first = false;
    if (SENTENCE_BREAK.has(text) || (cls === "p" && !/^[,;'’&/*]/.test(text)) || cls === "u") first = true;
  }
  return out;
}

/** How the whole sentence is cased: "A" shouting, "T" Title Case, "L" no capitals, "N" normal. */
export function sentenceCase(info: readonly TokenInfo[]): string {
  let words = 0;
  let caps = 0;
  let allCaps = 0;
  for (const t of info) {
    if (t.cls === "x" || t.cls === "m") words++;
    else if (t.cls === "C") {
      words++;
      caps++;
    } else if (t.cls === "X") {
      words++;
      caps++;
      allCaps++;
    }
  }
  if (words === 0) return "N";
  if (allCaps >= 2 && allCaps >= 0.6 * words) return "A";
  if (caps === 0) return "L";
  if (words >= 3 && caps >= 0.7 * words) return "T";
  return "N";
}

/**
 * The gazetteer facts the features use, as one number: name tier × 16 + word tier. The name tier is
 * the first-name popularity tier, or 6 for a word only in the name lists, or 0.
 */
export function lexTagCode(bits: number): number {
  let nt = firstNameTier(bits);
  if (nt === 0 && bits & (LEX_NAME_PART | LEX_HUMAN_NAME)) nt = 6;
  return nt * 16 + wordTier(bits);
}

const lexCache = new Map<number, string>();
/** The gazetteer tag of a word's lexicon bits, as the features use it. */
export function lexTag(bits: number): string {
  let s = lexCache.get(bits);
  if (s === undefined) {
    const code = lexTagCode(bits);
    s = `${code >> 4}${code & 15}`;
    lexCache.set(bits, s);
  }
  return s;
}

/** Which kinds of names (or name-ish words) the word belongs to, as letters. */
const SEM_BITS: Array<[number, string]> = [
  [LEX_FAMOUS, "p"],
  [LEX_PLACE, "l"],
  [LEX_ORG, "o"],
  [LEX_COMPANY, "c"],
  [LEX_DEMONYM, "d"],
  [LEX_TITLE, "t"],
  [LEX_ROLE, "r"],
  [LEX_DATE, "m"],
];
const semCache = new Map<number, string>();
function semTag(bits: number): string {
  const key = bits >> 6;
  let s = semCache.get(key);
  if (s === undefined) {
    s = "";
    for (const [bit, letter] of SEM_BITS) if (bits & bit) s += letter;
    semCache.set(key, s);
  }
  return s;
}

/**
 * Where features go. A feature is the concatenation of the parts given to one add() call: the
 * trainer collects the strings (StringSink), the detector hashes the parts as they come and never
 * builds the string (see PerceptronModel.scoringSink), which is most of the tagger's time saved.
 */
export interface FeatureSink {
  add(a: string, b?: string, c?: string, d?: string, e?: string, f?: string): void;
}

export class StringSink implements FeatureSink {
  readonly features: string[] = [];
  add(a: string, b = "", c = "", d = "", e = "", f = ""): void {
    this.features.push(a + b + c + d + e + f);
  }
}

/** "0" … "9" for the length feature (capped at 9). */
const LENGTHS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** What the features see beyond the sentence's edges. */
export const EDGE: TokenInfo = {
  text: "<s>",
  lower: "<s>",
  cls: "p",
  shape: "<s>",
  lex: 0,
  first: false,
  nameLike: "",
  cluster: "",
  coarse: "",
};

/** Static (tag-independent) features of token i: the groups below, which detection memoizes. */
export function tokenFeatures(info: readonly TokenInfo[], i: number, sc: string, out: FeatureSink): void {
  const t = info[i] ?? EDGE;
  const p1 = info[i - 1] ?? EDGE;
  const n1 = info[i + 1] ?? EDGE;
  const lx = lexTag(t.lex);
  wordFeatures(t, sc, out);
  leftFeatures(p1, t.cls, lx, out);
  rightFeatures(t.cls, lx, n1, out);
  farLeftFeatures(info[i - 2] ?? EDGE, t.cls, out);
  farRightFeatures(t.cls, info[i + 2] ?? EDGE, out);
  classWindowFeatures(p1.cls, t.cls, n1.cls, sc, out);
}

/** Features of the token alone (its word, shape, class, gazetteer facts), its position and the sentence casing. */
export function wordFeatures(t: TokenInfo, sc: string, out: FeatureSink): void {
  const l = t.lower;
  const cls = t.cls;
  const pos = t.first ? "F" : "M";
  const lx = lexTag(t.lex);
  out.add("b");
  out.add("w=", l);
  out.add("sh=", t.shape);
  out.add("c=", cls);
  out.add("cp=", cls, pos);
  out.add("cs=", cls, pos, sc);
  out.add("len=", LENGTHS[Math.min(l.length, 9)] as string, cls);
  // Gazetteers, alone and with the capitalization class, position and sentence casing.
  out.add("lx=", lx);
  out.add("lxc=", lx, cls, pos);
  out.add("lxs=", lx, cls, sc);
  const b = t.lex;
  if (b & LEX_COMMON_FIRST) out.add("gs", cls);
  if (b & LEX_NAME_PART) out.add("gn", cls);
  if (b & LEX_HUMAN_NAME) out.add("gh", cls);
  if (t.nameLike !== "") {
    out.add("nl=", t.nameLike);
    out.add("nlc=", t.nameLike, cls, pos);
  }
  if (t.cluster !== "") {
    out.add("k=", t.cluster);
    out.add("kc=", t.cluster, cls, pos);
    out.add("K=", t.coarse, cls, pos, sc);
  }
  const sem = semTag(b);
  if (sem !== "") {
    out.add("sem=", sem);
    out.add("semc=", sem, cls, pos);
    out.add("semlx=", sem, lx, cls);
  }
}

/**
 * Features of the previous token combined with what this one looks like (its class and gazetteer
 * tag): "thanks X", a title before X, the neighbor's casing and gazetteer facts.
 */
export function leftFeatures(p1: TokenInfo, cls: CapClass, lx: string, out: FeatureSink): void {
  if (p1.lex & (LEX_TITLE | LEX_ROLE)) out.add("sem-1=", semTag(p1.lex), "|", cls);
  if (p1.lex & LEX_FAMOUS) out.add("sem-1p=p", p1.cls, "|", cls);
  out.add("w-1c=", p1.lower, "|", cls);
  out.add("w-1lx=", p1.lower, "|", lx, cls);
  out.add("c-1c=", p1.cls, cls);
  out.add("sh-1=", p1.shape);
  if (p1.cluster !== "") out.add("k-1=", p1.cluster, "|", cls);
  const plx = lexTag(p1.lex);
  out.add("lx-1=", plx, p1.cls, "|", cls);
  out.add("lx-1lx=", plx, p1.cls, "|", lx, cls);
}

/** The same for the next token ("X is", "X from"). */
export function rightFeatures(cls: CapClass, lx: string, n1: TokenInfo, out: FeatureSink): void {
  if (n1.lex & LEX_FAMOUS) out.add("sem+1=", cls, "|p", n1.cls);
  out.add("cw+1=", cls, "|", n1.lower);
  out.add("lxw+1=", lx, cls, "|", n1.lower);
  out.add("cc+1=", cls, n1.cls);
  out.add("sh+1=", n1.shape);
  if (n1.cluster !== "") out.add("k+1=", cls, "|", n1.cluster);
  const nlx = lexTag(n1.lex);
  out.add("lx+1=", cls, "|", nlx, n1.cls);
  out.add("lxlx+1=", lx, cls, "|", nlx, n1.cls);
}

/** Features over the wider window: the words two away, and the classes on both sides. */
export function farLeftFeatures(p2: TokenInfo, cls: CapClass, out: FeatureSink): void {
  out.add("w-2c=", p2.lower, "|", cls);
}

export function farRightFeatures(cls: CapClass, n2: TokenInfo, out: FeatureSink): void {
  out.add("cw+2=", cls, "|", n2.lower);
}

export function classWindowFeatures(
  before: CapClass,
  cls: CapClass,
  after: CapClass,
  sc: string,
  out: FeatureSink,
): void {
  out.add("c-1cc+1=", before, cls, after, sc);
}
