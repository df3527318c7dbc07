import { describe, expect, it } from "vitest";
import { daysAgo, meetingsInChat } from "../../src/core/met-in-chat.ts";

// Messages written in many shapes, each with the contacts a detector would find in it and the ones
// the author met in person. The bot only asks the author to confirm, but a question about a lunch
// that didn't happen is noise, so precision is what this is held to.

type Case = [text: string, contacts: string[], met: string[]];

const MET: Case[] = [
  ["Had lunch with Jane Doe yesterday, great conversation about their roadmap", ["Jane Doe"], ["Jane Doe"]],
  ["great coffee with @jdoe this morning", ["@jdoe"], ["@jdoe"]],
  ["met María at the conference, she runs platform at Acme", ["María"], ["María"]],
  ["I finally met Tom Becker in person!", ["Tom Becker"], ["Tom Becker"]],
  [
    "We met up with Priya Nair and Luis Gomez after the demo day",
    ["Priya Nair", "Luis Gomez"],
    ["Priya Nair", "Luis Gomez"],
  ],
  ["Grabbed a quick coffee with Ana Lima before the workshop", ["Ana Lima"], ["Ana Lima"]],
  ["Jane Doe and I had lunch on Tuesday", ["Jane Doe"], ["Jane Doe"]],
  ["Lunch with Ken Adams yesterday was really useful", ["Ken Adams"], ["Ken Adams"]],
  ["ran into Sofia Rossi at the airport, small world", ["Sofia Rossi"], ["Sofia Rossi"]],
  ["Caught up with Dmitri Ivanov over beers last night", ["Dmitri Ivanov"], ["Dmitri Ivanov"]],
  ["had dinner with jane@acme.com's team, lovely people", ["jane@acme.com"], ["jane@acme.com"]],
  ["Visited Helen Park at their new office today", ["Helen Park"], ["Helen Park"]],
  ["Just had a great lunch with Omar Haddad. He wants a pilot", ["Omar Haddad"], ["Omar Haddad"]],
  ["Bumped into Lena Vogt at the meetup", ["Lena Vogt"], ["Lena Vogt"]],
  ["we had drinks with Chris Wu after the panel", ["Chris Wu"], ["Chris Wu"]],
  ["Met with Rafael Costa on Monday about the integration", ["Rafael Costa"], ["Rafael Costa"]],
  ["Nice lunch with Yuki Tanaka, she says hi", ["Yuki Tanaka"], ["Yuki Tanaka"]],
  ["Hung out with Ben Carter at the hackathon", ["Ben Carter"], ["Ben Carter"]],
  ["Quick update: had coffee with Aisha Bello. Notes in the doc", ["Aisha Bello"], ["Aisha Bello"]],
  ["Had breakfast with @marta.s and @kofi today", ["@marta.s", "@kofi"], ["@marta.s", "@kofi"]],
  ["So, met Jonas Berg last week at the expo; very keen", ["Jonas Berg"], ["Jonas Berg"]],
  ["grabbed tacos with Dana Cruz after the talk", ["Dana Cruz"], ["Dana Cruz"]],
  ["Had a long lunch with my old friend Pat Kim", ["Pat Kim"], ["Pat Kim"]],
  ["Enjoyed dinner with Laura Chen and her cofounder", ["Laura Chen"], ["Laura Chen"]],
  ["Met Sam Ortiz! Really sharp", ["Sam Ortiz"], ["Sam Ortiz"]],
];

const NOT_MET: Case[] = [
  ["Let's have lunch with Jane Doe next week", ["Jane Doe"], []],
  ["Having lunch with Jane Doe tomorrow", ["Jane Doe"], []],
  ["I will meet Tom Becker on Friday", ["Tom Becker"], []],
  ["Have you met María? She's great", ["María"], []],
  ["Did anyone have coffee with @jdoe yet?", ["@jdoe"], []],
  ["I never met Tom Becker in person", ["Tom Becker"], []],
  ["didn't get to meet Priya Nair at the conference", ["Priya Nair"], []],
  ["Had a call with Ana Lima yesterday", ["Ana Lima"], []],
  ["Met Ken Adams on Zoom this morning", ["Ken Adams"], []],
  ["had a video chat with Sofia Rossi", ["Sofia Rossi"], []],
  ["Bo met Dmitri Ivanov last week", ["Dmitri Ivanov"], []],
  ["Lunch with Helen Park was cancelled", ["Helen Park"], []],
  ["We should grab coffee with Omar Haddad soon", ["Omar Haddad"], []],
  ["Planning dinner with Lena Vogt", ["Lena Vogt"], []],
  ["Lunch with Chris Wu on Thursday?", ["Chris Wu"], []],
  ["Emailed Rafael Costa about the contract", ["Rafael Costa"], []],
  ["Yuki Tanaka posted a great thread about caching", ["Yuki Tanaka"], []],
  ["Our lunch with Ben Carter got postponed", ["Ben Carter"], []],
  ["I'd like to meet Aisha Bello at some point", ["Aisha Bello"], []],
  ["Jonas Berg met our CEO at the expo", ["Jonas Berg"], []],
  ["Saw Dana Cruz's talk online, worth watching", ["Dana Cruz"], []],
  ["Invited Pat Kim to lunch on Friday", ["Pat Kim"], []],
  ["Great to hear from Laura Chen", ["Laura Chen"], []],
  ["Sam Ortiz said they met the team before", ["Sam Ortiz"], []],
  ["Had a huddle with Marta Silva", ["Marta Silva"], []],
  ["lunch with Kofi Mensah is scheduled for Monday", ["Kofi Mensah"], []],
  ["had lunch. Jane Doe sent the deck afterwards", ["Jane Doe"], []],
  ["Hoping to have coffee with Tom Becker when he's in town", ["Tom Becker"], []],
  ["Missed lunch with María, she was sick", ["María"], []],
  ["met the deadline for Priya Nair's proposal", ["Priya Nair"], []],
  ["Can we meet Ana Lima later", ["Ana Lima"], []],
  ["We met the Acme folks; Ken Adams couldn't come", ["Ken Adams"], []],
];

function spans(text: string, contacts: string[]) {
  return contacts.map((name) => {
    const start = text.indexOf(name);
    if (start < 0) throw new Error(`${name} not in "${text}"`);
    return { name, start, end: start + name.length };
  });
}

// Thursday 3 Dec 2026, 15:00 in Lisbon.
const SENT = new Date("2026-12-03T15:00:00Z");
const found = ([text, contacts]: Case) => meetingsInChat(text, spans(text, contacts), SENT, "Europe/Lisbon");

describe("meetings mentioned in chat", () => {
  it.each(MET)("%s", (...c) => {
    expect(found(c).map((m) => m.span.name)).toEqual(c[2]);
  });

  it.each(NOT_MET)("not a meeting: %s", (...c) => {
    expect(found(c)).toEqual([]);
  });

  it("holds precision ≥ 0.95 and recall ≥ 0.8 over every shape above", () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of [...MET, ...NOT_MET]) {
      const got = new Set(found(c).map((m) => m.span.name));
      for (const name of got) (c[2].includes(name) ? () => tp++ : () => fp++)();
      for (const name of c[2]) if (!got.has(name)) fn++;
    }
    expect(MET.length + NOT_MET.length).toBeGreaterThanOrEqual(55);
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.95);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.8);
  });

  it("puts the meeting on the day the words say", () => {
    const day = (text: string) => {
      const [m] = meetingsInChat(text, spans(text, ["Jane Doe"]), SENT, "Europe/Lisbon");
      return m ? `${m.day.year}-${m.day.month}-${m.day.day}` : null;
    };
    expect(day("Had lunch with Jane Doe yesterday")).toBe("2026-12-2");
    expect(day("Had lunch with Jane Doe")).toBe("2026-12-3");
    expect(day("Had lunch with Jane Doe on Monday")).toBe("2026-11-30");
    expect(day("Had lunch with Jane Doe last Thursday")).toBe("2026-11-26");
    expect(day("met Jane Doe last week")).toBe("2026-11-26");
    // Late evening in Auckland is already the next day there.
    const [nz] = meetingsInChat(
      "Met Jane Doe today",
      spans("Met Jane Doe today", ["Jane Doe"]),
      SENT,
      "Pacific/Auckland",
    );
    expect(nz?.day).toEqual({ year: 2026, month: 12, day: 4 });
  });

  it("counts weekdays back from the message's own weekday", () => {
    expect(daysAgo("on friday", 5)).toBe(0);
    expect(daysAgo("last friday", 5)).toBe(7);
    expect(daysAgo("on sunday", 1)).toBe(1);
  });
});
