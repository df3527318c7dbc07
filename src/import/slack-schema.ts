// The parts of Slack's export format the import relies on. Schemas are lenient about what Slack
// adds over time (unknown keys are accepted and dropped) and about nulls, which older exports use
// where newer ones omit the key; what we keep is normalized to `undefined`.
import { z } from "zod";

// Optional keys that old exports sometimes write as null. Both come out as undefined: each object
// schema below drops its nulls in one pass (lenientObject) rather than with a transform per field,
// which zod runs (and allocates a result for) on every field of every one of a million messages.
const optString = z.string().nullish();
// Older exports (2015-16) write numbers and flags as strings: "created": "1443636473",
// "is_archived": "false". Each union tries the real type first, so only the string form pays for
// a transform; a string that isn't a number or a flag is still an error.
const optNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*-?\d+(\.\d+)?\s*$/, "expected a number")
      .transform(Number),
  ])
  .nullish();
const optBool = z
  .union([
    z.boolean(),
    z.enum(["true", "false", "1", "0", ""]).transform((v) => v === "true" || v === "1"),
    z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
  ])
  .nullish();

type NullsDropped<T> = { [K in keyof T]: Exclude<T[K], null> };

function withoutNulls<T extends object>(value: T): NullsDropped<T> {
  const fields = value as Record<string, unknown>;
  for (const key in fields) if (fields[key] === null) fields[key] = undefined;
  return value as NullsDropped<T>;
}

/** z.object, with null values turned into undefined (zod has already copied the object). */
function lenientObject<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape).transform(withoutNulls);
}

export const SlackUserProfile = lenientObject({
  display_name: optString,
  real_name: optString,
  email: optString,
  title: optString,
  first_name: optString,
  last_name: optString,
  team: optString,
  bot_id: optString,
});

export const SlackUser = lenientObject({
  id: z.string().min(1),
  team_id: optString,
  name: optString,
  real_name: optString,
  deleted: optBool,
  is_bot: optBool,
  is_app_user: optBool,
  is_admin: optBool,
  is_owner: optBool,
  is_restricted: optBool,
  is_ultra_restricted: optBool,
  /** Set by Slack on users from another organization met through Slack Connect. */
  is_stranger: optBool,
  tz: optString,
  enterprise_user: lenientObject({
    id: optString,
    enterprise_id: optString,
    enterprise_name: optString,
  }).nullish(),
  profile: SlackUserProfile.nullish().transform((v) => v ?? {}),
});
export type SlackUser = z.output<typeof SlackUser>;

const TextValue = z
  .union([z.string(), z.object({ value: optString, creator: optString, last_set: optNumber })])
  .nullish()
  .transform((v) => (typeof v === "string" ? v : v?.value) || undefined)
  .optional();

export const SlackChannel = lenientObject({
  id: z.string().min(1),
  /** DMs (dms.json) have no name; the reader fills in the id. */
  name: optString,
  created: optNumber,
  creator: optString,
  is_archived: optBool,
  is_general: optBool,
  is_ext_shared: optBool,
  is_shared: optBool,
  members: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  purpose: TextValue,
  topic: TextValue,
});
export type SlackChannel = z.output<typeof SlackChannel>;

const SlackFile = lenientObject({
  id: optString,
  name: optString,
  title: optString,
  mimetype: optString,
});

/** Slack ts: seconds since the epoch with a microsecond-ish suffix, unique per channel. */
const SlackTs = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "not a Slack timestamp");

const NestedMessage = lenientObject({
  user: optString,
  text: optString,
  ts: optString,
  subtype: optString,
  bot_id: optString,
});

export const SlackMessage = lenientObject({
  type: optString,
  ts: SlackTs,
  user: optString,
  text: optString,
  subtype: optString,
  bot_id: optString,
  username: optString,
  thread_ts: optString,
  parent_user_id: optString,
  reply_count: optNumber,
  /** Team of the author; differs from the workspace's for Slack Connect users. */
  team: optString,
  user_team: optString,
  source_team: optString,
  edited: lenientObject({ user: optString, ts: optString }).nullish(),
  files: z.array(SlackFile).nullish(),
  user_profile: lenientObject({
    real_name: optString,
    display_name: optString,
    name: optString,
    team: optString,
  }).nullish(),
  /** message_changed carries the edited message here. */
  message: NestedMessage.nullish(),
});
export type SlackMessage = z.output<typeof SlackMessage>;

/** One line a person can act on: the first problem zod found, with where it is. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid value";
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : "";
  return `${where}${issue.message}${more}`;
}
