/**
 * Greedy left-to-right BIO tagger over an averaged perceptron. Each tag gets a score: the sum of
 * the weights of the token's features for that tag; the best tag that is a valid BIO continuation
 * wins, and becomes a feature of the next token.
 */
import {
  analyze,
  type FeatureSink,
  StringSink,
  sentenceCase,
  type TokenInfo,
  tokenFeatures,
  type WordFactsMemo,
} from "./features.ts";
import { LEX_ANY_NAME, type Lexicon, wordTier } from "./lexicon.ts";
import type { TrigramTable } from "./namelike.ts";

/** Entity classes the tagger knows; only person and organization leave this folder. */
export const TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"] as const;
export type Tag = (typeof TAGS)[number];
export const NUM_TAGS = TAGS.length;

/** allowed[prev * NUM_TAGS + tag]: I-X only right after B-X or I-X. */
const ALLOWED: Uint8Array = (() => {
  const a = new Uint8Array(NUM_TAGS * NUM_TAGS);
  for (let p = 0; p < NUM_TAGS; p++) {
    for (let t = 0; t < NUM_TAGS; t++) {
      const tag = TAGS[t] ?? "O";
      const prev = TAGS[p] ?? "O";
      a[p * NUM_TAGS + t] = !tag.startsWith("I-") || prev.slice(2) === tag.slice(2) ? 1 : 0;
    }
  }
  return a;
})();
const START = 0; // "O" acts as the tag before the sentence.

/** Anything that can score a feature list into per-tag scores. */
export interface Scorer {
  lexicon: Lexicon;
  /** Character-trigram name-likeness table (see namelike.ts). */
  trigrams: TrigramTable;
  /** Word clusters from pre-trained vectors (see lexicon.ts parseClusters), if the model has them. */
  clusters?: Lexicon;
  /** Adds the weights of `features` into scores (length NUM_TAGS). */
  score(features: readonly string[], scores: Float64Array): void;
  /**
   * Detection's way, without feature strings: a scorer for this sentence's tokens whose add() must
   * equal score() over the token's feature strings. Valid until the next call.
   */
  tokenScorer?(info: readonly TokenInfo[], sc: string): TokenScorer;
  /** analyze()'s word facts, remembered across sentences (this model's lexicon and trigrams). */
  words?: WordFactsMemo;
  /** Per-tag offsets added to every token's emission scores (tuned after training). */
  bias?: Float64Array;
}

function addBias(model: Scorer, scores: Float64Array): void {
  const b = model.bias;
  if (b) for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (b[k] as number);
}

export interface TokenScorer {
  /** Adds the scores of token i (all its features, after tags prev and prev2) into `scores`. */
  add(i: number, prev: number, prev2: number, scores: Float64Array): void;
}

/** Dynamic features from the previously predicted tags. */
export function tagFeatures(t: TokenInfo, prev: number, prev2: number, out: FeatureSink): void {
  const p = TAG_DIGITS[prev] as string;
  out.add("t-1=", p);
  out.add("t-2t-1=", TAG_DIGITS[prev2] as string, p);
  out.add("t-1c=", p, t.cls);
}

const TAG_DIGITS = TAGS.map((_, k) => String(k));

export interface TagStep {
  features: string[];
  predicted: number;
}

/**
 * Tags one sentence. `onStep` (training) sees each token's features and predicted tag and may
 * return a corrected tag to continue with (the gold tag), otherwise the prediction is used.
 */
export function tagSentence(
  tokens: readonly string[],
  model: Scorer,
  onStep?: (i: number, step: TagStep) => number,
): Uint8Array {
  const info = analyze(tokens, model.lexicon, model.trigrams, model.words, model.clusters);
  const sc = sentenceCase(info);
  const tags = new Uint8Array(tokens.length);
  const scores = new Float64Array(NUM_TAGS);
  // Training needs the feature strings (onStep); detection scores without them when it can.
  const fast = onStep === undefined ? model.tokenScorer?.(info, sc) : undefined;
  const strings = new StringSink();
  const feats = strings.features;
  let prev = START;
  let prev2 = START;
  for (let i = 0; i < info.length; i++) {
    const t = info[i] as TokenInfo;
    // Detection only: training must see every token with its features.
    if (!onStep && prev === START && obviouslyOutside(t)) {
      tags[i] = START;
      prev2 = prev;
      continue;
    }
    scores.fill(0);
    if (fast) {
      fast.add(i, prev, prev2, scores);
    } else {
      feats.length = 0;
      tokenFeatures(info, i, sc, strings);
      tagFeatures(t, prev, prev2, strings);
      model.score(feats, scores);
    }
    addBias(model, scores);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < NUM_TAGS; k++) {
      if (ALLOWED[prev * NUM_TAGS + k] === 0) continue;
      const s = scores[k] ?? 0;
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    const chosen = onStep ? onStep(i, { features: feats, predicted: best }) : best;
    tags[i] = chosen;
    prev2 = prev;
    prev = chosen;
  }
  return tags;
}

/** SCOWL sizes 10–35: the most common English words. */
const COMMON_WORD_TIER = 3;

/**
 * Tokens the model all but never tags as the start of a name after an "O": punctuation, numbers,
 * and the most common lowercase English words that are in no name list. Detection tags them "O"
 * without scoring them, which skips most tokens of ordinary chat text (about a fifth of the
 * tagger's time). On WNUT17 dev the person scores are unchanged (same true and false positives);
 * over WNUT17 train + dev and a sample export, 4 of 10,701 texts get other person spans.
 */
function obviouslyOutside(t: TokenInfo): boolean {
  if (t.cls === "p" || t.cls === "d") return true;
  if (t.cls !== "x") return false;
  const tier = wordTier(t.lex);
  return tier >= 1 && tier <= COMMON_WORD_TIER && (t.lex & LEX_ANY_NAME) === 0;
}

/** Tags one sentence with the model. */
export function decode(tokens: readonly string[], model: Scorer): Uint8Array {
  return tagSentence(tokens, model);
}

export interface TagSpan {
  kind: string;
  first: number;
  last: number;
}

/** Entity spans (token index ranges, inclusive) from BIO tags. */
export function spansFromTags(tags: ArrayLike<number>): TagSpan[] {
  const spans: TagSpan[] = [];
  let cur: TagSpan | null = null;
  for (let i = 0; i < tags.length; i++) {
    const tag = TAGS[tags[i] ?? 0] ?? "O";
    if (tag.startsWith("I-") && cur && cur.kind === tag.slice(2)) {
      cur.last = i;
      continue;
    }
    if (cur) spans.push(cur);
    cur = tag === "O" ? null : { kind: tag.slice(2), first: i, last: i };
  }
  if (cur) spans.push(cur);
  return spans;
}
