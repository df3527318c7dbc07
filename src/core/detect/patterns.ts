import { getDomain } from "tldts";
import { normalizeAlias, normalizeProfileUrl } from "../contacts.ts";
import type { Detection } from "./types.ts";

// Cheap, exact extractors: emails, social profile links and @handles. They run on every message,
// so each runs in time linear in the text (test/adversarial/redos.test.ts checks every pattern).

const URL_RE =
  /\bhttps?:\/\/[^\s<>|"'`]+|\b(?:www\.)?(?:linkedin\.com|x\.com|twitter\.com|github\.com|instagram\.com|bsky\.app)\/[^\s<>|"'`]+/gi;
/** [\p{L}\p{N}_]: a code point that continues a word. */
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;
/** What a link may end with in prose but is not part of it: "see github.com/jane." */
const TRAILING_PUNCT = new Set([".", ",", ";", ":", "!", "?", ")", "]", "}", ">"]);

/** Registrable domain of a host or email ("mail.acme.co.uk" → "acme.co.uk"). */
export function registrableDomain(hostOrEmail: string): string {
  const host = hostOrEmail.includes("@") ? hostOrEmail.slice(hostOrEmail.lastIndexOf("@") + 1) : hostOrEmail;
  return (getDomain(host) ?? host).toLowerCase();
}

export function isInternalDomain(hostOrEmail: string, internalDomains: readonly string[]): boolean {
  if (internalDomains.length === 0) return false;
  const domain = registrableDomain(hostOrEmail);
  return internalDomains.some((d) => registrableDomain(d) === domain);
}

export function findEmails(text: string, internalDomains: readonly string[]): Detection[] {
  const out: Detection[] = [];
  for (const { start, end } of emailSpans(text)) {
    const value = text.slice(start, end);
    if (isInternalDomain(value, internalDomains)) continue;
    // Slack writes a linked address as <mailto:a@b.c|a@b.c>: count the visible label only.
    if (text.endsWith("mailto:", start) && text[end] === "|") continue;
    out.push({ kind: "email", text: value, start, end, normalized: normalizeAlias("email", value) });
  }
  return out;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** [A-Za-z0-9-]: a character of a domain label. */
function isDomainChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 45;
}

/** [A-Za-z0-9._%+-]: a character of an address's local part. */
function isLocalChar(c: number): boolean {
  return isDomainChar(c) || c === 46 || c === 95 || c === 37 || c === 43;
}

/**
 * The matches of /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g, exactly,
 * in linear time. That regex, run from every start, re-read a long run of local-part characters
 * once per start: quadratic (40,000 characters took 0.7 s, 400,000 over a minute). Here each '@'
 * is found once, and the scans to its left and right stop at the previous '@' and the next one,
 * so no character is read more than a few times.
 *
 * The regex's backtracking, spelled out: the local part is the whole run of local characters
 * before the '@' (but not before where the search resumed); the domain is the run of labels
 * joined by single dots after it, and the match ends in the LAST label after the first that
 * starts with two ASCII letters, after those letters (at most 24).
 */
export function emailSpans(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let from = 0;
  for (let at = text.indexOf("@", from); at >= 0; at = text.indexOf("@", Math.max(at + 1, from))) {
    let start = at;
    while (start > from && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start === at) continue;
    const end = domainEnd(text, at + 1);
    if (end < 0) continue;
    out.push({ start, end });
    from = end;
  }
  return out;
}

/** Where the email's domain starting at `i` ends, or -1 when there is none (see emailSpans). */
function domainEnd(text: string, i: number): number {
  let pos = i;
  while (pos < text.length && isDomainChar(text.charCodeAt(pos))) pos++;
  if (pos === i) return -1;
  let end = -1;
  // Each further label: ".", then one or more domain characters.
  while (text.charCodeAt(pos) === 46 && isDomainChar(text.charCodeAt(pos + 1))) {
    const label = pos + 1;
    pos = label;
    while (pos < text.length && isDomainChar(text.charCodeAt(pos))) pos++;
    let letters = label;
    while (letters < pos && letters - label < 24 && isAsciiLetter(text.charCodeAt(letters))) letters++;
    if (letters - label >= 2) end = letters;
  }
  return end;
}

export function findProfileLinks(text: string): Detection[] {
  const out: Detection[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const value = withoutTrailingPunct(m[0]);
    const normalized = normalizeProfileUrl(value);
    if (!normalized) continue;
    out.push({ kind: "url", text: value, start: m.index, end: m.index + value.length, normalized });
  }
  return out;
}

/** The link without the punctuation that ends the sentence around it (a loop: a `+$` pattern is quadratic). */
function withoutTrailingPunct(value: string): string {
  let end = value.length;
  while (end > 0 && TRAILING_PUNCT.has(value[end - 1] as string)) end--;
  return value.slice(0, end);
}

export function findHandles(text: string): Detection[] {
  const out: Detection[] = [];
  for (const { start, end } of handleSpans(text)) {
    const value = text.slice(start, end);
    // Slack's special mentions are not people.
    if (/^@(here|channel|everyone)$/i.test(value)) continue;
    out.push({ kind: "handle", text: value, start, end, normalized: normalizeAlias("handle", value) });
  }
  return out;
}

/** [A-Za-z0-9_] */
function isHandleChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

/** The code point that ends just before `i` (a whole surrogate pair), or "" at the start. */
function codePointBefore(text: string, i: number): string {
  const low = text.charCodeAt(i - 1);
  const high = text.charCodeAt(i - 2);
  const pair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return text.slice(pair ? i - 2 : i - 1, i);
}

/**
 * The matches of /(?<![\p{L}\p{N}_.@/<])@([A-Za-z0-9_]{2,30})(?![\p{L}\p{N}_@]|\.[A-Za-z0-9])/gu,
 * exactly: a handle starts a word and is not the tail of an email or a URL path. By hand because
 * the pattern backtracks through its 30 characters at each '@' (recheck counts that as
 * polynomial); spelled out, a shorter handle is always followed by a handle character, so only
 * the whole run of them (2 to 30 long) can match.
 */
export function handleSpans(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    const before = codePointBefore(text, at);
    if (before !== "" && (".@/<".includes(before) || WORD_CHAR.test(before))) continue;
    let end = at + 1;
    while (end < text.length && end - at <= 31 && isHandleChar(text.charCodeAt(end))) end++;
    const length = end - at - 1;
    if (length < 2 || length > 30) continue;
    const next = String.fromCodePoint(text.codePointAt(end) ?? 32);
    if (next === "@" || WORD_CHAR.test(next)) continue;
    const after = text.charCodeAt(end + 1);
    if (next === "." && (isAsciiLetter(after) || (after >= 48 && after <= 57))) continue;
    out.push({ start: at, end });
    at = end - 1;
  }
  return out;
}

/** How far a Slack <…> link or mention, or a `code span`, may reach to be masked. */
const MARKUP_MAX = 500;

/**
 * Blanks out chat markup (Slack's <…> links and mentions, code spans) with spaces of the same
 * length, so text-level detectors see prose while offsets stay valid. The same as replacing
 * /<[^<>\n]{1,500}>|`[^`\n]{1,500}`/g, by hand: each scan stops at the next opening character,
 * so the text is read about twice, whatever it holds.
 */
export function maskMarkup(text: string): string {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const open = text[i];
    if (open !== "<" && open !== "`") continue;
    const close = open === "<" ? ">" : "`";
    let j = i + 1;
    while (j < text.length && j - i <= MARKUP_MAX + 1) {
      const c = text[j];
      if (c === close || c === "\n" || c === open) break;
      j++;
    }
    const inner = j - i - 1;
    if (text[j] !== close || inner < 1 || inner > MARKUP_MAX) continue;
    out += text.slice(copied, i) + " ".repeat(j + 1 - i);
    copied = j + 1;
    i = j;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
