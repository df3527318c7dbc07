/**
 * Offset-preserving tokenizer for chat text, close to the Twitter-style tokenization of the WNUT17
 * data the tagger is trained on: URLs, emails, @handles and #hashtags stay whole; words keep inner
 * hyphens, dots and contractions ("don't", "I'm", "a.m") but a possessive "'s" is its own token
 * ("Jane's" → "Jane" + "'s"); every other non-space character (punctuation, emoji) is a token of its
 * own, except runs of the same punctuation ("...", "!!!").
 */

export interface Token {
  text: string;
  start: number;
  end: number;
}

const TOKEN_RE = new RegExp(
  [
    // URLs and bare domains with a path.
    String.raw`(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]}'’]`,
    // Emails.
    String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
    // @handles and #hashtags.
    String.raw`[@#][\p{L}\p{M}\p{N}_]+`,
    // HTML entities as they appear in scraped chat text.
    String.raw`&(?:amp|lt|gt|quot|apos|#\d{1,6});`,
    // Common emoticons.
    String.raw`[:;=8][-'^o]?[()\[\]DPpOo3/\\|*$@]+(?![\p{L}\p{N}])|<3+|-_+-|\^_*\^|[oO]_[oO]`,
    // Possessive / contraction suffix ("Jane's" -> "Jane" + "'s"; a detached "'s", "'m", "'ll").
    String.raw`['’´](?:[sSmMdD]|ve|VE|ll|LL|re|RE)(?![\p{L}\p{N}])`,
    // Numbers with separators: 30,000  7:30  1.5
    String.raw`\p{N}+(?:[,:.]\p{N}+)+`,
    // Words: letters/digits with inner apostrophes, hyphens, dots, ampersands, underscores.
    String.raw`[\p{L}\p{M}\p{N}_]+(?:(?:['’][\p{L}]+(?<!['’][sS]))|(?:[-.&][\p{L}\p{M}\p{N}_]+))*`,
    // Repeated punctuation.
    String.raw`([!?.,:;*~=+\-_'"])\1+`,
    // Anything else that is not a space: one code point (emoji, punctuation).
    String.raw`[^\s]`,
  ].join("|"),
  "gu",
);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    const start = m.index;
    out.push({ text: m[0], start, end: start + m[0].length });
  }
  return out;
}
