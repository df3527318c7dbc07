import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ConllSentence, readConll, sentenceText } from "../../../src/core/detect/names/conll.ts";
import { evaluateNer } from "../../../src/core/detect/names/evaluate.ts";
import { TAGS } from "../../../src/core/detect/names/tagger.ts";
import { toExample } from "../../../src/core/detect/names/train.ts";

const dir = mkdtempSync(join(tmpdir(), "tio-conll-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, sentences: string[][]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${sentences.map((s) => s.join("\n")).join("\n\n")}\n`);
  return path;
};

// Broad Twitter Corpus shapes: "@ user" tagged as two PER tokens, "@" meaning "at", a name.
const BTC = file("btc.conll", [
  ["@\tB-PER", "colgo\tB-PER", "hey\tO", "Barack\tB-PER", "Obama\tI-PER"],
  ["Drinks\tO", "@\tO", "Parl\tB-LOC", "House\tI-LOC"],
  ["@\tB-ORG", "GWS_Giants\tB-ORG", "Rovers\tI-ORG", "tonight\tO"],
  ["@\tO", "GetGlue\tO", "watching\tO"],
]);

describe("reading the Broad Twitter Corpus", () => {
  it("joins '@ user' into one untagged handle token, as chat writes it and the handle detector owns it", () => {
    const [mention, at, org, plain] = readConll(BTC);
    expect(mention).toEqual({
      tokens: ["@colgo", "hey", "Barack", "Obama"],
      tags: ["O", "O", "B-PER", "I-PER"],
    });
    // "@" before an entity is "at": left alone.
    expect(at?.tokens).toEqual(["Drinks", "@", "Parl", "House"]);
    // An entity that went on past the handle starts afresh after it.
    expect(org).toEqual({ tokens: ["@GWS_Giants", "Rovers", "tonight"], tags: ["O", "B-ORG", "O"] });
    expect(plain?.tokens).toEqual(["@GetGlue", "watching"]);
  });

  it("trains on BTC classes: PER is a person, the handle is outside", () => {
    const [mention] = readConll(BTC);
    const ex = toExample(mention as NonNullable<typeof mention>);
    expect(ex.tokens).toEqual(["@colgo", "hey", "Barack", "Obama"]);
    expect([...ex.tags].map((t) => TAGS[t])).toEqual(["O", "O", "B-PER", "I-PER"]);
  });

  it("scores a detector on names only: a handle is no gold person", () => {
    const r = evaluateNer(BTC, (text) => {
      const start = text.indexOf("Barack Obama");
      return start < 0 ? [] : [{ kind: "person", start, end: start + "Barack Obama".length }];
    });
    expect(r.person).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.organization.fn).toBe(1); // "Rovers"
  });

  it("leaves WNUT17's '@' alone (there it is 'at', and handles are whole tokens)", () => {
    const wnut = file("wnut.conll", [["Meet\tO", "@\tO", "home\tO", "with\tO", "Jane\tB-person"]]);
    expect(readConll(wnut)[0]?.tokens).toEqual(["Meet", "@", "home", "with", "Jane"]);
    expect(sentenceText(readConll(wnut)[0] as ConllSentence).spans).toEqual([
      { type: "person", start: 17, end: 21 },
    ]);
  });

  it("reads halves of a file in file order (BTC's dev set is the second half of section H)", () => {
    expect(readConll(`${BTC}#1/2`).map((s) => s.tokens[1])).toEqual(["hey", "@"]);
    expect(readConll(`${BTC}#2/2`).map((s) => s.tokens[1])).toEqual(["Rovers", "watching"]);
  });
});
