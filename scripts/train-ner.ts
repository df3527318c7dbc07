/**
 * Trains the person/organization name tagger and writes src/core/detect/names/model.json.gz.
 *
 *   [NER_DATA=/path/to/shared/data] npm run train:ner [-- file.conll[#part/parts] …] [--epochs N]
 *       [--seeds 1,2,3,4] [--eval] [--no-clusters] [--opt name=value …] [--out model.json.gz]
 *
 * Default training files: TRAINING_SETS (corpora.ts) under NER_DATA (default ../shared/data beside the
 * repository): WNUT17 train and the Broad Twitter Corpus training sections. Training is deterministic
 * (seeded shuffling and augmentation). `--eval` prints person F1 on each of EVALUATION_SETS and their
 * average after each epoch (of the first seed's model); those sets are never trained on.
 */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { EVALUATION_SETS, TRAINING_SETS } from "../src/core/detect/names/corpora.ts";
import { evaluateNer } from "../src/core/detect/names/evaluate.ts";
import { detectNamesWith } from "../src/core/detect/names/index.ts";
import { MODEL_URL } from "../src/core/detect/names/model.ts";
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions, train } from "../src/core/detect/names/train.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS };
const epochs = flag("--epochs");
if (epochs) opts.epochs = Number(epochs);
// --opt name=value (repeatable): any numeric training option, for experiments (see TrainOptions).
for (let o = flag("--opt"); o !== undefined; o = flag("--opt")) {
  const [name, value] = o.split("=");
  const key = name as keyof TrainOptions;
  if (typeof opts[key] !== "number") throw new Error(`--opt: ${name} is not a numeric training option`);
  (opts as unknown as Record<string, number>)[key] = Number(value);
}
const seeds = flag("--seeds");
if (seeds) opts.seeds = seeds.split(",").map(Number);
if (args.includes("--no-clusters")) {
  opts.clusters = false;
  args.splice(args.indexOf("--no-clusters"), 1);
}
const evaluate = args.includes("--eval");
if (evaluate) args.splice(args.indexOf("--eval"), 1);
const out = resolve(flag("--out") ?? fileURLToPath(MODEL_URL));
const data = resolve(process.env.NER_DATA ?? resolve(root, "../shared/data"));
const trainPaths = args.length > 0 ? args.map((p) => resolve(p)) : TRAINING_SETS.map((s) => resolve(data, s));

if (evaluate) {
  let reported = 0;
  opts.onEpoch = (epoch, model) => {
    if (epoch <= reported) return; // only the first seed's run
    reported = epoch;
    const m = model();
    const f = (x: number) => x.toFixed(3);
    const scores = EVALUATION_SETS.map((set) => {
      const r = evaluateNer(resolve(data, set), (t) => detectNamesWith(m, t), {
        timingRounds: 0,
        warmupRounds: 0,
      });
      return { set, p: r.person.precision, r: r.person.recall, f1: r.person.f1 };
    });
    const mean = scores.reduce((sum, s) => sum + s.f1, 0) / scores.length;
    console.log(
      `epoch ${epoch}: person F1 ${scores.map((s) => `${s.set} ${f(s.f1)} (P ${f(s.p)} R ${f(s.r)})`).join(", ")}; average ${f(mean)}`,
    );
  };
}

const t0 = Date.now();
const model = train(trainPaths, opts);
const bytes = gzipSync(model.serialize(), { level: 9 });
writeFileSync(out, bytes);
console.log(
  `trained on ${trainPaths.join(", ")} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${model.featureCount} features, ` +
    `${(bytes.length / 1e6).toFixed(2)} MB -> ${out}`,
);
