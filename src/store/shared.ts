import type { AliasInput } from "../core/ports.ts";
import type { Contact } from "../core/types.ts";

// Rules both stores (Prisma and in-memory) apply the same way.

/** Aliases without empty or repeated spellings (the first of each is kept). */
export function dedupeAliases(aliases: AliasInput[]): AliasInput[] {
  const seen = new Set<string>();
  return aliases.filter((a) => a.normalized.length > 0 && !seen.has(a.normalized) && seen.add(a.normalized));
}

/** The name a digest shows for a member. */
export function memberName(m: { displayName: string; realName: string; platformUserId: string }): string {
  return m.displayName || m.realName || m.platformUserId;
}

/** What forget-me leaves of a member: an empty, opted-out tombstone. */
export const FORGOTTEN_MEMBER = {
  displayName: "",
  realName: "",
  handle: "",
  email: null,
  tz: null,
  dmRef: null,
  paused: false,
  pausedUntil: null,
  optedOut: true,
} as const;

/** The contact that already holds one of `aliases` (the first found, in order). */
export async function firstContactByAliases(
  find: (normalized: string) => Promise<Contact | null>,
  aliases: AliasInput[],
): Promise<Contact | null> {
  for (const a of aliases) {
    const c = await find(a.normalized);
    if (c) return c;
  }
  return null;
}

/**
 * The coverage series' windows over disjoint segments: every window's edges, sorted, cut the time
 * line into segments, so each mention falls in exactly one and is counted once; a window is then
 * the run of segments [lo, hi). For the SQL store, which can then group the mentions once; the
 * in-memory store counts each window directly.
 */
export function coverageSegments(windows: ReadonlyArray<{ since: Date; until: Date }>): {
  boundaries: Date[];
  windows: Array<{ lo: number; hi: number }>;
} {
  const times = [...new Set(windows.flatMap((w) => [w.since.getTime(), w.until.getTime()]))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  return {
    boundaries: times.map((t) => new Date(t)),
    windows: windows.map((w) => ({
      lo: index.get(w.since.getTime()) ?? 0,
      hi: index.get(w.until.getTime()) ?? 0,
    })),
  };
}
