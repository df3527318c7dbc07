import { z } from "zod";

// Per-workspace policy knobs. Stored as JSON on the workspace; every field has a default so an
// old or partial row still parses. Defaults are the product's documented policy (the README's
// "Nudge policy").
/** Up to a century: `import --since` extends retention to cover old exports. */
export const MAX_RETENTION_DAYS = 36_500;

export const workspaceSettingsSchema = z.object({
  /** Mentions by one member within mentionWindowDays before that member is nudged. */
  mentionThreshold: z.number().int().min(1).max(1000).default(3),
  mentionWindowDays: z.number().int().min(1).max(365).default(14),
  /** No second nudge for the same member and contact within this many days. */
  pairCooldownDays: z.number().int().min(0).max(365).default(21),
  /** Nudges per member per ISO week. */
  weeklyCapPerMember: z.number().int().min(0).max(50).default(2),
  /** ISO weekdays (1 = Monday) and local hours [start, end) when prompts may be sent. */
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([2, 3, 4]),
  workingHourStart: z.number().int().min(0).max(23).default(10),
  workingHourEnd: z.number().int().min(1).max(24).default(16),
  /** No nudges about a contact met in person this recently. */
  recentlyMetDays: z.number().int().min(0).max(3650).default(60),
  /** A candidate becomes tracked after this many mentions from at least candidateMinTeammates people. */
  candidateThreshold: z.number().int().min(1).max(1000).default(3),
  candidateMinTeammates: z.number().int().min(1).max(100).default(2),
  /** Email/link domains that belong to the team itself; never contacts. */
  internalDomains: z.array(z.string().min(1)).default([]),
  /** Digest: offline coverage looks at the top-N contacts met within coverageDays. */
  digestTopN: z.number().int().min(1).max(100).default(20),
  coverageDays: z.number().int().min(1).max(3650).default(90),
  /** Mentions older than this are deleted by housekeeping (a 2015 export is over ten years old). */
  retentionDays: z.number().int().min(7).max(MAX_RETENTION_DAYS).default(365),
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
