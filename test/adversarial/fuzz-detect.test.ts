import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Detection, detect, detectionPrefix, MAX_DETECTION_TEXT } from "../../src/core/detect/index.ts";
import { tokenize } from "../../src/core/detect/names/tokenize.ts";
import { emailSpans, handleSpans, maskMarkup } from "../../src/core/detect/patterns.ts";

// Property-based fuzzing of detect() (seeded, bounded): for any text — any UTF-16, lone
// surrogates included, and long runs of one fragment — every detection is exactly the text at its
// offsets, detections come in order without overlapping, and none lies past what detection reads.
// The hand-written scanners that replaced quadratic regexes are checked against those regexes,
// kept here as the reference, on short strings where the regexes are still quick.

const SEED = 42;

function checkSpans(input: string, found: readonly Detection[]): void {
  let last = 0;
  for (const d of found) {
    expect(d.start, JSON.stringify(input)).toBeGreaterThanOrEqual(last);
    expect(d.end).toBeGreaterThan(d.start);
    expect(d.end).toBeLessThanOrEqual(Math.min(input.length, MAX_DETECTION_TEXT));
    expect(input.slice(d.start, d.end)).toBe(d.text);
    last = d.end;
  }
}

/** Characters that matter to the detectors, plus anything at all. */
const INTERESTING = [..."aZ9_.%+-@:/<>|`'’#&()!? \n\t", "é", "Ł", "😀", "𝐀", "\uD800", "\uDC00", "\u0301"];
const interesting = fc.oneof(
  fc.constantFrom(
    ...INTERESTING,
    "Jane Doe",
    "https://",
    "www.",
    "linkedin.com/in/",
    "@janedoe",
    "x.co",
    "<@U1|a>",
  ),
  fc.string({ unit: "binary", maxLength: 3 }),
);
const chatLike = fc.array(interesting, { maxLength: 60 }).map((p) => p.join(""));

describe("detect() under fuzzing", () => {
  it("returns exact, ordered, non-overlapping spans for arbitrary unicode", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), chatLike), (text) =>
        checkSpans(text, detect(text)),
      ),
      { seed: SEED, numRuns: 800 },
    );
  });

  // Found by the property above: decodeURIComponent threw URIError on the "%", so one such link
  // failed a whole live batch, or a whole import.
  it("reads a profile link with a stray percent sign", () => {
    expect(detect("see linkedin.com/in/%").map((d) => d.kind)).toEqual(["url"]);
    expect(detect("see https://www.linkedin.com/in/jane%zz").map((d) => d.text)).toEqual([
      "https://www.linkedin.com/in/jane%zz",
    ]);
  });

  it("does the same for long runs of one fragment, within the cap", () => {
    fc.assert(
      fc.property(
        fc.array(interesting, { minLength: 1, maxLength: 4 }).map((p) => p.join("")),
        fc.integer({ min: 100, max: 20_000 }),
        (fragment, times) => {
          const text = fragment.repeat(times).slice(0, 20_000);
          checkSpans(text, detect(text));
        },
      ),
      { seed: SEED, numRuns: 20 },
    );
  });

  it("reads only the capped prefix of a text over the cap, cut outside a surrogate pair", () => {
    fc.assert(
      fc.property(fc.constantFrom("😀", "a.", "Jane Doe ", "x@y.co ", "\uD800", "é\u0301"), (fragment) => {
        const text = fragment.repeat(Math.ceil((MAX_DETECTION_TEXT + 1000) / fragment.length));
        const prefix = detectionPrefix(text);
        expect(prefix.length).toBeLessThanOrEqual(MAX_DETECTION_TEXT);
        expect(text.startsWith(prefix)).toBe(true);
        const lastUnit = prefix.charCodeAt(prefix.length - 1);
        // A well-formed pair is never split (a lone surrogate in the input may stay lone).
        if (lastUnit >= 0xd800 && lastUnit <= 0xdbff)
          expect(text.charCodeAt(prefix.length)).not.toBeGreaterThanOrEqual(0xdc00);
        const found = detect(text);
        checkSpans(text, found);
        expect(found).toEqual(detect(prefix));
      }),
      { seed: SEED, numRuns: 6 },
    );
  });
});

// The regexes the scanners replaced: the reference for their matches.
const OLD = {
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g,
  handle: /(?<![\p{L}\p{N}_.@/<])@([A-Za-z0-9_]{2,30})(?![\p{L}\p{N}_@]|\.[A-Za-z0-9])/gu,
  markup: /<[^<>\n]{1,500}>|`[^`\n]{1,500}`/g,
  token: new RegExp(
    [
      String.raw`(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]}'’]`,
      String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
      String.raw`[@#][\p{L}\p{M}\p{N}_]+`,
      String.raw`&(?:amp|lt|gt|quot|apos|#\d{1,6});`,
      String.raw`[:;=8][-'^o]?[()\[\]DPpOo3/\\|*$@]+(?![\p{L}\p{N}])|<3+|-_+-|\^_*\^|[oO]_[oO]`,
      String.raw`['’´](?:[sSmMdD]|ve|VE|ll|LL|re|RE)(?![\p{L}\p{N}])`,
      String.raw`\p{N}+(?:[,:.]\p{N}+)+`,
      String.raw`[\p{L}\p{M}\p{N}_]+(?:(?:['’][\p{L}]+(?<!['’][sS]))|(?:[-.&][\p{L}\p{M}\p{N}_]+))*`,
      String.raw`([!?.,:;*~=+\-_'"])\1+`,
      String.raw`[^\s]`,
    ].join("|"),
    "gu",
  ),
};
const spans = (re: RegExp, text: string) =>
  [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));

const scannerText = fc
  .array(
    fc.oneof(
      fc.constantFrom(..."aZ9_.%+-@/<>`\n é:;'’#&!?()\"=8oO^D".split(""), "😀", "𝐀", "\uD835", "\uDC00", "١"),
      fc.constantFrom("http://", "https://", "www.", "co", "x.co", "abcdefghijklmnopqrstuvwxyz0123456789"),
      fc.string({ unit: "binary", maxLength: 2 }),
    ),
    { maxLength: 40 },
  )
  .map((p) => p.join(""));

describe("the scanners match the regexes they replaced", () => {
  it("emails, handles, markup masking and tokens, on the same random text", () => {
    fc.assert(
      fc.property(scannerText, (text) => {
        expect(emailSpans(text)).toEqual(spans(OLD.email, text));
        expect(handleSpans(text)).toEqual(spans(OLD.handle, text));
        expect(maskMarkup(text)).toBe(text.replace(OLD.markup, (m) => " ".repeat(m.length)));
        expect(tokenize(text).map(({ start, end }) => ({ start, end }))).toEqual(spans(OLD.token, text));
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });
});
