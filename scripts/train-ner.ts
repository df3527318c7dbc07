/**
 * Trains the person/organization name tagger and writes src/core/detect/names/model.json.gz.
 *
 *   npm run train:ner [-- path/to/train.conll] [--epochs N] [--seeds 1,2,3,4] [--dev path/to/dev.conll]
 *
 * Default training file: ../shared/data/wnut17/train.conll relative to the repository root. Training is
 * deterministic (seeded shuffling and augmentation). `--dev` only prints dev scores after each epoch
 * (of the first seed's model); the dev split is never trained on.
 */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
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
const seeds = flag("--seeds");
if (seeds) opts.seeds = seeds.split(",").map(Number);
const dev = flag("--dev");
const out = resolve(flag("--out") ?? fileURLToPath(MODEL_URL));
const trainPath = resolve(args[0] ?? resolve(root, "../shared/data/wnut17/train.conll"));

if (dev) {
  let reported = 0;
  opts.onEpoch = (epoch, model) => {
    if (epoch <= reported) return; // only the first seed's run
    reported = epoch;
    const m = model();
    const r = evaluateNer(dev, (t) => detectNamesWith(m, t), { timingRounds: 0, warmupRounds: 0 });
    const f = (x: number) => x.toFixed(3);
    console.log(
      `epoch ${epoch}: person P ${f(r.person.precision)} R ${f(r.person.recall)} F1 ${f(r.person.f1)}` +
        ` | org P ${f(r.organization.precision)} R ${f(r.organization.recall)} F1 ${f(r.organization.f1)}`,
    );
  };
}

const t0 = Date.now();
const model = train(trainPath, opts);
const bytes = gzipSync(model.serialize(), { level: 9 });
writeFileSync(out, bytes);
console.log(
  `trained on ${trainPath} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${model.featureCount} features, ` +
    `${(bytes.length / 1e6).toFixed(2)} MB -> ${out}`,
);
