/**
 * The word lexicon: gazetteer membership of a lowercased word packed into a small integer.
 * Built from gazetteer.tsv.gz (see scripts/build-gazetteer.ts) and stored inside the model file.
 *
 * Bits 0-2: first-name popularity tier (0 = not a US first name, 1 = over 1M births … 5 = rare)
 * Bit 3:    common English first name     Bit 4: person name part (cspell)
 * Bit 5:    human name (humannames)       Bit 6: company name
 * Bits 7-10: SCOWL size index of the word as an ordinary lowercase English word (0 = not a word,
 *            1 = size 10 (most common) … 8 = size 70 (rare))
 * Bits 11-17: part of a famous person's name, of a place name, of an organization name; demonym;
 *            title/honorific; role noun ("actor"); month or weekday.
 */
export type Lexicon = ReadonlyMap<string, number>;

const SCOWL_SIZES = [10, 20, 35, 40, 50, 55, 60, 70];

export const LEX_COMMON_FIRST = 1 << 3;
export const LEX_NAME_PART = 1 << 4;
export const LEX_HUMAN_NAME = 1 << 5;
export const LEX_COMPANY = 1 << 6;
export const LEX_FAMOUS = 1 << 11;
export const LEX_PLACE = 1 << 12;
export const LEX_ORG = 1 << 13;
export const LEX_DEMONYM = 1 << 14;
export const LEX_TITLE = 1 << 15;
export const LEX_ROLE = 1 << 16;
export const LEX_DATE = 1 << 17;
/** Any name list: a first name of some tier, person, company, place or organization names, demonyms. */
export const LEX_ANY_NAME =
  7 |
  LEX_COMMON_FIRST |
  LEX_NAME_PART |
  LEX_HUMAN_NAME |
  LEX_COMPANY |
  LEX_FAMOUS |
  LEX_PLACE |
  LEX_ORG |
  LEX_DEMONYM;
const LETTER_BITS: Record<string, number> = {
  s: LEX_COMMON_FIRST,
  n: LEX_NAME_PART,
  h: LEX_HUMAN_NAME,
  c: LEX_COMPANY,
  p: LEX_FAMOUS,
  l: LEX_PLACE,
  o: LEX_ORG,
  d: LEX_DEMONYM,
  t: LEX_TITLE,
  r: LEX_ROLE,
  m: LEX_DATE,
};

export function firstNameTier(bits: number): number {
  return bits & 7;
}

export function wordTier(bits: number): number {
  return (bits >> 7) & 15;
}

/** Parses `word TAB flags` lines (the gazetteer file format) into a lexicon. */
export function parseGazetteer(text: string): Map<string, number> {
  const lex = new Map<string, number>();
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab <= 0) continue;
    let bits = 0;
    for (const flag of line.slice(tab + 1).split(" ")) {
      const kind = flag[0];
      const num = Number(flag.slice(1));
      if (kind === "f") bits |= num & 7;
      else if (kind === "w") bits |= (SCOWL_SIZES.indexOf(num) + 1) << 7;
      else if (kind !== undefined) bits |= LETTER_BITS[kind] ?? 0;
    }
    lex.set(line.slice(0, tab), bits);
  }
  return lex;
}

/** Compact serialization for the model file: `word:bits` joined by newlines (bits in base 36). */
export function serializeLexicon(lex: Lexicon): string {
  const parts: string[] = [];
  for (const [w, b] of lex) parts.push(`${w}\t${b.toString(36)}`);
  return parts.join("\n");
}

export function deserializeLexicon(text: string): Map<string, number> {
  const lex = new Map<string, number>();
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const tab = text.indexOf("\t", pos);
    if (tab > pos && tab < nl) lex.set(text.slice(pos, tab), Number.parseInt(text.slice(tab + 1, nl), 36));
    pos = nl + 1;
  }
  return lex;
}
