import { normalizeAlias } from "../contacts.ts";
import {
  buildRoster,
  isTeammates,
  type Roster,
  type RosterMember,
  type RosterWorkspace,
} from "../teammates.ts";
import { foldText } from "../text.ts";
import { detectionPrefix } from "./limit.ts";
import { detectNames, mayContainName } from "./names/index.ts";
import { notAPerson } from "./non-person.ts";
import { findEmails, findHandles, findProfileLinks, maskMarkup } from "./patterns.ts";
import type { Detection } from "./types.ts";

export { AliasMatcher } from "./aliases.ts";
export { detectionPrefix, isOverDetectionCap, MAX_DETECTION_TEXT } from "./limit.ts";
export { mayContainName } from "./names/index.ts";
export { isInternalDomain, registrableDomain } from "./patterns.ts";
export type { AliasHit, Detection, DetectionKind } from "./types.ts";

/** Who is on the team, so their names and handles are never taken for outsiders. */
export class TeammateDirectory {
  private readonly names = new Set<string>();
  private readonly tokens = new Set<string>();
  /** Members' and the workspace's own emails, handles and profile slugs (core/teammates.ts). */
  readonly roster: Roster;

  constructor(
    members: ReadonlyArray<RosterMember> = [],
    workspace: RosterWorkspace = { name: "", internalDomains: [] },
  ) {
    this.roster = buildRoster(members, workspace);
    for (const m of members) {
      for (const name of [m.displayName, m.realName, m.email?.split("@")[0] ?? ""]) {
        const folded = foldText(name.trim());
        if (folded.length < 2) continue;
        this.names.add(folded);
        for (const t of folded.split(/[\s._-]+/)) if (t.length >= 2) this.tokens.add(t);
      }
    }
  }

  /** A name is a teammate's when it is one of their names, or made only of their name parts. */
  isTeammateName(text: string): boolean {
    const folded = foldText(text).replace(/[’']s$/u, "");
    if (this.names.has(folded)) return true;
    const parts = folded.split(/\s+/).filter(Boolean);
    return parts.length > 0 && parts.every((p) => this.tokens.has(p));
  }

  /**
   * A name that opens with the workspace's own name is its product, team or account, not a person:
   * "Northwind Atlas" in Northwind Labs. Only the first word: "Jonathan Baker" is a person in any
   * Baker & Co.
   */
  isOwnName(text: string): boolean {
    const first = foldText(text).split(/\s+/)[0] ?? "";
    const key = first.replace(/[^\p{L}\p{N}]+/gu, "");
    return key.length >= 3 && this.roster.own.has(key);
  }

  /** A handle is a teammate's when isTeammates() says so: a first name alone is not enough. */
  isTeammateHandle(handle: string): boolean {
    return isTeammates({ kind: "handle", normalized: normalizeAlias("handle", handle) }, this.roster);
  }
}

export interface DetectOptions {
  internalDomains?: readonly string[];
  teammates?: TeammateDirectory;
  /** Run the (comparatively expensive) person/organization name tagger. Default true. */
  names?: boolean;
}

/** "Acme Corp", "Initech Inc.": the tagger sometimes calls these people; the suffix says otherwise. */
const ORG_SUFFIX =
  /\s(?:corp|corporation|inc|llc|ltd|limited|gmbh|ag|sa|plc|labs|co|company|group|partners|ventures|capital|bank|holdings|university|foundation|institute)\.?$/i;

/**
 * Whether a contact is a person or an organization, from its name: people unless the name ends
 * the way company names do ("Initech Inc", "Globex Labs"), the same rule detection applies.
 */
export function contactKind(displayName: string): "person" | "organization" {
  return ORG_SUFFIX.test(` ${displayName.trim()}`) ? "organization" : "person";
}

// The strongest signal wins where spans overlap: an email beats the name inside it.
const PRIORITY: Record<Detection["kind"], number> = {
  email: 0,
  url: 1,
  handle: 2,
  person: 3,
  organization: 4,
};

/**
 * Everything in one message that may refer to an external person or organization, in text
 * order, without overlaps. Platform identities and registered aliases are matched by the caller
 * (they need workspace state); this is the text-only part of the confidence ladder. Only the
 * first MAX_DETECTION_TEXT units of a longer text are read (see limit.ts).
 */
export function detect(input: string, options: DetectOptions = {}): Detection[] {
  const text = detectionPrefix(input);
  const internal = options.internalDomains ?? [];
  const teammates = options.teammates;
  const found: Detection[] = [...findEmails(text, internal), ...findProfileLinks(text)];
  for (const h of findHandles(text)) if (!teammates?.isTeammateHandle(h.text)) found.push(h);

  if (options.names !== false) {
    const prose = maskMarkup(text);
    // Cheap pre-filter: text without a capitalized word or a known name skips the tagger.
    if (mayContainName(prose)) {
      for (const n of detectNames(prose)) {
        if (n.kind === "person" && (teammates?.isTeammateName(n.text) || teammates?.isOwnName(n.text)))
          continue;
        let kind = n.kind === "person" && ORG_SUFFIX.test(n.text) ? "organization" : n.kind;
        if (kind === "person") {
          // Places, events, software, emoji codes… (non-person.ts). An institution is still an
          // organization; the rest are nobody's contact.
          const why = notAPerson(prose, n.start, n.end);
          if (why === "institution") kind = "organization";
          else if (why) continue;
        }
        found.push({
          ...n,
          kind,
          text: text.slice(n.start, n.end),
          normalized: normalizeAlias("name", n.text),
        });
      }
    }
  }
  return removeOverlaps(found);
}

function removeOverlaps(spans: Detection[]): Detection[] {
  const byStrength = [...spans].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.start - b.start);
  const kept: Detection[] = [];
  for (const s of byStrength) {
    if (kept.some((k) => s.start < k.end && k.start < s.end)) continue;
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
