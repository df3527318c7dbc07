/**
 * How name-like an unknown word looks, from its letters: a character-trigram log-likelihood ratio
 * between person names (the name lists) and ordinary English words (SCOWL), averaged over the
 * word's trigrams. "Tebogo", "Kishan" score high; "screwattack", "flopcorn" low.
 */
import { firstNameTier, LEX_NAME_PART, type LexiconMap, wordTier } from "./lexicon.ts";

export type TrigramTable = ReadonlyMap<string, number>;

function* trigrams(word: string): Generator<string> {
  const w = `^${word}$`;
  for (let i = 0; i + 3 <= w.length; i++) yield w.slice(i, i + 3);
}

/** Builds the trigram → log-ratio table from the lexicon's name and word entries. */
export function buildTrigramTable(lexicon: LexiconMap): Map<string, number> {
  const names = new Map<string, number>();
  const words = new Map<string, number>();
  let nTotal = 0;
  let wTotal = 0;
  for (const [w, bits] of lexicon) {
    if (!/^\p{L}{3,}$/u.test(w)) continue;
    const tier = firstNameTier(bits);
    const wt = wordTier(bits);
    const isName = (tier >= 1 && tier <= 4) || (bits & LEX_NAME_PART) !== 0;
    const isWord = wt >= 1 && wt <= 6;
    if (isName === isWord) continue;
    const counts = isName ? names : words;
    for (const t of trigrams(w)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (isName) nTotal++;
      else wTotal++;
    }
  }
  const table = new Map<string, number>();
  const all = new Set([...names.keys(), ...words.keys()]);
  const vocab = all.size;
  for (const t of all) {
    const n = names.get(t) ?? 0;
    const w = words.get(t) ?? 0;
    if (n + w < 3) continue;
    const ratio = Math.log((n + 0.5) / (nTotal + 0.5 * vocab)) - Math.log((w + 0.5) / (wTotal + 0.5 * vocab));
    table.set(t, Math.round(ratio * 10) / 10);
  }
  return table;
}

/** Mean log-ratio over the word's trigrams (unknown trigrams count 0). */
export function nameLikeness(lowerWord: string, table: TrigramTable): number {
  let sum = 0;
  let n = 0;
  for (const t of trigrams(lowerWord)) {
    sum += table.get(t) ?? 0;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export function serializeTrigrams(table: TrigramTable): string {
  return [...table].map(([t, v]) => `${t}\t${v}`).join("\n");
}

export function deserializeTrigrams(text: string): Map<string, number> {
  const table = new Map<string, number>();
  for (const line of text.split("\n")) {
    const tab = line.lastIndexOf("\t");
    if (tab > 0) table.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return table;
}
