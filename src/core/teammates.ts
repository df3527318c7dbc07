import { foldText } from "./text.ts";

// "Is this email, handle or profile link a teammate's?" — the one place that decides. Teammates
// and the workspace's own accounts are never contacts: a member's gmail address, their GitHub
// link in a message, the community's own X account. The decision is deliberately narrow where a
// slug could be someone else's: a first name alone ("github.com/jane") is nobody in particular,
// so it counts only as a member's handle or email local part, or when that member posts it.

/** What the roster needs to know about a member (plain data: it crosses into worker threads). */
export interface RosterMember {
  displayName: string;
  realName: string;
  /** Slack username; "" or absent when unknown. */
  handle?: string | null;
  email?: string | null;
}

export interface RosterWorkspace {
  /** The workspace's name as people know it ("Acme", "PyData Berlin"). */
  name: string;
  /** Registrable domains of the team ("acme.com"). */
  internalDomains: readonly string[];
}

/** Members and the workspace, indexed for isTeammates(). Build once per workspace context. */
export interface Roster {
  /** Members' email addresses, lowercased: any domain, public mail included. */
  emails: ReadonlySet<string>;
  /** Slugs that name one member whoever posts them: handles, email local parts, full names. */
  slugs: ReadonlySet<string>;
  /**
   * One-word display names ("maria"). Slack shows a display name after "@", so "@maria" in a
   * message is the teammate; "github.com/maria" is not necessarily.
   */
  atNames: ReadonlySet<string>;
  /** Slugs of the workspace itself: its name and its internal domains' names. */
  own: ReadonlySet<string>;
}

/** What is being judged: a detection's kind and its normalizeAlias() form. */
export interface Identifier {
  kind: "email" | "handle" | "url" | "person" | "organization";
  normalized: string;
}

/**
 * Words that accounts of an organization put around its name: "acmehq", "getacme", "acme_app".
 * Only these, so "acmeconsulting" (someone else's business) stays a contact.
 */
const OWN_PREFIXES = ["get", "try", "use", "join", "team", "the"];
const OWN_SUFFIXES = ["hq", "app", "inc", "team", "official", "io", "co", "labs", "dev", "community", "org"];
/** Words in a workspace's name that say what it is rather than who: "Acme Inc", "PyData Community". */
const NAME_NOISE = new Set([
  "inc",
  "llc",
  "ltd",
  "gmbh",
  "corp",
  "co",
  "the",
  "team",
  "workspace",
  "slack",
  "community",
  "group",
  "hq",
  "chat",
]);

/** Case, accents, dots, dashes, underscores and spaces don't make a different slug. */
export function slugKey(value: string): string {
  return foldText(value).replace(/[\s._\-'’]+/g, "");
}

function words(value: string): string[] {
  return foldText(value)
    .split(/[\s._-]+/)
    .filter((w) => w.length > 0);
}

/** "jane+news" → "jane". (Not `/\+.*$/`: retried from every "+", that is quadratic on a run of them.) */
function withoutPlusTag(local: string): string {
  const plus = local.indexOf("+");
  return plus < 0 ? local : local.slice(0, plus);
}

/** Slugs a member owns outright: their handle, email local part, and full names of two words or more. */
function strongSlugs(m: RosterMember): string[] {
  const out: string[] = [];
  if (m.handle) out.push(slugKey(m.handle));
  const local = m.email?.split("@")[0];
  if (local) out.push(slugKey(withoutPlusTag(local)));
  for (const name of [m.displayName, m.realName]) {
    const w = words(name);
    // A lone word is a first name or a nickname: many people share it.
    if (w.length >= 2) out.push(w.join(""));
  }
  return out.filter((s) => s.length >= 2);
}

/**
 * Slugs a member uses for themselves, counted only when that member posts them: first and last
 * name alone, and the usual handle shapes ("jdoe", "janed", "doejane").
 */
function ownerSlugs(m: RosterMember): string[] {
  const out = new Set(strongSlugs(m));
  for (const name of [m.displayName, m.realName]) {
    const w = words(name);
    for (const one of w) if (one.length >= 3) out.add(one);
    const first = w[0];
    const last = w[w.length - 1];
    if (first && last && w.length >= 2) {
      out.add(`${first[0]}${last}`);
      out.add(`${first}${last[0]}`);
      out.add(`${last}${first}`);
    }
  }
  return [...out];
}

function ownSlugs(ws: RosterWorkspace): Set<string> {
  const bases = new Set<string>();
  const nameWords = words(ws.name).filter((w) => !NAME_NOISE.has(w));
  if (nameWords.length > 0) bases.add(nameWords.join(""));
  if (words(ws.name).length > 0) bases.add(slugKey(ws.name));
  for (const d of ws.internalDomains) {
    const label = d.toLowerCase().split(".")[0];
    if (label) bases.add(slugKey(label));
    bases.add(slugKey(d));
  }
  const out = new Set<string>();
  for (const b of bases) {
    // Two letters name too many things ("ai", "io").
    if (b.length < 3) continue;
    out.add(b);
    for (const p of OWN_PREFIXES) out.add(p + b);
    for (const s of OWN_SUFFIXES) out.add(b + s);
  }
  return out;
}

export function buildRoster(members: readonly RosterMember[], workspace: RosterWorkspace): Roster {
  const emails = new Set<string>();
  const slugs = new Set<string>();
  const atNames = new Set<string>();
  for (const m of members) {
    if (m.email?.includes("@")) emails.add(m.email.trim().toLowerCase());
    for (const s of strongSlugs(m)) slugs.add(s);
    const display = m.displayName.trim();
    if (display && !/\s/.test(display)) atNames.add(slugKey(display));
  }
  return { emails, slugs, atNames, own: ownSlugs(workspace) };
}

/**
 * The account name in a normalized handle or profile link: "@jane_doe" → "jane_doe",
 * "github.com/janedoe" → "janedoe", "linkedin.com/in/jane-doe-4b2a1c9" → "jane-doe",
 * "bsky.app/profile/janedoe.bsky.social" → "janedoe". null when there is none.
 */
export function accountSlug(id: Identifier): string | null {
  if (id.kind === "handle") return id.normalized.replace(/^@+/, "") || null;
  if (id.kind !== "url") return null;
  const parts = id.normalized.split("/").filter(Boolean);
  let slug = parts[parts.length - 1];
  if (!slug || parts.length < 2) return null;
  slug = slug.replace(/^@/, "");
  if (parts[0] === "linkedin.com") slug = slug.replace(/-[0-9a-f]{6,}$/, "");
  if (parts[0] === "bsky.app") slug = slug.replace(/\.bsky\.social$/, "");
  return slug || null;
}

/**
 * True when the identifier (an email, @handle or profile link) belongs to a member of the team or
 * to the workspace itself, so it must never become a contact. `author`, when known, is the member
 * who wrote the message: what people post about themselves (a signature's address, "my GitHub is
 * github.com/jane") is theirs even where the same slug from someone else would not be.
 */
export function isTeammates(id: Identifier, roster: Roster, author?: RosterMember | null): boolean {
  if (id.kind === "email") {
    const address = id.normalized.toLowerCase();
    if (roster.emails.has(address)) return true;
    if (!author) return false;
    // A signature: "Jane Doe, jane.doe@stripe.com" written by member Jane Doe.
    const local = slugKey(withoutPlusTag(address.split("@")[0] ?? ""));
    return local.length >= 2 && ownerSlugs(author).includes(local);
  }
  const raw = accountSlug(id);
  if (!raw) return false;
  const slug = slugKey(raw);
  if (slug.length < 2) return false;
  if (roster.slugs.has(slug) || roster.own.has(slug)) return true;
  if (id.kind === "handle" && roster.atNames.has(slug)) return true;
  return author ? ownerSlugs(author).includes(slug) : false;
}
