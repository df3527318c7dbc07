// Text folding that keeps offsets: each UTF-16 unit folds to exactly one unit, so a match found in
// folded text has the same [start, end) in the original. Case- and diacritic-insensitive.

const foldCache = new Map<number, string>();

function foldChar(code: number): string {
  let folded = foldCache.get(code);
  if (folded === undefined) {
    const ch = String.fromCharCode(code);
    const base = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    folded = base.length === 1 ? base : ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
    foldCache.set(code, folded);
  }
  return folded;
}

export function foldText(text: string): string {
  // Runs of ASCII are lowercased in one native call each (ASCII lowercasing keeps the length): most
  // chat is ASCII, and building the string one unit at a time made a heap object per character.
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) continue;
    out += text.slice(from, i).toLowerCase() + foldChar(code);
    from = i + 1;
  }
  return from === 0 ? text.toLowerCase() : out + text.slice(from).toLowerCase();
}

/** Letters, digits and the joiners that occur inside names and handles. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/** Collapses whitespace and trims: the canonical display form of user-entered names. */
export function tidy(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/**
 * `value` without the run of characters at its end for which `drop` holds. A loop rather than a
 * pattern like /\d+$/, which a regex engine tries from every position: quadratic on a long run
 * that doesn't reach the end (test/adversarial/redos.test.ts).
 */
export function trimEnd(value: string, drop: (ch: string) => boolean): string {
  let end = value.length;
  while (end > 0 && drop(value.charAt(end - 1))) end--;
  return value.slice(0, end);
}

/** The same at the start. */
export function trimStart(value: string, drop: (ch: string) => boolean): string {
  let start = 0;
  while (start < value.length && drop(value.charAt(start))) start++;
  return value.slice(start);
}

/** A base URL without its trailing slashes, so paths can be appended ("https://x.example/" → "https://x.example"). */
export function withoutTrailingSlashes(url: string): string {
  return trimEnd(url, (ch) => ch === "/");
}

export const isAsciiDigit = (ch: string): boolean => ch >= "0" && ch <= "9";
