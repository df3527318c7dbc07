// The parts of a Bot Framework activity this bot reads, validated with zod. The CloudAdapter
// only checks that the body is an object with a type, so index.ts refuses (400) an authenticated
// activity this schema rejects, and each turn parses it here so the handlers work on typed,
// bounded values.
import { z } from "zod";

const id = z.string().trim().min(1).max(512);
const label = z
  .string()
  .max(1000)
  .nullish()
  .transform((v) => v ?? "");

export const accountSchema = z.object({
  id,
  name: label,
  aadObjectId: z.string().max(100).nullish(),
  role: z.string().max(50).nullish(),
});
export type TeamsAccount = z.infer<typeof accountSchema>;

const mentionEntitySchema = z.object({
  type: z.literal("mention"),
  mentioned: z.object({ id, name: label }),
  /** Exactly as it appears in the text, e.g. `<at>Jane Doe</at>`. */
  text: z.string().max(2000).nullish(),
});
export type MentionEntity = z.infer<typeof mentionEntitySchema>;

/** Entities are mixed (clientInfo, mention, …); only mentions are kept, malformed ones dropped. */
const entitiesSchema = z
  .array(z.unknown())
  .max(500)
  .nullish()
  .transform((list) =>
    (list ?? []).flatMap((e) => {
      const parsed = mentionEntitySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    }),
  );

const channelDataSchema = z
  .object({
    eventType: z.string().max(100).nullish(),
    tenant: z.object({ id }).nullish(),
    team: z.object({ id, name: label, aadGroupId: z.string().max(100).nullish() }).nullish(),
    channel: z.object({ id, name: label }).nullish(),
  })
  .nullish()
  .transform((v) => v ?? {});

export const activitySchema = z.object({
  type: z.string().min(1).max(100),
  id: z.string().max(512).nullish(),
  channelId: z.string().max(100),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  /** botbuilder has already turned the ISO string into a Date by the time the turn runs. */
  timestamp: z
    .union([z.date(), z.string().max(100)])
    .nullish()
    .transform((v) => {
      if (!v) return null;
      const d = v instanceof Date ? v : new Date(v);
      return Number.isNaN(d.getTime()) ? null : d;
    }),
  localTimezone: z.string().max(100).nullish(),
  from: accountSchema,
  recipient: accountSchema,
  conversation: z.object({
    id,
    conversationType: z.string().max(50).nullish(),
    tenantId: z.string().max(100).nullish(),
    isGroup: z.boolean().nullish(),
    name: label,
  }),
  text: z.string().max(100_000).nullish(),
  /** Adaptive Card Action.Submit data merged with the card's input values. */
  value: z.unknown().optional(),
  replyToId: z.string().max(512).nullish(),
  /** invoke: what is invoked (fileConsent/invoke). */
  name: z.string().max(200).nullish(),
  /** installationUpdate: add | remove | add-upgrade | remove-upgrade. */
  action: z.string().max(50).nullish(),
  membersAdded: z.array(accountSchema).max(10_000).nullish(),
  membersRemoved: z.array(accountSchema).max(10_000).nullish(),
  entities: entitiesSchema,
  channelData: channelDataSchema,
});
export type TeamsActivity = z.infer<typeof activitySchema>;

/** Teams conversation types. */
export type Scope = "personal" | "channel" | "groupChat";

export function scopeOf(a: TeamsActivity): Scope {
  const t = a.conversation.conversationType;
  if (t === "channel" || a.channelData.team) return "channel";
  if (t === "groupChat" || a.conversation.isGroup) return "groupChat";
  return "personal";
}

export function tenantOf(a: TeamsActivity): string | null {
  return a.channelData.tenant?.id ?? a.conversation.tenantId ?? null;
}

/**
 * The channel (or chat) itself: a channel thread's conversation id carries `;messageid=<root>`,
 * which is stripped so replies, edits and deletes in one channel share one id.
 */
export function baseConversationId(a: TeamsActivity): string {
  return a.conversation.id.split(";")[0] ?? a.conversation.id;
}

export function channelIdOf(a: TeamsActivity): string {
  return a.channelData.channel?.id ?? baseConversationId(a);
}

/** Bots have 28: ids in Teams; users 29: (or 8: for some consumer accounts). */
export function isBotAccount(account: Pick<TeamsAccount, "id" | "role">): boolean {
  return account.role === "bot" || account.id.startsWith("28:");
}
