/**
 * Offset-preserving tokenizer for chat text, close to the Twitter-style tokenization of the WNUT17
 * data the tagger is trained on: URLs, emails, @handles and #hashtags stay whole; words keep inner
 * hyphens, dots and contractions ("don't", "I'm", "a.m") but a possessive "'s" is its own token
 * ("Jane's" → "Jane" + "'s"); every other non-space character (punctuation, emoji) is a token of its
 * own, except runs of the same punctuation ("...", "!!!").
 *
 * At each position the first of these that matches is the token, in this order: a URL, an email,
 * then the alternatives of OTHER_TOKEN in order. Emails are found by hand (emailTokenEnd): as a
 * regex alternative, `[\p{L}\p{N}._%+-]+@…` re-read a long run of such characters from each of
 * its positions ("%a%a%a…" is one token per character), which made tokenizing quadratic.
 */

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** URLs and bare domains with a path. Sticky: tried at one position. */
export const URL_TOKEN = /(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]}'’]/uy;

/** Everything after URLs and emails, in order. Sticky; the last alternative matches any non-space. */
export const OTHER_TOKEN = new RegExp(
  [
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
  "uy",
);

const NON_SPACE = /\S/gu;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const asciiWord = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  asciiWord[c] = /[A-Za-z0-9]/.test(ch) ? 1 : 0;
}

/** Answers of LETTER_OR_NUMBER by code point: 0 not asked yet, 1 yes, 2 no. */
const letterOrNumberMemo = new Uint8Array(0x110000);

/** [\p{L}\p{N}] for the code point at i; its length in units (1 or 2), or 0 when it is not one. */
function letterOrNumberAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return asciiWord[c] ?? 0;
  if (Number.isNaN(c)) return 0;
  const cp = text.codePointAt(i) as number;
  let known = letterOrNumberMemo[cp];
  if (!known) {
    known = LETTER_OR_NUMBER.test(String.fromCodePoint(cp)) ? 1 : 2;
    letterOrNumberMemo[cp] = known;
  }
  return known === 1 ? (cp > 0xffff ? 2 : 1) : 0;
}

/** [\p{L}\p{N}._%+-] at i: its length in units, or 0. */
function localCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 46 || c === 95 || c === 37 || c === 43 || c === 45) return 1;
  return letterOrNumberAt(text, i);
}

/** [\p{L}\p{N}-] at i: its length in units, or 0. */
function domainCharAt(text: string, i: number): number {
  return text.charCodeAt(i) === 45 ? 1 : letterOrNumberAt(text, i);
}

/** End of the run of `charAt` characters from i (i itself when there is none). */
function runEnd(text: string, i: number, charAt: (text: string, i: number) => number): number {
  let pos = i;
  for (let n = charAt(text, pos); n > 0 && pos < text.length; n = charAt(text, pos)) pos += n;
  return pos;
}

/**
 * Where /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/uy matches from each position, with
 * the scans shared: every position of one run of local-part characters ends its local part at the
 * same place, so the run and the domain after its '@' are read once, not once per position.
 */
class EmailScanner {
  private runFrom = -1;
  private runTo = -1;
  private domainEnd = -1;

  constructor(private readonly text: string) {}

  /** End of the email token starting at `start`, or -1. */
  endAt(start: number): number {
    if (start >= this.runTo || start < this.runFrom) {
      const to = runEnd(this.text, start, localCharAt);
      this.runFrom = start;
      this.runTo = to;
      this.domainEnd = to > start && this.text.charCodeAt(to) === 64 ? this.domainAfter(to + 1) : -1;
      if (to === start) this.runTo = start + 1;
    }
    return this.domainEnd;
  }

  /** The greedy `[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+` at i: its end, or -1 without a second label. */
  private domainAfter(i: number): number {
    const text = this.text;
    let pos = runEnd(text, i, domainCharAt);
    if (pos === i) return -1;
    let labels = 0;
    while (text.charCodeAt(pos) === 46 && domainCharAt(text, pos + 1) > 0) {
      pos = runEnd(text, pos + 1, domainCharAt);
      labels++;
    }
    return labels > 0 ? pos : -1;
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const emails = new EmailScanner(text);
  NON_SPACE.lastIndex = 0;
  for (let m = NON_SPACE.exec(text); m !== null; m = NON_SPACE.exec(text)) {
    const start = m.index;
    let end = -1;
    URL_TOKEN.lastIndex = start;
    const url = URL_TOKEN.exec(text);
    if (url) end = start + url[0].length;
    else end = emails.endAt(start);
    if (end < 0) {
      OTHER_TOKEN.lastIndex = start;
      const other = OTHER_TOKEN.exec(text) as RegExpExecArray; // the last alternative matches any non-space
      end = start + other[0].length;
    }
    out.push({ text: text.slice(start, end), start, end });
    NON_SPACE.lastIndex = end;
  }
  return out;
}
