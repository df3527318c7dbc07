/**
 * Evaluates person / organization detection on WNUT17 dev (or a CoNLL file given as argument).
 *
 *   npm run eval:ner [-- path/to/dev.conll] [--detector detect|names|both] [--errors]
 *
 * `detect` is the real detection path, detect() from src/core/detect/index.ts, whose names come
 * from detectNames; `names` is detectNames alone; `both` (the default) reports both. Each dev
 * sentence is rebuilt by joining its tokens with single spaces; spans must match exactly.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { detect } from "../src/core/detect/index.ts";
import { type Detector, evaluateNer, type NerEvaluation } from "../src/core/detect/names/evaluate.ts";
import { detectNames } from "../src/core/detect/names/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const which = args.includes("--detector") ? args[args.indexOf("--detector") + 1] : "both";
const showErrors = args.includes("--errors");
const positional = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--detector");
const conllPath = resolve(positional[0] ?? resolve(root, "../shared/data/wnut17/dev.conll"));

const detectors: Record<string, Detector> = {
  detect: (text) => detect(text),
  names: (text) => detectNames(text),
};
const chosen = which === "both" ? ["detect", "names"] : [which ?? ""];
for (const name of chosen) {
  const detector = detectors[name];
  if (!detector) throw new Error(`unknown detector ${name}; use detect, names or both`);
  report(name, evaluateNer(conllPath, detector, { warmupRounds: 2, timingRounds: 5 }));
}

function report(name: string, r: NerEvaluation): void {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
  console.log(
    `${conllPath} (${r.sentences} sentences), detector: ${name === "detect" ? "detect()" : "detectNames()"}`,
  );
  for (const kind of ["person", "organization"] as const) {
    const s = r[kind];
    console.log(
      `  ${kind.padEnd(13)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`,
    );
  }
  console.log(`  throughput    ${Math.round(r.sentencesPerSecond)} sentences/s (one thread, after warm-up)`);
  if (!showErrors) return;
  for (const d of r.details) {
    const key = (s: { kind: string; start: number; end: number }) => `${s.kind}:${s.start}:${s.end}`;
    const gold = new Set(d.gold.map(key));
    const found = new Set(d.detected.map(key));
    const missed = d.gold.filter((g) => !found.has(key(g)));
    const wrong = d.detected.filter((g) => !gold.has(key(g)));
    if (missed.length + wrong.length === 0) continue;
    const show = (s: { kind: string; start: number; end: number }) =>
      `${s.kind}:${JSON.stringify(d.text.slice(s.start, s.end))}`;
    console.log(
      `  ${d.text}\n     missed: ${missed.map(show).join(" ")}   false: ${wrong.map(show).join(" ")}`,
    );
  }
}
