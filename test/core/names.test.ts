import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { TokenInfo } from "../../src/core/detect/names/features.ts";
import { detectNames, type NameSpan } from "../../src/core/detect/names/index.ts";
import { deserializeLexicon, HashedLexicon, serializeLexicon } from "../../src/core/detect/names/lexicon.ts";
import { MODEL_URL } from "../../src/core/detect/names/model.ts";
import { tokenize } from "../../src/core/detect/names/tokenize.ts";

const persons = (text: string): string[] =>
  detectNames(text)
    .filter((s) => s.kind === "person")
    .map((s) => s.text);
const orgs = (text: string): string[] =>
  detectNames(text)
    .filter((s) => s.kind === "organization")
    .map((s) => s.text);

function expectValidSpans(text: string, spans: NameSpan[]): void {
  for (const s of spans) {
    expect(s.text).toBe(text.slice(s.start, s.end));
    expect(s.start).toBeLessThan(s.end);
  }
}

describe("tokenize", () => {
  it("keeps offsets and splits possessives, handles and emoji the chat way", () => {
    const text = "🎉Jane's deck, @janedoe #launch https://x.io/a. don't";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual([
      "🎉",
      "Jane",
      "'s",
      "deck",
      ",",
      "@janedoe",
      "#launch",
      "https://x.io/a",
      ".",
      "don't",
    ]);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

describe("detectNames", () => {
  it("finds plain person names", () => {
    expect(persons("I had lunch with Sarah Connor yesterday")).toEqual(["Sarah Connor"]);
    expect(persons("Can you ping Priya Patel about the contract?")).toEqual(["Priya Patel"]);
    expect(persons("thanks Jane!")).toEqual(["Jane"]);
    expect(persons("Happy birthday Ahmed 🎂")).toEqual(["Ahmed"]);
    expect(persons("Hope you are well, Bill")).toEqual(["Bill"]);
  });

  it("finds organizations next to people", () => {
    const text = "Spoke to Tom from Microsoft about the renewal";
    expect(persons(text)).toEqual(["Tom"]);
    expect(orgs(text)).toEqual(["Microsoft"]);
  });

  it("does not take a capitalized sentence start for a name", () => {
    expect(detectNames("Thanks for the notes")).toEqual([]);
    expect(persons("Let's meet at Starbucks on Monday")).toEqual([]);
  });

  it("does not take everyday words that are also first names for names", () => {
    expect(persons("Will you send it?")).toEqual([]);
    expect(persons("May the best win")).toEqual([]);
    expect(persons("Bill me later")).toEqual([]);
    expect(persons("Mark my words")).toEqual([]);
  });

  it("handles all-caps and all-lowercase messages", () => {
    expect(persons("MEETING WITH JOHN SMITH")).toEqual(["JOHN SMITH"]);
    expect(persons("meeting with john smith tomorrow")).toEqual(["john smith"]);
  });

  it("never returns an @handle as a person (handles belong to the handle detector)", () => {
    expect(persons("@janedoe can you review this?")).toEqual([]);
    const text = "cc @bob and Robert Jones";
    expect(persons(text)).toEqual(["Robert Jones"]);
    for (const s of detectNames(text)) expect(s.text).not.toContain("@");
  });

  it("leaves the possessive out", () => {
    const text = "Jane's deck is great";
    expect(detectNames(text)).toEqual([{ kind: "person", text: "Jane", start: 0, end: 4 }]);
    expect(persons("I loved Jane’s talk")).toEqual(["Jane"]);
  });

  it("finds names glued to emoji and punctuation, with exact offsets", () => {
    const text = "🎉Maria Garcia!";
    const spans = detectNames(text);
    expect(spans).toEqual([{ kind: "person", text: "Maria Garcia", start: 2, end: 14 }]);
    expectValidSpans(text, spans);
  });

  it("tags each line of a message separately and keeps offsets into the whole text", () => {
    const text = "Quick update:\nlunch with Maria Garcia on Friday\nTHANKS";
    const spans = detectNames(text);
    expect(spans.map((s) => s.text)).toEqual(["Maria Garcia"]);
    expectValidSpans(text, spans);
  });

  it("returns nothing for empty or symbol-only text", () => {
    expect(detectNames("")).toEqual([]);
    expect(detectNames("   \n ")).toEqual([]);
    expect(detectNames("👍 🎉 !!!")).toEqual([]);
  });

  it("always returns spans whose text is the input slice", () => {
    const samples = [
      "Grabbing coffee with Dr. Alan Turing at Google",
      "Talked to Siobhan O'Neill and 李雷 yesterday!!",
      "omg @sam_k met KANYE WEST at the airport lol 😂😂",
      "Email jane.doe@example.com or ask Bob's team",
    ];
    for (const text of samples) expectValidSpans(text, detectNames(text));
  });
});

describe("feature hashing", () => {
  it("tags exactly as the feature strings do", async () => {
    const { readFileSync } = await import("node:fs");
    const { gunzipSync } = await import("node:zlib");
    const { loadModel, readModelJson } = await import("../../src/core/detect/names/model.ts");
    const { PerceptronModel } = await import("../../src/core/detect/names/perceptron.ts");
    const { tagSentence } = await import("../../src/core/detect/names/tagger.ts");
    const { TEMPLATES } = await import("../../src/core/detect/names/templates.ts");
    // The detector's model (feature hashes only) against the same file loaded with its feature
    // strings, without the hashed fast path: every feature built as a string and looked up.
    const model = loadModel();
    const full = PerceptronModel.deserialize(readModelJson());
    expect(full.featureCount).toBe(model.featureCount);
    const byString = {
      lexicon: full.lexicon,
      trigrams: full.trigrams,
      clusters: full.clusters,
      bias: full.bias,
      score: (f: readonly string[], s: Float64Array) => full.score(f, s),
    };
    const gazetteer = gunzipSync(
      readFileSync(new URL("../../src/core/detect/names/gazetteer.tsv.gz", import.meta.url)),
    )
      .toString("utf8")
      .split("\n")
      .slice(0, 400)
      .map((line) => line.split("\t")[0] ?? "")
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
    const texts = [
      ...TEMPLATES.map((t, i) =>
        t.replaceAll("{P}", gazetteer[i % gazetteer.length] ?? "Ana").replaceAll("{O}", "Contoso Ltd"),
      ),
      "Had lunch with Priya Raman and JOHN SMITH from Fabrikam yesterday 🎉 @jdoe #offline https://x.io/a",
      "ÉMILIE Durand-Ñuñez, O'Brien, McDonald's, iPhone R2-D2 ... “quoted” RT rt",
    ];
    let tagged = 0;
    for (const text of texts) {
      const tokens = tokenize(text).map((t) => t.text);
      const fast = tagSentence(tokens, model);
      expect([...fast], text).toEqual([...tagSentence(tokens, byString)]);
      tagged += fast.filter((t) => t !== 0).length;
    }
    // Not a vacuous comparison: the sentences do contain entities.
    expect(tagged).toBeGreaterThan(texts.length / 2);
  });
});

/** Chat that repeats words in other cases, positions and sentence casings: what the memos key on. */
const MEMO_TEXTS = [
  "Had lunch with Priya Raman and JOHN SMITH from Fabrikam yesterday 🎉 @jdoe #offline https://x.io/a",
  "ÉMILIE Durand-Ñuñez, O'Brien, McDonald's, iPhone R2-D2 ... “quoted” RT rt",
  "priya raman says hi to the Contoso team",
  "Thanks Priya ! Lunch With Priya Raman Tomorrow",
  "WE MET PRIYA RAMAN AT THE CONFERENCE",
  // The same words opening a sentence and inside one.
  "Priya Raman joined . We thank Priya Raman",
  "priya raman says hi . Thanks Priya ! @Priya #priya",
];

describe("memoized token scores", () => {
  it("equal the sum over the token's feature strings, exactly, on first sight, on repeats and after evictions", async () => {
    const { analyze, sentenceCase, StringSink, tokenFeatures } = await import(
      "../../src/core/detect/names/features.ts"
    );
    const { loadModel, readModelJson } = await import("../../src/core/detect/names/model.ts");
    const { PerceptronModel } = await import("../../src/core/detect/names/perceptron.ts");
    const { NUM_TAGS, tagFeatures } = await import("../../src/core/detect/names/tagger.ts");
    const { TokenScores } = await import("../../src/core/detect/names/token-scores.ts");
    const model = loadModel();
    // Expected sums come from the feature strings of the same file, looked up by string.
    const full = PerceptronModel.deserialize(readModelJson());
    const texts = MEMO_TEXTS;
    // A roomy memo, and one so small that it empties itself between most sentences.
    for (const memo of [new TokenScores(model.hashingSink()), new TokenScores(model.hashingSink(), 40)]) {
      let compared = 0;
      for (let pass = 0; pass < 2; pass++) {
        for (const text of texts) {
          const info = analyze(
            tokenize(text).map((t) => t.text),
            model.lexicon,
            model.trigrams,
            undefined,
            model.clusters,
          );
          const sc = sentenceCase(info);
          const scorer = memo.begin(info, sc);
          for (let i = 0; i < info.length; i++) {
            // A few (previous tag, tag before) pairs per token, as the decoder would meet them.
            for (const [prev, prev2] of [
              [0, 0],
              [1, 0],
              [2, 1],
              [(i * 5) % NUM_TAGS, (i * 7) % NUM_TAGS],
            ] as const) {
              const strings = new StringSink();
              tokenFeatures(info, i, sc, strings);
              tagFeatures(info[i] as TokenInfo, prev, prev2, strings);
              const expected = new Float64Array(NUM_TAGS);
              full.score(strings.features, expected);
              const got = new Float64Array(NUM_TAGS);
              scorer.add(i, prev, prev2, got);
              expect([...got], `${text} / token ${i}`).toEqual([...expected]);
              compared++;
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(200);
    }
  });
});

describe("remembered word facts", () => {
  it("analyze the same with and without the memo, on first sight, on repeats and after it empties", async () => {
    const { analyze, WordFactsMemo } = await import("../../src/core/detect/names/features.ts");
    const { loadModel } = await import("../../src/core/detect/names/model.ts");
    const model = loadModel();
    const texts = MEMO_TEXTS;
    for (const memo of [new WordFactsMemo(), new WordFactsMemo(5)]) {
      for (let pass = 0; pass < 2; pass++) {
        for (const text of texts) {
          const tokens = tokenize(text).map((t) => t.text);
          expect(analyze(tokens, model.lexicon, model.trigrams, memo, model.clusters), text).toEqual(
            analyze(tokens, model.lexicon, model.trigrams, undefined, model.clusters),
          );
        }
      }
    }
  });
});

describe("tokens detection doesn't score", () => {
  it("are the obvious ones, and skipping them changes no tag here", async () => {
    const { loadModel } = await import("../../src/core/detect/names/model.ts");
    const { tagSentence } = await import("../../src/core/detect/names/tagger.ts");
    const model = loadModel();
    const scored: string[] = [];
    // The model, noting which tokens get scored.
    const counting = {
      lexicon: model.lexicon,
      trigrams: model.trigrams,
      clusters: model.clusters,
      bias: model.bias,
      score: (f: readonly string[], s: Float64Array) => model.score(f, s),
      tokenScorer(info: readonly TokenInfo[], sc: string) {
        const inner = model.tokenScorer(info, sc);
        return {
          add(i: number, prev: number, prev2: number, scores: Float64Array) {
            scored.push(info[i]?.lower ?? "");
            inner.add(i, prev, prev2, scores);
          },
        };
      },
    };
    const text = "we had lunch with Priya Raman and the team from Contoso , it was great : 10 / 10";
    const tokens = tokenize(text).map((t) => t.text);
    const tags = tagSentence(tokens, counting);
    // Training scores every token (it needs each one's features): the tags without skipping.
    const everyToken = tagSentence(tokens, model, (_, step) => step.predicted);
    expect([...tags]).toEqual([...everyToken]);
    expect(tags.some((t) => t !== 0)).toBe(true);
    // Not scored: "it", ":", "10", "/", "10". Common words that can be part of a name ("the",
    // "and": The Who, Marks and Spencer) and the comma after a name still are.
    expect(scored).toEqual([
      ...["we", "had", "lunch", "with", "priya", "raman", "and", "the", "team", "from", "contoso"],
      ...[",", "was", "great"],
    ]);
  });
});

describe("mayContainName (the tagger's pre-filter)", () => {
  it("skips text whose only capitals open sentences with ordinary words", async () => {
    const { mayContainName } = await import("../../src/core/detect/names/index.ts");
    for (const text of [
      "Can you send the deck?",
      "Thanks for the notes. Let's ship it tomorrow!",
      "sounds good to me",
      "Great work on the launch: Everything went well",
    ])
      expect(mayContainName(text), text).toBe(false);
  });

  it("lets through anything that could start a name", async () => {
    const { mayContainName } = await import("../../src/core/detect/names/index.ts");
    for (const text of [
      "Had lunch with Priya yesterday", // capitalized, mid-sentence
      "Priya says hi", // an unknown word opening the sentence
      "Will you ask Mark?", // "Mark" mid-sentence
      "Mark said yes", // a first name opening the sentence, though also an English word
      "wow emma and kaite is so very cute", // a lowercase first name
      "thanks to emma's team", // possessive
      "Microsoft is hiring", // a company opening the sentence
      "can you loop in the Acme folks", // capitalized mid-sentence
    ])
      expect(mayContainName(text), text).toBe(true);
  });
});

describe("the loaded lexicon (HashedLexicon)", () => {
  it("answers exactly as the Map of the same text, for every word and for words it doesn't hold", () => {
    const text = JSON.parse(gunzipSync(readFileSync(MODEL_URL)).toString("utf8")).lexicon as string;
    const map = deserializeLexicon(text);
    const hashed = new HashedLexicon(text);
    expect(map.size).toBeGreaterThan(100_000);
    expect(hashed.size).toBe(map.size);
    let differ = 0;
    for (const [word, bits] of map) if (hashed.get(word) !== bits) differ++;
    expect(differ).toBe(0);
    for (const word of ["", "zzqxv", "jane doe", "Jane", "naïve-x", "😀"])
      expect(hashed.get(word)).toBe(map.get(word));
    expect(serializeLexicon(hashed)).toBe(text);
    // Loaded for detection, without its text: the same answers, and it can't be saved.
    const lean = new HashedLexicon(text, { keepSource: false });
    expect(lean.source).toBeNull();
    for (const word of ["jane", "zzqxv", ...[...map.keys()].slice(0, 1000)])
      expect(lean.get(word)).toBe(map.get(word));
    expect(() => serializeLexicon(lean)).toThrow(/detection only/);
  });

  it("is loaded without its text, and the model without its feature strings, for detection", async () => {
    const { loadModel, readModelJson } = await import("../../src/core/detect/names/model.ts");
    const { PerceptronModel } = await import("../../src/core/detect/names/perceptron.ts");
    const model = loadModel();
    expect(() => model.serialize()).toThrow(/detection only/);
    expect(() => PerceptronModel.mean([model, model])).toThrow(/detection only/);
    // The model loaded with its strings still saves to the very file it came from.
    const json = readModelJson();
    expect(PerceptronModel.deserialize(json).serialize()).toBe(json);
  });

  it("refuses a file where two entries are the same word", () => {
    expect(() => new HashedLexicon("jane\t1\njane\t2")).toThrow(/share a hash/);
  });
});

describe("compact model file", () => {
  it("loads the same tables and tags as the model file it was made from, and only from that file", async () => {
    const { existsSync, mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { pathToFileURL } = await import("node:url");
    const { COMPACT_MODEL_URL, loadCompactModel, loadModel, modelStamp } = await import(
      "../../src/core/detect/names/model.ts"
    );
    const { toCompact } = await import("../../src/core/detect/names/compact.ts");
    const { detectNamesWith } = await import("../../src/core/detect/names/index.ts");
    const { TEMPLATES } = await import("../../src/core/detect/names/templates.ts");
    // From the sources there is no compact file (the build writes it into dist/), so this is the
    // model the JSON load builds, the one the feature-hashing test compares with the strings.
    expect(existsSync(COMPACT_MODEL_URL)).toBe(false);
    const json = loadModel();
    const dir = mkdtempSync(join(tmpdir(), "names-compact-"));
    try {
      const compactUrl = pathToFileURL(join(dir, "model.bin"));
      writeFileSync(compactUrl, toCompact(json, modelStamp(MODEL_URL)));
      const compact = loadCompactModel(compactUrl, MODEL_URL);
      if (!compact) throw new Error("compact model not loaded");
      // The very arrays the JSON load builds, byte for byte (Buffer.equals: a deep toEqual of
      // megabytes takes minutes).
      const bytes = (v: Int32Array | Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      const a = compact.hashedWeights();
      const b = json.hashedWeights();
      expect(a.count).toBe(b.count);
      expect(bytes(a.weights).equals(bytes(b.weights))).toBe(true);
      for (const [x, y] of [
        [a.table.slots, b.table.slots],
        [(compact.lexicon as HashedLexicon).slots, (json.lexicon as HashedLexicon).slots],
        [(compact.clusters as HashedLexicon).slots, (json.clusters as HashedLexicon).slots],
      ] as const) {
        expect(x.values.length).toBeGreaterThan(1000);
        expect(bytes(x.keys1).equals(bytes(y.keys1))).toBe(true);
        expect(bytes(x.keys2).equals(bytes(y.keys2))).toBe(true);
        expect(bytes(x.values).equals(bytes(y.values))).toBe(true);
      }
      expect((compact.lexicon as HashedLexicon).size).toBe((json.lexicon as HashedLexicon).size);
      expect([...compact.trigrams]).toEqual([...json.trigrams]);
      expect([...compact.bias]).toEqual([...json.bias]);
      expect(compact.meta).toEqual(json.meta);
      // And so the same names.
      const names = ["Priya", "Tebogo", "Kishan", "Émilie", "Siobhan", "Jane"];
      const texts = [
        ...TEMPLATES.map((t, i) =>
          t.replaceAll("{P}", names[i % names.length] as string).replaceAll("{O}", "Contoso Ltd"),
        ),
        ...MEMO_TEXTS,
      ];
      let found = 0;
      for (const text of texts) {
        const spans = detectNamesWith(compact, text);
        expect(spans, text).toEqual(detectNamesWith(json, text));
        found += spans.length;
      }
      expect(found).toBeGreaterThan(texts.length / 2);
      // Made from another model file (or not a compact file at all): not used.
      const other = pathToFileURL(join(dir, "other.json.gz"));
      writeFileSync(other, gunzipSync(readFileSync(MODEL_URL)).subarray(0, 1000));
      expect(loadCompactModel(compactUrl, other)).toBeNull();
      writeFileSync(compactUrl, "not a model");
      expect(loadCompactModel(compactUrl, MODEL_URL)).toBeNull();
      expect(loadCompactModel(pathToFileURL(join(dir, "missing.bin")), MODEL_URL)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
