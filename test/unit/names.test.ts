import { describe, expect, it } from "vitest";
import { detectNames, type NameSpan } from "../../src/core/detect/names/index.ts";
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
