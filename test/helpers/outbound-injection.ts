// Hostile strings for the injection suite (test/adversarial/injection.test.ts): what a person can
// put in a name, an alias, a place, a display name or a workspace name, and detectors that count
// the special tokens that reach a platform unescaped, per destination.
import { normalizeAlias } from "../../src/core/contacts.ts";
import type { Store } from "../../src/core/ports.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";

/** Slack specials (channel pings, a link with a label, a user mention) plus Teams/markdown ones. */
export const EVIL = {
  contact:
    "Eve <!channel> <https://evil.test|click> <@U0BOSS> [win](https://evil.test) <at>Bo</at> *B* _I_ & co",
  organization: "<!here> Org [o](https://evil.test)",
  place: "<!everyone> Cafe <https://evil.test|x> [p](https://evil.test) <at>Cy</at>",
  member: "Mal <!here> [m](https://evil.test) <at>Ann</at>",
  workspace: "<!channel> Corp [w](https://evil.test)",
} as const;

/** A plain alias for commands ("met eve", "lunch eve …"). */
export const EVIL_ALIAS = "eve";

/**
 * Seeds a tracked contact with hostile name and organization, mentions of it this week by every
 * member in `talkers` (enough for a prompt), and a lunch at a hostile place organized by
 * `organizer` at `lunchAt` (the organizer then gets no prompt: the lunch is open).
 */
export async function seedHostile(
  store: Store,
  ws: Workspace,
  talkers: Member[],
  organizer: Member,
  o: { now: Date; lunchAt: Date },
): Promise<Contact> {
  const contact = await store.createContact(
    ws.id,
    { displayName: EVIL.contact, status: "tracked", organization: EVIL.organization },
    [
      { kind: "name", normalized: normalizeAlias("name", EVIL.contact), display: EVIL.contact },
      { kind: "name", normalized: normalizeAlias("name", EVIL_ALIAS), display: EVIL_ALIAS },
    ],
  );
  let seq = 0;
  for (const m of talkers) {
    for (let i = 0; i < 4; i++) {
      seq++;
      await store.replaceMentions(
        ws.id,
        `CINJ:${seq}`,
        {
          memberId: m.id,
          channelId: "CINJ",
          at: new Date(o.now.getTime() - seq * 600_000),
          source: "message",
        },
        [contact.id],
      );
    }
  }
  await store.createLunch(ws.id, {
    contactId: contact.id,
    organizerId: organizer.id,
    attendeeIds: [],
    scheduledFor: o.lunchAt,
    place: EVIL.place,
    status: "scheduled",
    followUpAt: new Date(o.lunchAt.getTime() + 86_400_000),
  });
  return contact;
}

/** A candidate with a hostile name and organization, mentioned once by `talker` (for the review). */
export async function hostileCandidate(
  store: Store,
  ws: Workspace,
  talker: Member,
  now: Date,
): Promise<Contact> {
  const name = `${EVIL.contact} (candidate)`;
  const contact = await store.createContact(
    ws.id,
    { displayName: name, status: "candidate", organization: EVIL.organization },
    [{ kind: "name", normalized: normalizeAlias("name", name), display: name }],
  );
  await store.replaceMentions(
    ws.id,
    "CINJ:review",
    { memberId: talker.id, channelId: "CINJ", at: new Date(now.getTime() - 60_000), source: "message" },
    [contact.id],
  );
  return contact;
}

// ---- detectors --------------------------------------------------------------------------------

/** Slack control sequences: <!channel>, <!here>, <!everyone>, <@U…>, <#C…>, <https://…|label>. */
const SLACK_SPECIAL = /<(?:!|@|#|https?:|mailto:)/g;

/** Keys whose strings Slack never renders as mrkdwn (ids, file contents, plain-text fields). */
const SLACK_NOT_MRKDWN = new Set([
  "action_id",
  "block_id",
  "value",
  "private_metadata",
  "callback_id",
  "channel",
  "channel_id",
  "user_id",
  "users",
  "ts",
  "token",
  "content",
  "filename",
  "metadata",
  "external_id",
  "trigger_id",
  "view_id",
  // A file's title (files.getUploadURLExternal / completeUploadExternal) is plain text.
  "title",
]);

/** Every mrkdwn string in a Slack Web API call (or response_url body). */
export function slackMrkdwnStrings(args: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string | null): void => {
    if (typeof v === "string") {
      if (key === "files") {
        // files.completeUploadExternal: a JSON list of {id, title}; titles are plain text.
        return;
      }
      if (key === "blocks" || key === "view") {
        // Serialized JSON (form-encoded Web API calls): parse and walk.
        try {
          walk(JSON.parse(v), null);
        } catch {
          out.push(v);
        }
        return;
      }
      if (key !== null && !SLACK_NOT_MRKDWN.has(key)) out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x, key === "elements" || key === "blocks" || key === "fields" ? null : key);
      return;
    }
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "plain_text") return;
      for (const [k, child] of Object.entries(o)) walk(child, k);
    }
  };
  walk(args, null);
  return out;
}

export function countSlackSpecials(strings: readonly string[]): { count: number; samples: string[] } {
  let count = 0;
  const samples: string[] = [];
  for (const s of strings) {
    const n = s.match(SLACK_SPECIAL)?.length ?? 0;
    if (n > 0) {
      count += n;
      if (samples.length < 10) samples.push(s.slice(0, 200));
    }
  }
  return { count, samples };
}

/**
 * Teams: markdown strings (TextBlock text, FactSet titles/values, markdown activity text) and plain
 * ones (summary). Unescaped in markdown: a tag (`<at>`, `<b`, `<!`), a link `[x](`, or the seeded
 * emphasis `*B*` / `_I_`. In plain text: any `<`.
 */
export function teamsStrings(body: unknown): { markdown: string[]; plain: string[] } {
  const markdown: string[] = [];
  const plain: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (o.type === "TextBlock" && typeof o.text === "string") markdown.push(o.text);
    if (o.type === "FactSet" && Array.isArray(o.facts))
      for (const f of o.facts as Array<Record<string, unknown>>)
        for (const k of ["title", "value"]) if (typeof f[k] === "string") markdown.push(f[k] as string);
    for (const child of Object.values(o)) walk(child);
  };
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.text === "string") markdown.push(b.text);
  if (typeof b.summary === "string") plain.push(b.summary);
  walk(b.attachments);
  return { markdown, plain };
}

const TEAMS_MARKDOWN_SPECIAL = [
  /(?<!\\)<(?=[a-z!/])/gi,
  /(?<!\\)\[[^\]\n]*(?<!\\)\]\(/g,
  /(?<!\\)\*B(?<!\\)\*/g,
  /(?<!\\)_I(?<!\\)_/g,
];

export function countTeamsSpecials(s: { markdown: string[]; plain: string[] }): {
  count: number;
  samples: string[];
} {
  let count = 0;
  const samples: string[] = [];
  const note = (text: string, n: number) => {
    if (n === 0) return;
    count += n;
    if (samples.length < 10) samples.push(text.slice(0, 200));
  };
  for (const t of s.markdown)
    note(
      t,
      TEAMS_MARKDOWN_SPECIAL.reduce((n, re) => n + (t.match(re)?.length ?? 0), 0),
    );
  for (const t of s.plain) note(t, t.match(/</g)?.length ?? 0);
  return { count, samples };
}
