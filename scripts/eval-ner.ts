/**
 * Evaluates person / organization detection on the evaluation sets (or CoNLL files given as arguments).
 *
 *   [NER_DATA=/path/to/shared/data] npm run eval:ner [-- path/to/file.conll[#part/parts] …] [--detector detect|names|both] [--errors]
 *
 * Default sets, none of them trained or tuned on by themselves (changes are chosen by the average):
 * WNUT17 dev, Broad Twitter Corpus section F (its authors' test set) and the second half of BTC
 * section H (their dev set). `detect` is the real detection path, detect() from
 * src/core/detect/index.ts, whose names come from detectNames; `names` is detectNames alone; `both`
 * (the default) reports both. Each sentence is rebuilt by joining its tokens with single spaces
 * (BTC's "@ user" becomes "@user", a handle, which no name span may cover); spans must match exactly.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { detect } from "../src/core/detect/index.ts";
import { EVALUATION_SETS } from "../src/core/detect/names/corpora.ts";
import { type Detector, evaluateNer, type NerEvaluation } from "../src/core/detect/names/evaluate.ts";
import { detectNames } from "../src/core/detect/names/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// NER_DATA: the shared data folder, when it is not ../shared/data beside the repository (a worktree).
const data = resolve(process.env.NER_DATA ?? resolve(root, "../shared/data"));
const args = process.argv.slice(2);
const which = args.includes("--detector") ? args[args.indexOf("--detector") + 1] : "both";
const showErrors = args.includes("--errors");
const positional = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--detector");
const sets =
  positional.length > 0 ? positional.map((p) => resolve(p)) : EVALUATION_SETS.map((s) => resolve(data, s));

const detectors: Record<string, Detector> = {
  detect: (text) => detect(text),
  names: (text) => detectNames(text),
};
const chosen = which === "both" ? ["detect", "names"] : [which ?? ""];
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
for (const name of chosen) {
  const detector = detectors[name];
  if (!detector) throw new Error(`unknown detector ${name}; use detect, names or both`);
  console.log(`detector: ${name === "detect" ? "detect()" : "detectNames()"}`);
  const results = sets.map((set) =>
    report(set, evaluateNer(set, detector, { warmupRounds: 2, timingRounds: 5 })),
  );
  if (results.length > 1) {
    const mean = (f: (r: NerEvaluation) => number) => results.reduce((s, r) => s + f(r), 0) / results.length;
    const sentences = results.reduce((s, r) => s + r.sentences, 0);
    const seconds = results.reduce((s, r) => s + r.sentences / r.sentencesPerSecond, 0);
    console.log(
      `  average of ${results.length} sets: person P ${pct(mean((r) => r.person.precision))}  R ${pct(mean((r) => r.person.recall))}` +
        `  F1 ${pct(mean((r) => r.person.f1))}   | org F1 ${pct(mean((r) => r.organization.f1))}` +
        `   | ${Math.round(sentences / seconds)} sentences/s overall`,
    );
  }
}

function report(set: string, r: NerEvaluation): NerEvaluation {
  console.log(`  ${set} (${r.sentences} sentences)`);
  for (const kind of ["person", "organization"] as const) {
    const s = r[kind];
    console.log(
      `    ${kind.padEnd(13)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`,
    );
  }
  console.log(
    `    throughput    ${Math.round(r.sentencesPerSecond)} sentences/s (one thread, after warm-up)`,
  );
  if (!showErrors) return r;
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
      `    ${d.text}\n       missed: ${missed.map(show).join(" ")}   false: ${wrong.map(show).join(" ")}`,
    );
  }
  return r;
}
