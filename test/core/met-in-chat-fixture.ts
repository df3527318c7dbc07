// Reads test/fixtures/met-in-chat/messages.txt: one message per line, [Name] a contact found in it,
// [[Name]] a contact its author says they met in person. Shared by the fixture test and by
// scripts/met-in-chat-eval.ts (which prints the tuning split's misses while working on the detector).
import { readFileSync } from "node:fs";
import { meetingsInChat } from "../../src/core/met-in-chat.ts";

export interface FixtureMessage {
  line: number;
  text: string;
  spans: Array<{ name: string; start: number; end: number; met: boolean }>;
  /** Every third message is held out: never looked at while tuning the detector. */
  heldOut: boolean;
  /** Also a case of test/core/met-in-chat.test.ts, which the detector was first written against. */
  inUnitTest: boolean;
}

export function readFixture(): FixtureMessage[] {
  const raw = readFileSync(new URL("../fixtures/met-in-chat/messages.txt", import.meta.url), "utf8");
  const unit = readFileSync(new URL("./met-in-chat.test.ts", import.meta.url), "utf8");
  const out: FixtureMessage[] = [];
  for (const [i, line] of raw.split("\n").entries()) {
    if (!line.trim() || line.startsWith("#")) continue;
    let text = "";
    const spans: FixtureMessage["spans"] = [];
    const re = /\[\[([^\]]+)\]\]|\[([^\]]+)\]/g;
    let last = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      text += line.slice(last, m.index);
      const name = m[1] ?? m[2] ?? "";
      spans.push({ name, start: text.length, end: text.length + name.length, met: m[1] !== undefined });
      text += name;
      last = m.index + m[0].length;
    }
    text += line.slice(last);
    out.push({
      line: i + 1,
      text,
      spans,
      heldOut: out.length % 3 === 2,
      inUnitTest: unit.includes(JSON.stringify(text)),
    });
  }
  return out;
}

// Thursday 3 Dec 2026, 15:00 in Lisbon.
export const SENT = new Date("2026-12-03T15:00:00Z");

export interface Score {
  messages: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  misses: Array<{ line: number; text: string; wrong: string[]; missed: string[] }>;
}

export function score(messages: readonly FixtureMessage[]): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let positives = 0;
  const misses: Score["misses"] = [];
  for (const m of messages) {
    const got = new Set(meetingsInChat(m.text, m.spans, SENT, "Europe/Lisbon").map((x) => x.span.name));
    const wrong = m.spans.filter((s) => got.has(s.name) && !s.met).map((s) => s.name);
    const missed = m.spans.filter((s) => !got.has(s.name) && s.met).map((s) => s.name);
    const hits = m.spans.filter((s) => got.has(s.name) && s.met).length;
    tp += hits;
    fp += wrong.length;
    fn += missed.length;
    positives += m.spans.filter((s) => s.met).length;
    if (wrong.length || missed.length) misses.push({ line: m.line, text: m.text, wrong, missed });
  }
  return {
    messages: messages.length,
    positives,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: positives === 0 ? 1 : tp / positives,
    misses,
  };
}
