import { getDomain } from "tldts";
import { normalizeAlias, normalizeProfileUrl } from "../contacts.ts";
import type { Detection } from "./types.ts";

// Cheap, exact extractors: emails, social profile links and @handles. They run on every message.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g;
const URL_RE =
  /\bhttps?:\/\/[^\s<>|"'`]+|\b(?:www\.)?(?:linkedin\.com|x\.com|twitter\.com|github\.com|instagram\.com|bsky\.app)\/[^\s<>|"'`]+/gi;
// A handle starts a word and is not the tail of an email or a URL path.
const HANDLE = /(?<![\p{L}\p{N}_.@/<])@([A-Za-z0-9_]{2,30})(?![\p{L}\p{N}_@]|\.[A-Za-z0-9])/gu;
const TRAILING_PUNCT = /[.,;:!?)\]}>]+$/;

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
  for (const m of text.matchAll(EMAIL)) {
    const value = m[0];
    if (isInternalDomain(value, internalDomains)) continue;
    // Slack writes a linked address as <mailto:a@b.c|a@b.c>: count the visible label only.
    if (text.endsWith("mailto:", m.index) && text[m.index + value.length] === "|") continue;
    out.push({
      kind: "email",
      text: value,
      start: m.index,
      end: m.index + value.length,
      normalized: normalizeAlias("email", value),
    });
  }
  return out;
}

export function findProfileLinks(text: string): Detection[] {
  const out: Detection[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const value = m[0].replace(TRAILING_PUNCT, "");
    const normalized = normalizeProfileUrl(value);
    if (!normalized) continue;
    out.push({ kind: "url", text: value, start: m.index, end: m.index + value.length, normalized });
  }
  return out;
}

export function findHandles(text: string): Detection[] {
  const out: Detection[] = [];
  for (const m of text.matchAll(HANDLE)) {
    const value = m[0];
    // Slack's special mentions are not people.
    if (/^@(here|channel|everyone)$/i.test(value)) continue;
    out.push({
      kind: "handle",
      text: value,
      start: m.index,
      end: m.index + value.length,
      normalized: normalizeAlias("handle", value),
    });
  }
  return out;
}

/**
 * Blanks out chat markup (Slack's <…> links and mentions, code spans) with spaces of the same
 * length, so text-level detectors see prose while offsets stay valid.
 */
export function maskMarkup(text: string): string {
  return text.replace(/<[^<>\n]{1,500}>|`[^`\n]{1,500}`/g, (m) => " ".repeat(m.length));
}
