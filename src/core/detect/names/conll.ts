/**
 * Reading CoNLL files (token TAB BIO-tag, blank line between sentences): WNUT17 (classes person,
 * location, group, creative-work, corporation, product) and the Broad Twitter Corpus (PER, ORG, LOC).
 */
import { readFileSync } from "node:fs";

export interface ConllSentence {
  tokens: string[];
  tags: string[];
}

/**
 * The sentences of a CoNLL file, or of one part of it: `path#2/2` is the second half (in file order),
 * `path#1/2` the first (the Broad Twitter Corpus's recommended dev set is the second half of section H).
 * Broad Twitter Corpus files are brought to the detector's view of tweets (see fromBtc).
 */
export function readConll(spec: string): ConllSentence[] {
  const m = /^(.*)#(\d+)\/(\d+)$/.exec(spec);
  const path = m ? (m[1] as string) : spec;
  let sentences = readConllFile(path);
  if (m) {
    const part = Number(m[2]);
    const parts = Number(m[3]);
    const size = Math.ceil(sentences.length / parts);
    sentences = sentences.slice((part - 1) * size, part * size);
  }
  return sentences.some(isBtc) ? sentences.map(fromBtc) : sentences;
}

const BTC_TAG = /^[BI]-(?:PER|ORG|LOC)$/;
function isBtc(s: ConllSentence): boolean {
  return s.tags.some((t) => BTC_TAG.test(t));
}

const HANDLE_NAME = /^\w{1,15}$/;

/**
 * BTC splits a mention into "@" and the user name and tags both as PER/ORG (`@ B-PER`, `colgo B-PER`).
 * In chat the handle is one token, `@colgo`, and the handle detector owns it: the name tagger must
 * neither learn that handles are person names nor be scored on them. So "@" and a user name become
 * one untagged token. A lone "@" tagged O before an entity is "at" (`@ Parl House`) and stays.
 */
export function fromBtc(s: ConllSentence): ConllSentence {
  const tokens: string[] = [];
  const tags: string[] = [];
  for (let i = 0; i < s.tokens.length; i++) {
    const token = s.tokens[i] as string;
    const tag = s.tags[i] ?? "O";
    const next = s.tokens[i + 1];
    const nextTag = s.tags[i + 1] ?? "O";
    if (token === "@" && next !== undefined && HANDLE_NAME.test(next) && (tag !== "O" || nextTag === "O")) {
      tokens.push(`@${next}`);
      tags.push("O");
      i++;
      // An entity that went on past the handle starts afresh after it.
      const after = s.tags[i + 1];
      if (after?.startsWith("I-")) s = { tokens: s.tokens, tags: s.tags.with(i + 1, `B-${after.slice(2)}`) };
      continue;
    }
    tokens.push(token);
    tags.push(tag);
  }
  return { tokens, tags };
}

function readConllFile(path: string): ConllSentence[] {
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
