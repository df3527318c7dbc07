import { z } from "zod";

// Per-workspace policy knobs. Stored as JSON on the workspace; every field has a default so an
// old or partial row still parses. Defaults are the product's documented policy (the README's
// "Nudge policy").

/**
 * The range of every numeric knob, in one place: the stored schema below, the settings form's
 * parser (core/forms/settings.ts) and both platforms' form fields read them from here.
 */
export const SETTINGS_LIMITS = {
  mentionThreshold: { min: 1, max: 1000 },
  mentionWindowDays: { min: 1, max: 365 },
  pairCooldownDays: { min: 0, max: 365 },
  weeklyCapPerMember: { min: 0, max: 50 },
  workingHourStart: { min: 0, max: 23 },
  workingHourEnd: { min: 1, max: 24 },
  recentlyMetDays: { min: 0, max: 3650 },
  candidateThreshold: { min: 1, max: 1000 },
  candidateMinTeammates: { min: 1, max: 100 },
  digestTopN: { min: 1, max: 100 },
  coverageDays: { min: 1, max: 3650 },
  /** Up to a century: `import --since` extends retention to cover old exports (a 2015 one is 10+ years old). */
  retentionDays: { min: 7, max: 36_500 },
  /** Workspace columns edited on the same form. */
  digestDay: { min: 1, max: 7 },
  digestHour: { min: 0, max: 23 },
  /** Internal domains: how many, and the longest list as typed (characters). */
  internalDomains: { min: 0, max: 50 },
  internalDomainsText: { min: 0, max: 2000 },
  /** The time zone's name as typed (IANA names are far shorter). */
  timezoneText: { min: 1, max: 64 },
} as const;

const L = SETTINGS_LIMITS;

/** The longest retention a workspace can have: how far back `import --since` can reach. */
export const MAX_RETENTION_DAYS = L.retentionDays.max;
const int = (key: keyof typeof L) => z.number().int().min(L[key].min).max(L[key].max);

export const workspaceSettingsSchema = z.object({
  /** Mentions by one member within mentionWindowDays before that member is nudged. */
  mentionThreshold: int("mentionThreshold").default(3),
  mentionWindowDays: int("mentionWindowDays").default(14),
  /** No second nudge for the same member and contact within this many days. */
  pairCooldownDays: int("pairCooldownDays").default(21),
  /** Nudges per member per ISO week. */
  weeklyCapPerMember: int("weeklyCapPerMember").default(2),
  /** ISO weekdays (1 = Monday) and local hours [start, end) when prompts may be sent. */
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([2, 3, 4]),
  workingHourStart: int("workingHourStart").default(10),
  workingHourEnd: int("workingHourEnd").default(16),
  /** No nudges about a contact met in person this recently. */
  recentlyMetDays: int("recentlyMetDays").default(60),
  /** A candidate becomes tracked after this many mentions from at least candidateMinTeammates people. */
  candidateThreshold: int("candidateThreshold").default(3),
  candidateMinTeammates: int("candidateMinTeammates").default(2),
  /** Email/link domains that belong to the team itself; never contacts. */
  internalDomains: z.array(z.string().min(1)).default([]),
  /** Digest: offline coverage looks at the top-N contacts met within coverageDays. */
  digestTopN: int("digestTopN").default(20),
  coverageDays: int("coverageDays").default(90),
  /** Mentions older than this are deleted by housekeeping. */
  retentionDays: int("retentionDays").default(365),
  /**
   * People may connect their calendars (free/busy, invites, meetings noticed). Off: nobody can
   * connect, and connected calendars are not read until an admin turns it back on.
   */
  calendarsEnabled: z.boolean().default(true),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const defaultSettings: WorkspaceSettings = workspaceSettingsSchema.parse({});

/** Parses stored settings; a corrupt value falls back to defaults instead of breaking the workspace. */
export function parseSettings(raw: unknown): WorkspaceSettings {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      value = {};
    }
  }
  const parsed = workspaceSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : defaultSettings;
}
