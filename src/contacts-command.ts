import { z } from "zod";
import { mergeOfferLines } from "./app/merge-offers.ts";
import { openApp } from "./app.ts";
import { IsoDay, parseFlags, UsageError, validated, withUsage } from "./cli-args.ts";
import { loadConfig } from "./config.ts";
import { contactKind } from "./core/detect/index.ts";
import { markupToPlain } from "./core/format.ts";
import type { ContactStats, Store } from "./core/ports.ts";
import { addDays, isoDate, zonedParts } from "./core/time.ts";
import type { Alias, ContactStatus, Workspace } from "./core/types.ts";

// `take-it-offline contacts`: what detection found, without Slack or Teams. Counting happens in
// the database (Store.listContactStats); only the listed contacts' rows come back.

export const CONTACTS_USAGE =
  "Usage: take-it-offline contacts [--status tracked|candidate|ignored] [--all] [--since YYYY-MM-DD] [--json] [--workspace ID]";

const ContactsArgs = z.object({
  status: z
    .enum(["tracked", "candidate", "ignored"], { message: "expected tracked, candidate or ignored" })
    .optional(),
  all: z.boolean().default(false),
  since: IsoDay.optional(),
  json: z.boolean().default(false),
  workspace: z.string().trim().min(1, "expected a workspace id").optional(),
});
export type ContactsArgs = z.output<typeof ContactsArgs>;

/** One line of the listing: the shape `--json` prints. */
export interface ContactRow {
  id: string;
  name: string;
  status: ContactStatus;
  kind: "person" | "organization";
  aliases: string[];
  mentions: number;
  teammates: number;
  lastMentionedAt: string | null;
}

export function parseContactsArgs(args: string[]): ContactsArgs {
  const { values, positionals } = parseFlags(
    args,
    {
      status: { type: "string" },
      all: { type: "boolean" },
      since: { type: "string" },
      json: { type: "boolean" },
      workspace: { type: "string" },
    },
    true,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  const parsed = validated(ContactsArgs, values);
  if (parsed.all && parsed.status)
    throw new UsageError("--all lists every status; use it or --status, not both");
  return parsed;
}

/**
 * Which contacts to list: default, tracked and candidates mentioned within the workspace's
 * retention window; `--status` one status; `--all` every status (and, without `--since`, all time,
 * contacts never mentioned included).
 */
export function contactsQuery(
  args: ContactsArgs,
  ws: Workspace,
  now: Date,
): { statuses: ContactStatus[]; since: Date; unmentioned: boolean } {
  const statuses: ContactStatus[] = args.all
    ? ["tracked", "candidate", "ignored"]
    : args.status
      ? [args.status]
      : ["tracked", "candidate"];
  const since = args.since ?? (args.all ? new Date(0) : addDays(now, -ws.settings.retentionDays));
  return { statuses, since, unmentioned: args.all && !args.since };
}

export async function listContactRows(
  store: Store,
  ws: Workspace,
  query: { statuses: ContactStatus[]; since: Date; unmentioned: boolean },
): Promise<ContactRow[]> {
  const stats: ContactStats[] = [];
  for (const status of query.statuses)
    stats.push(...(await store.listContactStats(ws.id, { status, since: query.since })));
  const aliases = await store.listAliases(ws.id);
  if (query.unmentioned) {
    // Contacts with no mention at all (a Slack Connect user nobody has talked about yet).
    const listed = new Set(stats.map((s) => s.contact.id));
    const rest = [...new Set(aliases.map((a) => a.contactId))].filter((id) => !listed.has(id));
    for (const contact of await store.getContacts(ws.id, rest))
      if (query.statuses.includes(contact.status))
        stats.push({ contact, mentions: 0, teammates: 0, lastMentionAt: null });
  }
  const byContact = new Map<string, Alias[]>();
  for (const a of aliases) {
    const list = byContact.get(a.contactId);
    if (list) list.push(a);
    else byContact.set(a.contactId, [a]);
  }
  const rows = stats.map((s): ContactRow => {
    const name = s.contact.displayName;
    const seen = new Set([name.toLowerCase()]);
    const other: string[] = [];
    // Platform aliases are ids ("user:U0…"): the name already says who it is.
    for (const a of byContact.get(s.contact.id) ?? []) {
      if (a.kind === "platform" || seen.has(a.display.toLowerCase())) continue;
      seen.add(a.display.toLowerCase());
      other.push(a.display);
    }
    return {
      id: s.contact.id,
      name,
      status: s.contact.status,
      kind: contactKind(name),
      aliases: other,
      mentions: s.mentions,
      teammates: s.teammates,
      lastMentionedAt: s.lastMentionAt ? s.lastMentionAt.toISOString() : null,
    };
  });
  return rows.sort(
    (a, b) =>
      b.mentions - a.mentions ||
      (b.lastMentionedAt ?? "").localeCompare(a.lastMentionedAt ?? "") ||
      a.name.localeCompare(b.name),
  );
}

/**
 * One person known as a name and as a handle or link (core/same-person.ts), among the listed
 * contacts: a line each saying how to merge them, under the table.
 */
export async function mergeOfferNotes(
  store: Pick<Store, "getContacts" | "listAliases" | "coMentioned">,
  ws: Workspace,
  rows: readonly ContactRow[],
): Promise<string[]> {
  const contacts = await store.getContacts(
    ws.id,
    rows.map((r) => r.id),
  );
  return (await mergeOfferLines(store, ws.id, contacts)).map((line) => printable(markupToPlain(line), 300));
}

/** Names come from message text: no control characters reach the terminal. */
function printable(value: string, max: number): string {
  const clean = value.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function day(iso: string | null, timeZone: string): string {
  if (!iso) return "never";
  return isoDate(zonedParts(new Date(iso), timeZone));
}

/** The readable listing: aligned columns, numbers right-aligned, dates in the workspace's zone. */
export function formatContactsTable(rows: readonly ContactRow[], timeZone: string): string {
  const header = ["NAME", "STATUS", "KIND", "MENTIONS", "TEAMMATES", "LAST MENTIONED"];
  const cells = rows.map((r) => [
    printable(r.name, 40),
    r.status,
    r.kind,
    String(r.mentions),
    String(r.teammates),
    day(r.lastMentionedAt, timeZone),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const numeric = new Set([3, 4]);
  const line = (c: string[]) =>
    c
      .map((v, i) => (numeric.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

function describe(ws: Workspace): string {
  return `${ws.id}  ${ws.platform} ${ws.externalId}${ws.name ? `  "${printable(ws.name, 60)}"` : ""}`;
}

/** The workspace to list: the one asked for, or the only one. */
export function pickWorkspace(all: readonly Workspace[], wanted: string | undefined): Workspace {
  if (wanted) {
    const ws = all.find((w) => w.id === wanted || w.externalId === wanted);
    if (ws) return ws;
    throw new UsageError(
      all.length
        ? `No workspace ${wanted}. Workspaces: ${all.map((w) => `${w.id} (${w.externalId})`).join(", ")}`
        : `No workspace ${wanted}: the database has none yet`,
    );
  }
  const [only, ...others] = all;
  if (only && others.length === 0) return only;
  if (!only) throw new UsageError("No workspaces yet. Import an export or install the app first");
  throw new UsageError(
    `The database holds ${all.length} workspaces; pick one with --workspace ID:\n${all.map((w) => `  ${describe(w)}`).join("\n")}`,
  );
}

export function runContactsCommand(args: string[]): Promise<number> {
  return withUsage(CONTACTS_USAGE, async () => {
    const parsed = parseContactsArgs(args);
    const app = await openApp(loadConfig());
    try {
      const ws = pickWorkspace(await app.store.listActiveWorkspaces(), parsed.workspace);
      const query = contactsQuery(parsed, ws, app.clock.now());
      const rows = await listContactRows(app.store, ws, query);
      if (parsed.json) {
        for (const r of rows) console.log(JSON.stringify(r));
        return 0;
      }
      if (rows.length === 0) {
        const window = query.unmentioned ? "" : ` mentioned since ${query.since.toISOString().slice(0, 10)}`;
        console.log(`No ${query.statuses.join(" or ")} contacts${window} in ${describe(ws)}.`);
        return 0;
      }
      console.log(formatContactsTable(rows, ws.timezone));
      const offers = await mergeOfferNotes(app.store, ws, rows);
      if (offers.length > 0) console.log(["", ...offers].join("\n"));
      return 0;
    } finally {
      await app.close();
    }
  });
}
