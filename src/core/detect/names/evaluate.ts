/**
 * Span-level evaluation on a WNUT17 CoNLL file: each sentence is rebuilt by joining its tokens with
 * single spaces, the detector runs on that text, and its person / organization spans are compared
 * with the gold spans by exact character offsets (micro-averaged precision, recall, F1).
 * Organization = WNUT `corporation` + `group`. Throughput is measured on one thread after a warm-up.
 */
import { performance } from "node:perf_hooks";
import { readConll, sentenceText } from "./conll.ts";

export interface DetectedSpan {
  kind: string;
  start: number;
  end: number;
}

export type Detector = (text: string) => ReadonlyArray<DetectedSpan>;

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface NerEvaluation {
  sentences: number;
  person: Score;
  organization: Score;
  sentencesPerSecond: number;
  /** Per sentence: text, gold and detected spans (for error analysis). */
  details: Array<{ text: string; gold: DetectedSpan[]; detected: DetectedSpan[] }>;
}

const GOLD_KIND: Record<string, string | undefined> = {
  person: "person",
  corporation: "organization",
  group: "organization",
  // Broad Twitter Corpus tags (shared/data/btc).
  PER: "person",
  ORG: "organization",
};

function score(tp: number, fp: number, fn: number): Score {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

export function evaluateNer(
  conllPath: string,
  detector: Detector,
  options: { timingRounds?: number; warmupRounds?: number } = {},
): NerEvaluation {
  const sentences = readConll(conllPath).map(sentenceText);
  const counts = { person: { tp: 0, fp: 0, fn: 0 }, organization: { tp: 0, fp: 0, fn: 0 } };
  const details: NerEvaluation["details"] = [];
  for (const s of sentences) {
    const gold: DetectedSpan[] = [];
    for (const g of s.spans) {
      const kind = GOLD_KIND[g.type];
      if (kind) gold.push({ kind, start: g.start, end: g.end });
    }
    const detected = detector(s.text).filter((d) => d.kind === "person" || d.kind === "organization");
    const key = (d: DetectedSpan): string => `${d.kind}:${d.start}:${d.end}`;
    const goldKeys = new Set(gold.map(key));
    const seen = new Set<string>();
    for (const d of detected) {
      const c = counts[d.kind as "person" | "organization"];
      const k = key(d);
      if (goldKeys.has(k) && !seen.has(k)) {
        c.tp++;
        seen.add(k);
      } else c.fp++;
    }
    for (const g of gold) if (!seen.has(key(g))) counts[g.kind as "person" | "organization"].fn++;
    details.push({ text: s.text, gold, detected: [...detected] });
  }

  const texts = sentences.map((s) => s.text);
  const warmup = options.warmupRounds ?? 1;
  for (let r = 0; r < warmup; r++) for (const t of texts) detector(t);
  const rounds = options.timingRounds ?? 3;
  let elapsed = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const t of texts) detector(t);
    elapsed += performance.now() - t0;
  }
  const sentencesPerSecond = rounds > 0 && elapsed > 0 ? (rounds * texts.length) / (elapsed / 1000) : 0;

  return {
    sentences: sentences.length,
    person: score(counts.person.tp, counts.person.fp, counts.person.fn),
    organization: score(counts.organization.tp, counts.organization.fp, counts.organization.fn),
    sentencesPerSecond,
    details,
  };
}
