/** Training the name tagger from CoNLL data: WNUT17 and the Broad Twitter Corpus (used by scripts/train-ner.ts). */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type ConllSentence, readConll, sentenceText } from "./conll.ts";
import {
  firstNameTier,
  LEX_COMPANY,
  LEX_DATE,
  LEX_DEMONYM,
  LEX_HUMAN_NAME,
  LEX_NAME_PART,
  LEX_ORG,
  LEX_PLACE,
  LEX_ROLE,
  LEX_TITLE,
  type Lexicon,
  type LexiconMap,
  parseClusters,
  parseGazetteer,
  wordTier,
} from "./lexicon.ts";
import { buildTrigramTable, type TrigramTable } from "./namelike.ts";
import { PerceptronModel, PerceptronTrainer } from "./perceptron.ts";
import { TAGS, tagSentence } from "./tagger.ts";
import { TEMPLATES } from "./templates.ts";
import { tokenize } from "./tokenize.ts";

export const GAZETTEER_URL = new URL("./gazetteer.tsv.gz", import.meta.url);
/** Word clusters from GloVe vectors (scripts/derive-clusters.ts); the trainer embeds them in the model. */
export const CLUSTERS_URL = new URL("./clusters.tsv.gz", import.meta.url);

/** WNUT17 and Broad Twitter Corpus classes → tagger class. */
const CLASS: Record<string, string> = {
  PER: "PER",
  ORG: "ORG",
  LOC: "LOC",
  person: "PER",
  corporation: "ORG",
  group: "ORG",
  location: "LOC",
  product: "MISC",
  "creative-work": "MISC",
};

export interface Example {
  tokens: string[];
  tags: Uint8Array;
}

/**
 * Re-tokenizes the sentence text with the detector's own tokenizer and projects the gold labels
 * onto those tokens, so training sees exactly the tokens the detector will see.
 */
export function toExample(s: ConllSentence): Example {
  const { text, spans } = sentenceText(s);
  const toks = tokenize(text);
  const tags = new Uint8Array(toks.length);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t) continue;
    const span = spans.find((g) => t.start >= g.start && t.start < g.end);
    if (!span) continue;
    const cls = CLASS[span.type] ?? "MISC";
    const tag = `${t.start === span.start ? "B" : "I"}-${cls}`;
    tags[i] = TAGS.indexOf(tag as (typeof TAGS)[number]);
  }
  return { tokens: toks.map((t) => t.text), tags };
}

/** Small seeded PRNG (mulberry32) for reproducible shuffling and augmentation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrainOptions {
  /** Passes over the (shuffled) training data per model. */
  epochs: number;
  /** One model is trained per seed (own shuffling and augmentation); their weights are averaged. */
  seeds: number[];
  /** Fraction of sentences added again fully lowercased (chat often has no capitals). */
  lowercaseCopies: number;
  /** Fraction of sentences added again in ALL CAPS. */
  uppercaseCopies: number;
  /** Copies of each sentence with persons in it whose names are swapped for random gazetteer names. */
  nameSwaps: number;
  /** Share of swapped-in names replaced by made-up ones (a real name with letters changed, in no list). */
  pseudoNames: number;
  /** Synthetic sentences from TEMPLATES (chat patterns) added per template. */
  templateCopies: number;
  /** Update size when a person token was missed (1 = plain perceptron); favors recall of persons. */
  personWeight: number;
  /**
   * Score offsets for B-PER, I-PER, B-ORG, I-ORG at decoding time. The person offsets are 0: the
   * +15 / +5 tuned on WNUT17 dev lowered the average person F1 over the evaluation sets (README).
   */
  bias: { person: number; personInside: number; organization: number; organizationInside: number };
  /** Drop averaged weights below this magnitude. */
  prune: number;
  /** Word-cluster features (clusters.tsv.gz, embedded in the model). */
  clusters: boolean;
  onEpoch?: (epoch: number, model: () => PerceptronModel) => void;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 8,
  seeds: [1, 2, 3, 4],
  lowercaseCopies: 0.5,
  uppercaseCopies: 0.1,
  nameSwaps: 1,
  pseudoNames: 0.3,
  templateCopies: 5,
  personWeight: 2,
  bias: { person: 0, personInside: 0, organization: 10, organizationInside: 5 },
  prune: 0.05,
  clusters: true,
};

export function loadGazetteer(url: URL = GAZETTEER_URL): LexiconMap {
  return parseGazetteer(gunzipSync(readFileSync(url)).toString("utf8"));
}

/** Trains one model per seed and averages them; the result carries the decoding bias. */
export function train(
  trainPaths: readonly string[],
  opts: TrainOptions,
  lexicon: LexiconMap = loadGazetteer(),
): PerceptronModel {
  const base = trainPaths.flatMap((p) => readConll(p).map(toExample));
  const trigrams = buildTrigramTable(lexicon);
  const clusters = opts.clusters ? loadClusters() : undefined;
  const models = opts.seeds.map((seed) => trainOne(base, seed, opts, lexicon, trigrams, clusters));
  const model = models.length === 1 ? (models[0] as PerceptronModel) : PerceptronModel.mean(models);
  setBias(model, opts);
  return model;
}

export function setBias(model: PerceptronModel, opts: Pick<TrainOptions, "bias">): void {
  model.bias.fill(0);
  model.bias[TAGS.indexOf("B-PER")] = opts.bias.person;
  model.bias[TAGS.indexOf("I-PER")] = opts.bias.personInside;
  model.bias[TAGS.indexOf("B-ORG")] = opts.bias.organization;
  model.bias[TAGS.indexOf("I-ORG")] = opts.bias.organizationInside;
}

export function loadClusters(url: URL = CLUSTERS_URL): LexiconMap {
  return parseClusters(gunzipSync(readFileSync(url)).toString("utf8"));
}

function trainOne(
  base: readonly Example[],
  seed: number,
  opts: TrainOptions,
  lexicon: LexiconMap,
  trigrams: TrigramTable,
  clusters: LexiconMap | undefined,
): PerceptronModel {
  const random = rng(seed);
  const examples: Example[] = [...base];
  for (const ex of base) {
    if (random() < opts.lowercaseCopies)
      examples.push({ tokens: ex.tokens.map((t) => t.toLowerCase()), tags: ex.tags });
    if (random() < opts.uppercaseCopies)
      examples.push({ tokens: ex.tokens.map((t) => t.toUpperCase()), tags: ex.tags });
  }
  if (opts.nameSwaps > 0) {
    const pools = namePools(lexicon);
    for (const ex of base) {
      if (!ex.tags.includes(PER_B)) continue;
      for (let k = 0; k < opts.nameSwaps; k++)
        examples.push(swapNames(ex, pools, random, opts.pseudoNames, lexicon));
    }
  }
  if (opts.templateCopies > 0) {
    const pools = namePools(lexicon);
    for (const template of TEMPLATES) {
      for (let k = 0; k < opts.templateCopies; k++) {
        examples.push(fillTemplate(template, pools, random, opts.pseudoNames, lexicon));
      }
    }
  }
  const trainer = new PerceptronTrainer(lexicon, trigrams, clusters);
  const meta = () => ({ sentences: base.length, epochs: opts.epochs, seeds: opts.seeds.join(",") });
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    // Fisher-Yates with the seeded generator.
    for (let i = examples.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = examples[i] as Example;
      examples[i] = examples[j] as Example;
      examples[j] = tmp;
    }
    for (const ex of examples) {
      tagSentence(ex.tokens, trainer, (i, step) => {
        const gold = ex.tags[i] ?? 0;
        const size = gold === PER_B || gold === PER_I ? opts.personWeight : 1;
        trainer.update(step.features, gold, step.predicted, size);
        trainer.tick();
        // Continue with the model's own prediction, as at run time.
        return step.predicted;
      });
    }
    if (opts.onEpoch) {
      const snapshot = () => {
        const m = trainer.averaged(opts.prune, meta());
        setBias(m, opts);
        return m;
      };
      opts.onEpoch(epoch, snapshot);
    }
  }
  return trainer.averaged(opts.prune, meta());
}

const PER_B = TAGS.indexOf("B-PER");
const PER_I = TAGS.indexOf("I-PER");

interface NamePools {
  first: string[];
  last: string[];
  orgs: string[];
}

/** Popular first names and name-list surnames that are not ordinary English words. */
function namePools(lexicon: LexiconMap): NamePools {
  const first: string[] = [];
  const last: string[] = [];
  const orgs: string[] = [];
  for (const [w, bits] of lexicon) {
    if (
      bits & (LEX_ORG | LEX_COMPANY) &&
      /^\p{L}{2,}$/u.test(w) &&
      (wordTier(bits) === 0 || wordTier(bits) >= 6)
    ) {
      if (!(bits & (LEX_PLACE | LEX_NAME_PART))) orgs.push(w);
    }
    if (!/^\p{L}{2,}$/u.test(w) || (wordTier(bits) > 0 && wordTier(bits) < 6)) continue;
    if (bits & (LEX_PLACE | LEX_ORG | LEX_DEMONYM | LEX_DATE | LEX_TITLE | LEX_ROLE | LEX_COMPANY)) continue;
    const tier = firstNameTier(bits);
    if (tier >= 1 && tier <= 3) first.push(w);
    else if (tier === 0 && bits & LEX_NAME_PART && bits & LEX_HUMAN_NAME) last.push(w);
  }
  return { first, last, orgs };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A copy of the example with every person replaced by a random name in a random casing style. */
function swapNames(
  ex: Example,
  pools: NamePools,
  random: () => number,
  pseudo: number,
  lexicon: Lexicon,
): Example {
  const tokens: string[] = [];
  const tags: number[] = [];
  for (let i = 0; i < ex.tokens.length; i++) {
    if (ex.tags[i] === PER_I) continue;
    if (ex.tags[i] !== PER_B) {
      tokens.push(ex.tokens[i] as string);
      tags.push(ex.tags[i] ?? 0);
      continue;
    }
    randomName(pools, random, pseudo, lexicon).forEach((p, j) => {
      tokens.push(p);
      tags.push(j === 0 ? PER_B : PER_I);
    });
  }
  return { tokens, tags: Uint8Array.from(tags) };
}

/** A made-up name: a real one with one letter changed and two neighbors swapped, in no list. */
function pseudoName(name: string, random: () => number, lexicon: Lexicon): string {
  const letters = "aeioulnrstkmdhy";
  for (let attempt = 0; attempt < 10; attempt++) {
    const chars = [...name];
    const i = 1 + Math.floor(random() * Math.max(1, chars.length - 1));
    chars[i] = letters[Math.floor(random() * letters.length)] as string;
    const j = 1 + Math.floor(random() * Math.max(1, chars.length - 2));
    if (j + 1 < chars.length) {
      const t = chars[j] as string;
      chars[j] = chars[j + 1] as string;
      chars[j + 1] = t;
    }
    const out = chars.join("");
    if (!lexicon.has(out)) return out;
  }
  return name;
}

/** A random person name (1-2 tokens) in a random casing style. */
function randomName(pools: NamePools, random: () => number, pseudo: number, lexicon: Lexicon): string[] {
  const r = random();
  const parts =
    r < 0.45
      ? [pick(pools.first, random), pick(pools.last, random)]
      : r < 0.85
        ? [pick(pools.first, random)]
        : [pick(pools.last, random)];
  for (let j = 0; j < parts.length; j++) {
    if (random() < pseudo) parts[j] = pseudoName(parts[j] as string, random, lexicon);
  }
  const style = random();
  return parts.map((p) =>
    style < 0.75 ? p.charAt(0).toUpperCase() + p.slice(1) : style < 0.95 ? p : p.toUpperCase(),
  );
}

const ORG_B = TAGS.indexOf("B-ORG");

/** One synthetic sentence from a template; the whole sentence is sometimes lowercased. */
function fillTemplate(
  template: string,
  pools: NamePools,
  random: () => number,
  pseudo: number,
  lexicon: Lexicon,
): Example {
  const tokens: string[] = [];
  const tags: number[] = [];
  const lower = random() < 0.2;
  for (const piece of template.split(/(\{[PO]\})/)) {
    if (piece === "{P}") {
      randomName(pools, random, pseudo, lexicon).forEach((p, j) => {
        tokens.push(lower ? p.toLowerCase() : p);
        tags.push(j === 0 ? PER_B : PER_I);
      });
    } else if (piece === "{O}") {
      const o = pick(pools.orgs, random);
      tokens.push(
        lower
          ? o
          : o.length <= 4 && random() < 0.5
            ? o.toUpperCase()
            : o.charAt(0).toUpperCase() + o.slice(1),
      );
      tags.push(ORG_B);
    } else {
      for (const t of tokenize(piece)) {
        tokens.push(lower ? t.text.toLowerCase() : t.text);
        tags.push(0);
      }
    }
  }
  return { tokens, tags: Uint8Array.from(tags) };
}
