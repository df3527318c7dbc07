import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detect } from "../../../src/core/detect/index.ts";
import { detectNames } from "../../../src/core/detect/names/index.ts";
import { notAPerson } from "../../../src/core/detect/non-person.ts";

const persons = (text: string) => detect(text).flatMap((d) => (d.kind === "person" ? [d.text] : []));
const tagged = (text: string) => detectNames(text).flatMap((n) => (n.kind === "person" ? [n.text] : []));
/** notAPerson for the first occurrence of `span` in `text`. */
const why = (text: string, span: string) => {
  const start = text.indexOf(span);
  if (start < 0) throw new Error(`${span} not in ${text}`);
  return notAPerson(text, start, start + span.length);
};

describe("notAPerson", () => {
  it.each([
    ["Anyone up for lunch at Thai Basil on Main St?", "Thai Basil", "business"],
    ["Italian Kitchen on 5th has a new menu", "Italian Kitchen", "business"],
    ["Anyone up for lunch at Thai Basil on Main St?", "Main St", "street"],
    ["Our new office is at 450 Market Street, San Francisco", "Market Street", "street"],
    ["Our new office is at 450 Market Street, San Francisco", "San Francisco", "place"],
    ["I'm flying to Palo Alto on Tuesday for the offsite", "Palo Alto", "place"],
    ["Greetings from Montpellier, New Zealand!", "New Zealand", "place"],
    ["She studied at the University of Michigan", "University of Michigan", "institution"],
    ["Carnegie Mellon University asked for a demo", "Carnegie Mellon University", "institution"],
    ["She studied at Carnegie Mellon University", "Carnegie Mellon", "institution"],
    ["a talk at the University of Michigan today", "Michigan", "institution"],
    ["Who is going to PyCon this year? I heard JSConf is sold out", "JSConf", "event"],
    ["Who is going to PyCon this year?", "PyCon", "event"],
    ["The Berlin Hackathon was great", "Berlin Hackathon", "event"],
    ["see you at the Lisbon AI Meetup", "Lisbon AI", "event"],
    ["anyone at React Conf next week?", "React", "event"],
    ["We should rewrite this in Rust instead of Python", "Python", "software"],
    ["Kotlin or Swift for the mobile app?", "Kotlin", "software"],
    ["Can someone review my PR for Kubernetes Helm charts?", "Kubernetes Helm", "software"],
    ["Just pushed a fix for the pandas dataframe bug", "pandas", "software"],
    [":jane: :tada: thanks everyone", "jane", "emoji"],
    ["great work :sarah_connor:", "sarah_connor", "emoji"],
    ["Sprint Review at 3, Planning right after", "Sprint Review", "common-words"],
    ["Please fill in the Engagement Survey by Friday", "Engagement Survey", "common-words"],
    ["Board Meeting prep doc is up", "Board Meeting", "common-words"],
  ])("%s: %s is a %s", (text, span, reason) => {
    expect(why(text, span)).toBe(reason);
  });

  it.each([
    ["Talked to Maria Garcia from Initech about the renewal", "Maria Garcia"],
    ["Jane Doe said the pilot looks good", "Jane Doe"],
    ["Met Tebogo Mokoena at the AWS Summit in Cape Town", "Tebogo Mokoena"],
    // Words of the lists that are also likely names stay with the tagger.
    ["Ruby Rose and Julia Roberts were at the launch", "Ruby Rose"],
    ["Ruby Rose and Julia Roberts were at the launch", "Julia Roberts"],
    ["Austin said yes", "Austin"],
    ["Jane Lane said hi", "Jane Lane"],
    ["Speaking with Waleed Aly on the radio at 6", "Waleed Aly"],
    ["Making jokes about Lord Hanuman?", "Lord Hanuman"],
    ["Paris Hilton is in town", "Paris Hilton"],
    ["Kenji Watanabe: see you at 12:30", "Kenji Watanabe"],
    // Words that follow a name as often as they end an event's.
    ["Hablé ayer, María García con su equipo", "María García"],
    ["Jane Camp will join us", "Jane Camp"],
    ["Jane Doe keynote at 3, don't miss it", "Jane Doe"],
  ])("%s: %s may be a person", (text, span) => {
    expect(why(text, span)).toBeNull();
  });

  it("every list it reads says where it comes from", () => {
    for (const file of ["places.json", "software.json"]) {
      const data = JSON.parse(
        readFileSync(new URL(`../../../src/core/detect/lists/${file}`, import.meta.url), "utf8"),
      ) as { sources: Record<string, string> };
      expect(Object.keys(data.sources).length).toBeGreaterThan(0);
      for (const v of Object.values(data.sources)) expect(v).toMatch(/^\d+\.\d+\.\d+ \(/);
    }
  });
});

describe("detect() leaves non-people out of the persons", () => {
  // Each message: what the tagger alone calls a person, and what must not survive detect().
  it.each([
    ["Kotlin or Swift for the mobile app?", "Kotlin"],
    ["Kotlin or Python for the script?", "Kotlin"],
    ["Who is going to PyCon this year? I heard JSConf is sold out", "JSConf"],
    ["The Berlin Hackathon was great, see you at the Lisbon AI Meetup", "Berlin Hackathon"],
    [":jane: :tada: thanks everyone", "jane"],
  ])("%s", (text, nonPerson) => {
    expect(tagged(text)).toContain(nonPerson);
    expect(persons(text)).not.toContain(nonPerson);
  });

  it("these the tagger itself no longer calls persons (since it learnt from two corpora and word clusters)", () => {
    for (const [text, nonPerson] of [
      ["We should rewrite this in Rust instead of Python", "Python"],
      ["Can someone review my PR for Kubernetes Helm charts?", "Kubernetes Helm"],
    ] as const) {
      expect(tagged(text)).not.toContain(nonPerson);
      expect(persons(text)).not.toContain(nonPerson);
    }
  });

  it("keeps the people in the same messages", () => {
    expect(persons("Talked to Maria Garcia from Initech about the renewal")).toEqual(["Maria Garcia"]);
    expect(persons("Drinks at Blue Bottle with Kenji Watanabe after work")).toEqual(["Kenji Watanabe"]);
    expect(persons("Trying the new place in Paris for lunch, Thai Basil on Main St")).toEqual([]);
    expect(persons("Ruby Rose and Julia Roberts were at KubeCon")).toEqual(["Ruby Rose", "Julia Roberts"]);
  });
});
