/** Reading WNUT17-style CoNLL files (token TAB BIO-tag, blank line between sentences). */
import { readFileSync } from "node:fs";

export interface ConllSentence {
  tokens: string[];
  tags: string[];
}

export function readConll(path: string): ConllSentence[] {
  const sentences: ConllSentence[] = [];
  let cur: ConllSentence = { tokens: [], tags: [] };
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const tab = line.indexOf("\t");
    const token = tab < 0 ? line : line.slice(0, tab);
    if (token.trim() === "") {
      if (cur.tokens.length > 0) sentences.push(cur);
      cur = { tokens: [], tags: [] };
      continue;
    }
    cur.tokens.push(token);
    cur.tags.push(tab < 0 ? "O" : line.slice(tab + 1).trim() || "O");
  }
  if (cur.tokens.length > 0) sentences.push(cur);
  return sentences;
}

export interface GoldSpan {
  /** The WNUT class: person, location, group, creative-work, corporation, product. */
  type: string;
  start: number;
  end: number;
}

/** The sentence as text (tokens joined by single spaces) and its entity spans as character offsets. */
export function sentenceText(s: ConllSentence): { text: string; spans: GoldSpan[] } {
  const spans: GoldSpan[] = [];
  let text = "";
  let cur: GoldSpan | null = null;
  for (let i = 0; i < s.tokens.length; i++) {
    if (i > 0) text += " ";
    const start = text.length;
    text += s.tokens[i];
    const tag = s.tags[i] ?? "O";
    const type = tag.slice(2);
    if (tag.startsWith("I-") && cur && cur.type === type) {
      cur.end = text.length;
      continue;
    }
    if (cur) spans.push(cur);
    cur = tag === "O" ? null : { type, start, end: text.length };
  }
  if (cur) spans.push(cur);
  return { text, spans };
}
