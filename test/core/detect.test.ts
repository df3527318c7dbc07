import { describe, expect, it } from "vitest";
import { displayNameFromAlias, normalizeAlias, normalizeProfileUrl } from "../../src/core/contacts.ts";
import { AliasMatcher, detect, isInternalDomain, TeammateDirectory } from "../../src/core/detect/index.ts";
import { maskMarkup } from "../../src/core/detect/patterns.ts";
import { foldText } from "../../src/core/text.ts";

const kinds = (text: string, opts = {}) =>
  detect(text, { names: false, ...opts }).map((d) => [d.kind, d.text]);

describe("pattern detectors", () => {
  it.each([
    ["mail jane.doe@acme.com today", [["email", "jane.doe@acme.com"]]],
    ["<mailto:jane@acme.com|jane@acme.com>", [["email", "jane@acme.com"]]],
    ["see https://www.linkedin.com/in/janedoe/ ok", [["url", "https://www.linkedin.com/in/janedoe/"]]],
    ["<https://twitter.com/jdoe|her twitter>", [["url", "https://twitter.com/jdoe"]]],
    ["github.com/octocat.", [["url", "github.com/octocat"]]],
    ["ping @janedoe about it", [["handle", "@janedoe"]]],
    ["@here standup!", []],
    ["docs at https://acme.com/pricing and https://x.com/home", []],
    ["nothing to see here", []],
  ])("%s", (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  it("every span is the exact substring of the input", () => {
    const text = "Émilie (emilie@exemple.fr) — https://linkedin.com/in/emilie-d · @emilie_d";
    for (const d of detect(text, { names: false })) expect(text.slice(d.start, d.end)).toBe(d.text);
  });

  it("drops emails at internal domains, including subdomains", () => {
    expect(
      kinds("ann@northwind.example and bo@mail.northwind.example", {
        internalDomains: ["northwind.example"],
      }),
    ).toEqual([]);
    expect(isInternalDomain("x@eu.acme.co.uk", ["acme.co.uk"])).toBe(true);
    expect(isInternalDomain("x@acme.com", ["acme.co.uk"])).toBe(false);
  });

  it("drops teammates' handles", () => {
    const teammates = new TeammateDirectory([{ displayName: "maria", realName: "Maria Lopez" }]);
    expect(kinds("thanks @maria and @janedoe", { teammates })).toEqual([["handle", "@janedoe"]]);
  });

  it("masks chat markup without moving offsets", () => {
    const text = "hi <@U123|ann> see `Jane Doe` <https://a.b|link> ok";
    const masked = maskMarkup(text);
    expect(masked.length).toBe(text.length);
    expect(masked).not.toMatch(/Jane|U123|https/);
    expect(masked.startsWith("hi ")).toBe(true);
  });
});

describe("teammates", () => {
  const dir = new TeammateDirectory([
    { displayName: "ann", realName: "Ann Smith", email: "ann.smith@northwind.example" },
    { displayName: "Bo", realName: "Bo Chen" },
  ]);
  it.each([
    ["Ann Smith", true],
    ["ann", true],
    ["Ann's", true],
    ["Smith", true],
    ["ANN SMITH", true],
    ["Ann Jones", false],
    ["Jane Doe", false],
  ])("%s → %s", (name, isTeammate) => {
    expect(dir.isTeammateName(name)).toBe(isTeammate);
  });

  it("a name opening with the workspace's own name is its product, not a person", () => {
    const own = new TeammateDirectory([], { name: "Contoso Labs", internalDomains: ["contoso.example"] });
    // The tagger alone takes "Contoso Atlas" for a person; the workspace's own name says otherwise.
    const text = "Contoso Atlas is live, Priya Raman signed off";
    const persons = (teammates?: TeammateDirectory) =>
      detect(text, teammates ? { teammates } : {}).flatMap((d) => (d.kind === "person" ? [d.text] : []));
    expect(persons()).toEqual(["Contoso Atlas", "Priya Raman"]);
    expect(persons(own)).toEqual(["Priya Raman"]);
    expect(own.isOwnName("Jonathan Baker")).toBe(false);
  });
});

describe("registered aliases", () => {
  const matcher = new AliasMatcher([
    { contactId: "jane", normalized: normalizeAlias("name", "Jane Doe") },
    { contactId: "jane", normalized: normalizeAlias("email", "jane@acme.com") },
    { contactId: "jane", normalized: normalizeAlias("handle", "@janedoe") },
    { contactId: "jose", normalized: normalizeAlias("name", "José Álvarez") },
    { contactId: "al", normalized: normalizeAlias("name", "Al") },
  ]);

  it("matches every alias in one pass, case- and diacritic-insensitively", () => {
    const text = "JANE DOE wrote to jane@ACME.com; ping @JaneDoe and jose alvarez.";
    const hits = matcher.find(text);
    expect(hits.map((h) => [h.contactId, h.text])).toEqual([
      ["jane", "JANE DOE"],
      ["jane", "jane@ACME.com"],
      ["jane", "@JaneDoe"],
      ["jose", "jose alvarez"],
    ]);
    for (const h of hits) expect(text.slice(h.start, h.end)).toBe(h.text);
  });

  it("respects word boundaries but accepts possessives", () => {
    expect(matcher.find("Alice and Alfred").map((h) => h.contactId)).toEqual([]);
    expect(matcher.find("Al's idea").map((h) => h.contactId)).toEqual(["al"]);
    expect(matcher.find("Jane Doe's deck").map((h) => h.text)).toEqual(["Jane Doe"]);
  });

  it("is empty-safe", () => {
    expect(new AliasMatcher([]).find("Jane Doe")).toEqual([]);
  });
});

describe("alias normalization", () => {
  it.each([
    ["name", "  José   Álvarez ", "jose alvarez"],
    ["name", "Jane's", "jane"],
    ["email", " Jane@Acme.COM", "jane@acme.com"],
    ["email", "mailto:jane@acme.com", "jane@acme.com"],
    ["handle", "@@JaneDoe", "@janedoe"],
    ["handle", "janedoe", "@janedoe"],
    ["url", "https://www.linkedin.com/in/JaneDoe/?trk=x", "linkedin.com/in/janedoe"],
    ["url", "https://de.linkedin.com/in/janedoe", "linkedin.com/in/janedoe"],
    ["url", "twitter.com/JDoe", "x.com/jdoe"],
    ["platform", "U123", "user:U123"],
  ] as const)("%s %s → %s", (kind, value, expected) => {
    expect(normalizeAlias(kind, value)).toBe(expected);
  });

  it("rejects non-profile URLs", () => {
    expect(normalizeProfileUrl("https://linkedin.com/company/acme")).toBeNull();
    expect(normalizeProfileUrl("https://x.com/search?q=a")).toBeNull();
    expect(normalizeProfileUrl("not a url at all ::")).toBeNull();
  });

  it("derives display names from aliases", () => {
    expect(displayNameFromAlias("email", "jane.doe@acme.com")).toBe("Jane Doe");
    expect(displayNameFromAlias("email", "info@acme.com")).toBe("info@acme.com");
  });

  it("folds text one unit per unit", () => {
    const s = "ÀÉÎõü Straße İ";
    expect(foldText(s).length).toBe(s.length);
    expect(foldText("ÀÉÎõü")).toBe("aeiou");
  });

  it("folds mixed ASCII and other text exactly as unit by unit", () => {
    // The reference: every UTF-16 unit folded on its own (what foldText does in runs).
    const byUnit = (t: string) =>
      [...Array(t.length).keys()]
        .map((i) => {
          const ch = t[i] as string;
          if (ch.charCodeAt(0) < 128) return ch.toLowerCase();
          const base = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
          return base.length === 1 ? base : ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
        })
        .join("");
    for (const t of [
      "",
      "Lunch with JANE Doe?",
      "É",
      "Café with Zoë 🎉 at Ünter-Straße’s, İstanbul ẞ",
      "🎉🎉",
      "ends with é",
      "’quoted’ Priya’s deck",
    ]) {
      expect(foldText(t), t).toBe(byUnit(t));
      expect(foldText(t).length).toBe(t.length);
    }
  });
});

describe("names through detect()", () => {
  it("calls a name with a company suffix an organization, not a person", () => {
    const found = detect("We met Priya Raman from Acme Corp and someone at Initech Inc. yesterday");
    expect(found.filter((d) => d.kind === "person").map((d) => d.text)).not.toContain("Acme Corp");
    expect(found.filter((d) => d.kind === "person").map((d) => d.text)).not.toContain("Initech Inc.");
    expect(found.find((d) => d.text === "Priya Raman")?.kind).toBe("person");
  });
});
