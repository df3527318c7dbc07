/**
 * Averaged perceptron: the trainer (used by scripts/train-ner.ts) and the compact read-only model
 * the detector loads. The model file is gzipped JSON holding the feature strings, their weights
 * per tag as base64 int16 (one global scale), and the word lexicon.
 */
import { FeatureHashTable, type HashingSink } from "./feature-hash.ts";
import { type TokenInfo, WordFactsMemo } from "./features.ts";
import { HashedLexicon, type Lexicon, serializeLexicon } from "./lexicon.ts";
import { deserializeTrigrams, serializeTrigrams, type TrigramTable } from "./namelike.ts";
import { NUM_TAGS, type Scorer, TAGS, type TokenScorer } from "./tagger.ts";
import { TokenScores } from "./token-scores.ts";

const FORMAT = "take-it-offline/names-perceptron@1";

interface ModelFile {
  format: string;
  tags: string[];
  scale: number;
  features: string;
  weights: string;
  bias: number[];
  lexicon: string;
  trigrams: string;
  /** Word clusters, serialized like the lexicon (absent in models trained without them). */
  clusters?: string;
  meta: Record<string, string | number>;
}

/**
 * How a model finds a feature's weight row: by string (trained models, and models loaded to be
 * saved again or averaged) or only by hash (the detector's: see PerceptronModel.deserialize).
 */
type FeatureRows =
  | { kind: "strings"; index: ReadonlyMap<string, number> }
  | { kind: "hashes"; table: FeatureHashTable; count: number };

export class PerceptronModel implements Scorer {
  private readonly rows: FeatureRows;

  constructor(
    readonly lexicon: Lexicon,
    readonly trigrams: TrigramTable,
    features: ReadonlyMap<string, number> | { table: FeatureHashTable; count: number },
    private readonly weights: Float32Array,
    readonly meta: Record<string, string | number> = {},
    readonly clusters?: Lexicon,
  ) {
    this.rows =
      "table" in features
        ? { kind: "hashes", table: features.table, count: features.count }
        : { kind: "strings", index: features };
  }

  readonly words = new WordFactsMemo();

  /** Per-tag offsets added to every token's scores (tuned after training to trade precision for recall). */
  readonly bias = new Float64Array(NUM_TAGS);

  private hashed: FeatureHashTable | null = null;
  private tokenScores: TokenScores | null = null;

  private table(): FeatureHashTable {
    if (this.rows.kind === "hashes") return this.rows.table;
    this.hashed ??= new FeatureHashTable(this.rows.index, this.rows.index.size);
    return this.hashed;
  }

  /** The feature table and weights as detection reads them (compact.ts saves them as they are). */
  hashedWeights(): { table: FeatureHashTable; count: number; weights: Float32Array } {
    return { table: this.table(), count: this.featureCount, weights: this.weights };
  }

  /** The feature strings and their rows; only a model that keeps them can be saved or averaged. */
  private get index(): ReadonlyMap<string, number> {
    if (this.rows.kind !== "strings")
      throw new Error("names model: loaded for detection only, without its feature strings");
    return this.rows.index;
  }

  /** A sink that adds this model's weights for each feature into its target, without feature strings. */
  hashingSink(): HashingSink {
    return this.table().sink(this.weights, NUM_TAGS, new Float64Array(NUM_TAGS));
  }

  tokenScorer(info: readonly TokenInfo[], sc: string): TokenScorer {
    this.tokenScores ??= new TokenScores(this.hashingSink());
    return this.tokenScores.begin(info, sc);
  }

  score(features: readonly string[], scores: Float64Array): void {
    const w = this.weights;
    const rows = this.rows;
    for (let f = 0; f < features.length; f++) {
      const feature = features[f] as string;
      const row = rows.kind === "strings" ? rows.index.get(feature) : rows.table.findString(feature);
      if (row === undefined || row < 0) continue;
      const base = row * NUM_TAGS;
      for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (w[base + k] as number);
    }
  }

  /** The mean of several models' weights (models trained with different seeds vote as one). */
  static mean(models: readonly PerceptronModel[]): PerceptronModel {
    const first = models[0];
    if (!first) throw new Error("no models");
    const index = new Map<string, number>();
    for (const m of models) for (const f of m.index.keys()) if (!index.has(f)) index.set(f, index.size);
    const weights = new Float32Array(index.size * NUM_TAGS);
    for (const m of models) {
      for (const [f, row] of m.index) {
        const to = (index.get(f) as number) * NUM_TAGS;
        for (let k = 0; k < NUM_TAGS; k++) {
          weights[to + k] =
            (weights[to + k] as number) + (m.weights[row * NUM_TAGS + k] as number) / models.length;
        }
      }
    }
    const mean = new PerceptronModel(
      first.lexicon,
      first.trigrams,
      index,
      weights,
      { ...first.meta, models: models.length },
      first.clusters,
    );
    return mean;
  }

  get featureCount(): number {
    return this.rows.kind === "strings" ? this.rows.index.size : this.rows.count;
  }

  serialize(): string {
    const names = [...this.index.keys()];
    let max = 0;
    for (const v of this.weights) max = Math.max(max, Math.abs(v));
    const scale = max > 0 ? max / 32767 : 1;
    const q = new Int16Array(names.length * NUM_TAGS);
    for (let r = 0; r < names.length; r++) {
      const row = this.index.get(names[r] as string) as number;
      for (let k = 0; k < NUM_TAGS; k++) {
        q[r * NUM_TAGS + k] = Math.round((this.weights[row * NUM_TAGS + k] as number) / scale);
      }
    }
    const file: ModelFile = {
      format: FORMAT,
      tags: [...TAGS],
      scale,
      features: names.join("\n"),
      weights: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64"),
      bias: [...this.bias],
      lexicon: serializeLexicon(this.lexicon),
      trigrams: serializeTrigrams(this.trigrams),
      ...(this.clusters ? { clusters: serializeLexicon(this.clusters) } : {}),
      meta: this.meta,
    };
    return JSON.stringify(file);
  }

  /**
   * `forDetection`: keep only what tagging reads. The feature strings go into the hash table and
   * are dropped, and so is the lexicon's text: a model that can't be saved or averaged, some 17 MB
   * of heap smaller (a Map of ~90,000 feature strings, the strings themselves, the lexicon's 8 MB
   * of text) and quicker to load.
   */
  static deserialize(json: string, options: { forDetection?: boolean } = {}): PerceptronModel {
    const file = JSON.parse(json) as ModelFile;
    if (file.format !== FORMAT) throw new Error(`names model: unknown format ${String(file.format)}`);
    if (file.tags.join() !== TAGS.join()) throw new Error("names model: tag set differs from the code");
    const names = file.features.split("\n");
    const raw = Buffer.from(file.weights, "base64");
    const q = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const weights = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) weights[i] = (q[i] as number) * file.scale;
    let features: ReadonlyMap<string, number> | { table: FeatureHashTable; count: number };
    if (options.forDetection) {
      features = { table: new FeatureHashTable(rowsOf(names), names.length), count: names.length };
    } else {
      const index = new Map<string, number>();
      for (let r = 0; r < names.length; r++) index.set(names[r] as string, r);
      features = index;
    }
    const model = new PerceptronModel(
      new HashedLexicon(file.lexicon, { keepSource: !options.forDetection }),
      deserializeTrigrams(file.trigrams),
      features,
      weights,
      file.meta,
      file.clusters === undefined
        ? undefined
        : new HashedLexicon(file.clusters, { keepSource: !options.forDetection }),
    );
    model.bias.set(file.bias ?? []);
    return model;
  }
}

/** Each feature string with its weight row (its line in the model file). */
function* rowsOf(names: readonly string[]): Generator<readonly [string, number]> {
  for (let r = 0; r < names.length; r++) yield [names[r] as string, r];
}

/** Online training with lazy weight averaging (Collins 2002; Daumé's averaging trick). */
export class PerceptronTrainer implements Scorer {
  private readonly index = new Map<string, number>();
  private w = new Float64Array(1 << 16);
  private totals = new Float64Array(1 << 16);
  private stamps = new Float64Array(1 << 16);
  private clock = 1;

  constructor(
    readonly lexicon: Lexicon,
    readonly trigrams: TrigramTable,
    readonly clusters?: Lexicon,
  ) {}

  score(features: readonly string[], scores: Float64Array): void {
    for (const f of features) {
      const row = this.index.get(f);
      if (row === undefined) continue;
      const base = row * NUM_TAGS;
      for (let k = 0; k < NUM_TAGS; k++) scores[k] = (scores[k] as number) + (this.w[base + k] as number);
    }
  }

  /** One example seen (advances the averaging clock). */
  tick(): void {
    this.clock++;
  }

  update(features: readonly string[], gold: number, predicted: number, step = 1): void {
    if (gold === predicted) return;
    for (const f of features) {
      const base = this.row(f) * NUM_TAGS;
      this.bump(base + gold, step);
      this.bump(base + predicted, -step);
    }
  }

  private bump(i: number, delta: number): void {
    this.totals[i] =
      (this.totals[i] as number) + (this.clock - (this.stamps[i] as number)) * (this.w[i] as number);
    this.stamps[i] = this.clock;
    this.w[i] = (this.w[i] as number) + delta;
  }

  private row(f: string): number {
    let r = this.index.get(f);
    if (r !== undefined) return r;
    r = this.index.size;
    this.index.set(f, r);
    const need = (r + 1) * NUM_TAGS;
    if (need > this.w.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.w = grow(this.w);
      this.totals = grow(this.totals);
      this.stamps = grow(this.stamps);
    }
    return r;
  }

  /** The averaged model; features whose weights all stay below `prune` in magnitude are dropped. */
  averaged(prune: number, meta: Record<string, string | number> = {}): PerceptronModel {
    const keep = new Map<string, number>();
    const rows: number[] = [];
    for (const [f, r] of this.index) {
      let big = false;
      const base = r * NUM_TAGS;
      for (let k = 0; k < NUM_TAGS; k++) {
        const i = base + k;
        const avg =
          ((this.totals[i] as number) + (this.clock - (this.stamps[i] as number)) * (this.w[i] as number)) /
          this.clock;
        if (Math.abs(avg) >= prune) big = true;
      }
      if (!big) continue;
      keep.set(f, rows.length);
      rows.push(r);
    }
    const weights = new Float32Array(rows.length * NUM_TAGS);
    rows.forEach((r, j) => {
      for (let k = 0; k < NUM_TAGS; k++) {
        const i = r * NUM_TAGS + k;
        weights[j * NUM_TAGS + k] =
          ((this.totals[i] as number) + (this.clock - (this.stamps[i] as number)) * (this.w[i] as number)) /
          this.clock;
      }
    });
    return new PerceptronModel(this.lexicon, this.trigrams, keep, weights, meta, this.clusters);
  }
}
