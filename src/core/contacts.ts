import { foldText, isAsciiDigit, tidy, trimEnd } from "./text.ts";
import type { Alias, AliasKind, Contact } from "./types.ts";

// How a user-entered or detected alias becomes the key that matching and the unique index use.
// Two spellings that should be the same contact must normalize to the same string.

const PROFILE_HOSTS: Record<string, string> = {
  "linkedin.com": "linkedin.com",
  "x.com": "x.com",
  "twitter.com": "x.com",
  "github.com": "github.com",
  "instagram.com": "instagram.com",
  "mastodon.social": "mastodon.social",
  "bsky.app": "bsky.app",
};

export function normalizeAlias(kind: AliasKind, value: string): string {
  switch (kind) {
    case "name":
      return foldText(tidy(value)).replace(/[’']s$/u, "");
    case "email":
      return value
        .trim()
        .toLowerCase()
        .replace(/^mailto:/, "");
    case "handle":
      return `@${value.trim().replace(/^@+/, "").toLowerCase()}`;
    case "url":
      return normalizeProfileUrl(value) ?? value.trim().toLowerCase();
    case "platform":
      return `user:${value.trim()}`;
  }
}

/** A URL path segment decoded, or as it is when it is not valid percent-encoding ("%" alone threw URIError). */
function decodedPathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The canonical form of a social profile URL ("linkedin.com/in/janedoe"), or null when the URL
 * is not a person's profile on a network we know.
 */
export function normalizeProfileUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return null;
  }
  const host = url.hostname
    .toLowerCase()
    .replace(/^(www\.|m\.|mobile\.|[a-z]{2}\.)(?=linkedin\.com$)/, "")
    .replace(/^(www\.|m\.|mobile\.)/, "");
  const site = PROFILE_HOSTS[host];
  if (!site) return null;
  const parts = url.pathname.split("/").filter(Boolean);
  const first = parts[0]?.toLowerCase();
  if (site === "linkedin.com") {
    return first === "in" && parts[1] ? `linkedin.com/in/${decodedPathPart(parts[1]).toLowerCase()}` : null;
  }
  if (!first) return null;
  if (site === "bsky.app")
    return first === "profile" && parts[1] ? `bsky.app/profile/${parts[1].toLowerCase()}` : null;
  // Paths that are pages of the site itself, not people.
  const reserved = new Set([
    "home",
    "search",
    "explore",
    "settings",
    "i",
    "intent",
    "share",
    "orgs",
    "about",
    "login",
    "notifications",
    "messages",
    "hashtag",
    "p",
    "reel",
    "explore",
  ]);
  if (reserved.has(first)) return null;
  const user = first.replace(/^@/, "");
  return /^[a-z0-9_.-]{1,64}$/i.test(user) ? `${site}/${user.toLowerCase()}` : null;
}

/** What to call a contact when all we have is an alias: "jane.doe@acme.com" → "Jane Doe". */
export function displayNameFromAlias(kind: AliasKind, value: string): string {
  if (kind === "email") {
    const local = value.split("@")[0] ?? value;
    const words = local.split(/[._-]+/).filter((w) => /^[a-z]+$/i.test(w));
    if (words.length >= 2) return words.map(capitalize).join(" ");
    return value;
  }
  if (kind === "url") return profileDisplayName(value) ?? value;
  return tidy(value);
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}

/**
 * The candidates that only the name tagger vouches for: no platform identity, and every alias a
 * name (no email, handle or profile link was ever seen for them). The tagger takes restaurants
 * and cities for people now and then, so these wait for a person to confirm them (nudges.ts).
 * A registered or confirmed contact is tracked, so it is never among them.
 */
export function nameOnlyCandidates(
  contacts: ReadonlyArray<Pick<Contact, "id" | "status" | "platformUserId">>,
  aliases: ReadonlyArray<Pick<Alias, "contactId" | "kind">>,
): Set<string> {
  const out = new Set<string>();
  for (const c of contacts) if (c.status === "candidate" && !c.platformUserId) out.add(c.id);
  for (const a of aliases) if (a.kind !== "name") out.delete(a.contactId);
  return out;
}

/**
 * A slug's words without what people add to make a name unique: "@jane_doe87" → ["jane", "doe"],
 * "bob-jones-4b2a1c9" → ["bob", "jones"].
 */
function slugWords(slug: string): string[] {
  const words = foldText(slug.replace(/^@+/, ""))
    .split(/[._-]+/)
    .filter((w) => w.length > 0);
  for (;;) {
    const last = words.pop();
    if (last === undefined) return words;
    const trimmed = trimEnd(last, isAsciiDigit);
    // "doe87" → "doe"; "4b2a1c9" (an id, digits inside) goes entirely.
    if (trimmed && !/\d/.test(trimmed)) {
      words.push(trimmed);
      return words;
    }
  }
}

const SITE_LABELS: Record<string, string> = {
  "linkedin.com": "LinkedIn",
  "x.com": "X",
  "github.com": "GitHub",
  "instagram.com": "Instagram",
  "mastodon.social": "Mastodon",
  "bsky.app": "Bluesky",
};

/**
 * A profile link's site and slug ("github.com/jdoe" → GitHub, jdoe), or null for other links.
 * Takes a raw or normalized link.
 */
function profileSlug(url: string): { site: string; label: string; slug: string } | null {
  const normalized = normalizeProfileUrl(url);
  if (!normalized) return null;
  const parts = normalized.split("/");
  const site = parts[0] ?? "";
  const slug = parts[parts.length - 1] ?? "";
  const label = SITE_LABELS[site];
  return label && slug ? { site, label, slug } : null;
}

/** Words inside a name that stay lower case ("Maximilian von Hohenberg", "Ana de la Cruz"). */
const NAME_PARTICLES = new Set([
  "von",
  "van",
  "der",
  "den",
  "de",
  "del",
  "della",
  "da",
  "das",
  "do",
  "dos",
  "di",
  "du",
  "la",
  "le",
  "ter",
  "ten",
  "y",
]);

/** What to call someone known only by a profile link: "jdoe (GitHub)", "Bob Jones (LinkedIn)". */
export function profileDisplayName(url: string): string | null {
  const p = profileSlug(url);
  if (!p) return null;
  // LinkedIn slugs are names with a disambiguating id ("bob-jones-4b2a1c9"): show the name.
  if (p.site === "linkedin.com") {
    const words = slugWords(p.slug);
    if (words.length >= 2 && words.every((w) => /^\p{L}+$/u.test(w)))
      return `${words.map((w, i) => (i > 0 && NAME_PARTICLES.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(" ")} (${p.label})`;
  }
  return `${p.slug} (${p.label})`;
}
