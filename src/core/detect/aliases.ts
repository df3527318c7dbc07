import AhoCorasick from "modern-ahocorasick";
import { foldText, isWordChar } from "../text.ts";
import type { AliasHit } from "./types.ts";

// Registered aliases (names, emails, handles, profile URLs) are matched in one pass over the folded
// text, so the cost of a message does not grow with the number of contacts.

export interface MatchableAlias {
  contactId: string;
  /** Already normalized (folded) alias text. */
  normalized: string;
}

export class AliasMatcher {
  private readonly matcher: AhoCorasick<string> | null;

  constructor(aliases: readonly MatchableAlias[]) {
    const patterns = aliases
      .filter((a) => a.normalized.length >= 2 && !a.normalized.startsWith("user:"))
      .map((a) => ({ pattern: a.normalized, data: a.contactId }));
    this.matcher = patterns.length > 0 ? new AhoCorasick(patterns) : null;
  }

  get size(): number {
    return this.matcher ? 1 : 0;
  }

  /** Whole-word, longest, non-overlapping matches, as ranges of the original text. */
  find(text: string): AliasHit[] {
    if (!this.matcher) return [];
    const folded = foldText(text);
    const hits: AliasHit[] = [];
    for (const m of this.matcher.search(folded, { strategy: "leftmost-longest" })) {
      if (m.data === undefined) continue;
      // Word boundaries on both sides, so "Al" does not match inside "Alice"; a trailing 's
      // (possessive) is fine because the apostrophe is not a word character.
      if (isWordChar(folded[m.start - 1]) || isWordChar(folded[m.end])) continue;
      hits.push({ contactId: m.data, text: text.slice(m.start, m.end), start: m.start, end: m.end });
    }
    return hits;
  }
}
