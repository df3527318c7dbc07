// One person, one contact: a handle or profile link and a full name that belong to the same person
// ("@jdoe" beside "Jane Doe", github.com/janedoe and "Jane Doe"). Pure. Nothing here merges: it
// finds the pairs to offer, and a person merges them with `track NAME, ALIAS` (which joins every
// contact the aliases belong to).
import { normalizeAlias } from "./contacts.ts";
import { escapeMarkup } from "./format.ts";
import { command } from "./prompt-text.ts";
import { accountSlug, slugKey } from "./teammates.ts";
import { foldText, isAsciiDigit, trimEnd } from "./text.ts";
import type { Alias, AliasKind, Contact } from "./types.ts";

/**
 * How a handle's or profile's slug matches a full name:
 * - "full": every part of the name, in order or last name first, run together or with `.`, `_`,
 *   `-` between, maybe followed by digits (janedoe, jane.doe, doe_jane, janedoe87): taken for the
 *   same person wherever the two are seen;
 * - "partial": an initial and a name, or one name alone (jdoe, janed, jane, doe): the same person
 *   only when both are in one message;
 * - null: no match (a one-word name never matches: "Jane" is too many people).
 */
export type SlugMatch = "full" | "partial";

export function slugMatchesName(slug: string, name: string): SlugMatch | null {
  const parts = nameParts(name);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!first || !last || parts.length < 2) return null;
  // Digits people add to make a handle unique don't make it someone else: "jane_doe87".
  const compact = trimEnd(slugKey(slug.replace(/^@+/, "")), isAsciiDigit);
  if (compact.length < 2) return null;
  const full = new Set([parts.join(""), [...parts].reverse().join(""), first + last, last + first]);
  if (full.has(compact)) return "full";
  const partial = new Set([first.charAt(0) + last, first + last.charAt(0), last + first.charAt(0)]);
  if (compact.length >= 3 && (partial.has(compact) || compact === first || compact === last))
    return "partial";
  return null;
}

/** The letters of a name, part by part: "María-José O'Neil" → ["maria", "jose", "oneil"]. */
function nameParts(name: string): string[] {
  return foldText(name)
    .replace(/[’']/gu, "")
    .split(/[^\p{L}]+/u)
    .filter((p) => p.length > 0);
}

/** The account name of a handle or profile alias ("@jdoe" → jdoe, see accountSlug), or null. */
function slugOf(kind: AliasKind, value: string): string | null {
  if (kind !== "handle" && kind !== "url") return null;
  return accountSlug({ kind, normalized: normalizeAlias(kind, value) });
}

export type ContactWithAliases = Pick<Contact, "id" | "displayName" | "status"> & {
  aliases: ReadonlyArray<Pick<Alias, "kind" | "normalized" | "display">>;
};

/** Two contacts that are likely one person, and how to merge them. */
export interface MergeOffer {
  /** The contact known by the name: the one the merge keeps. */
  namedId: string;
  /** The contact known by the handle or link. */
  otherId: string;
  name: string;
  alias: string;
  /** "slug": the slug spells the whole name; "together": a partial match, seen together in a message. */
  why: "slug" | "together";
  /** What `track` needs to merge them: the name, then the alias. */
  trackArgs: string;
}

/**
 * The pairs of contacts worth offering to merge: a contact known by a full name, and another
 * known by a handle or profile link whose slug spells that name ("Jane Doe" and
 * github.com/janedoe), or matches it partly ("Jane Doe" and @jdoe) when the two were mentioned in
 * one message (`together`: contact-id pairs, as MentionStore.coMentioned gives them). Ignored
 * contacts are left alone. Sorted, each pair once.
 */
export function mergeOffers(
  contacts: readonly ContactWithAliases[],
  together: ReadonlyArray<readonly [string, string]> = [],
): MergeOffer[] {
  const live = contacts.filter((c) => c.status !== "ignored");
  const byId = new Map(live.map((c) => [c.id, c]));
  const pairedTogether = new Set(together.flatMap(([a, b]) => [`${a}\u0000${b}`, `${b}\u0000${a}`]));
  const offers = new Map<string, MergeOffer>();
  const fullNames = (c: ContactWithAliases) =>
    c.aliases.filter((a) => a.kind === "name" && nameParts(a.display).length >= 2);
  for (const other of live) {
    for (const a of other.aliases) {
      const slug = slugOf(a.kind, a.normalized);
      if (slug === null) continue;
      for (const named of live) {
        if (named.id === other.id) continue;
        const key = `${named.id}\u0000${other.id}`;
        if (offers.has(key)) continue;
        const seenTogether = pairedTogether.has(key);
        for (const n of fullNames(named)) {
          const match = slugMatchesName(slug, n.display);
          if (match === null || (match === "partial" && !seenTogether)) continue;
          const alias = a.kind === "url" ? a.normalized : a.display;
          offers.set(key, {
            namedId: named.id,
            otherId: other.id,
            name: n.display,
            alias,
            why: match === "full" ? "slug" : "together",
            trackArgs: `${n.display}, ${alias}`,
          });
          break;
        }
      }
    }
  }
  return [...offers.values()]
    .filter((o) => byId.has(o.namedId) && byId.has(o.otherId))
    .sort((x, y) => cmp(x.name, y.name) || cmp(x.alias, y.alias));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The contact pairs that share a message, from mention rows: each pair once, [smaller, larger], sorted. */
export function coMentionedPairs(
  rows: Iterable<{ messageId: string; contactId: string }>,
): Array<[string, string]> {
  const byMessage = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = byMessage.get(r.messageId) ?? new Set<string>();
    set.add(r.contactId);
    byMessage.set(r.messageId, set);
  }
  const pairs = new Map<string, [string, string]>();
  for (const ids of byMessage.values()) {
    if (ids.size < 2) continue;
    const sorted = [...ids].sort(cmp);
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i] as string;
        const b = sorted[j] as string;
        pairs.set(`${a}\u0000${b}`, [a, b]);
      }
  }
  return [...pairs.values()].sort((x, y) => cmp(x[0], y[0]) || cmp(x[1], y[1]));
}

/** One line offering a merge, for a list of contacts: the two as the team sees them, and the command. */
export function mergeOfferLine(offer: MergeOffer, otherName: string): string {
  return `Maybe one person: ${escapeMarkup(offer.name)} and ${escapeMarkup(otherName)}. Merge them with ${command(`track ${offer.trackArgs}`)}.`;
}
