import { expect } from "vitest";
import type { OfflineService } from "../../src/app/service.ts";
import { normalizeAlias } from "../../src/core/contacts.ts";
import type { Store } from "../../src/core/ports.ts";
import type { AliasKind, Contact, Lunch, Member, Nudge, Workspace } from "../../src/core/types.ts";
import type { Db } from "../../src/store/db.ts";

// Shared by the adversarial suites: one tenant's data seeded through the real store and core, a
// snapshot of every row that belongs to a workspace (to prove another tenant's requests changed
// nothing), and the strings that would give that tenant away if they showed up in an answer.

export interface TenantSeed {
  ws: Workspace;
  members: Member[];
  contact: Contact;
  /** A "sent" lunch prompt per member, in `members` order. */
  nudges: Nudge[];
  /** A lunch held yesterday, waiting for its "did it happen?" answer (organizer: members[0]). */
  followUp: Lunch;
  /** A lunch planned for next week (organizer: members[0], attendee: members[1]). */
  upcoming: Lunch;
}

export interface ContactSpec {
  name: string;
  organization: string;
  aliases: Array<{ kind: AliasKind; value: string }>;
}

/**
 * A tracked contact with aliases, mentions of it by every member (through the tracker, like live
 * messages), a sent prompt per member and two lunches. `members` must already exist.
 */
export async function seedTenant(
  store: Store,
  service: OfflineService,
  ws: Workspace,
  members: Member[],
  spec: ContactSpec,
): Promise<TenantSeed> {
  const now = service.clock.now();
  const created = await store.createContact(
    ws.id,
    { displayName: spec.name, status: "tracked", organization: spec.organization },
    [
      { kind: "name", normalized: normalizeAlias("name", spec.name), display: spec.name },
      ...spec.aliases.map((a) => ({
        kind: a.kind,
        normalized: normalizeAlias(a.kind, a.value),
        display: a.value,
      })),
    ],
  );
  service.tracker.invalidate(ws.id);
  const email = spec.aliases.find((a) => a.kind === "email")?.value ?? spec.name;
  let seq = 0;
  for (const m of members) {
    for (let i = 0; i < 2; i++) {
      seq++;
      await service.tracker.processMessage(ws, {
        workspaceId: ws.id,
        messageId: `CSEED:${seq}`,
        channelId: "CSEED",
        author: { platformUserId: m.platformUserId, displayName: m.displayName, external: false },
        text: `Notes from the call with ${email} today`,
        at: new Date(now.getTime() - seq * 3_600_000),
        source: "message",
        userRefs: [],
      });
    }
  }
  const nudges: Nudge[] = [];
  for (const [i, m] of members.entries()) {
    const n = await store.createNudge(ws.id, {
      memberId: m.id,
      contactId: created.id,
      kind: "lunch",
      createdAt: now,
    });
    await store.transitionNudge(ws.id, n.id, ["pending"], {
      status: "sent",
      sentAt: now,
      messageRef: `D${m.platformUserId}:1700000${100 + i}.000100`,
    });
    nudges.push((await store.getNudge(ws.id, n.id)) as Nudge);
  }
  const [first, second] = members;
  if (!first || !second) throw new Error("seedTenant needs two members");
  const yesterday = new Date(now.getTime() - 86_400_000);
  const followUp = await store.createLunch(ws.id, {
    contactId: created.id,
    organizerId: first.id,
    attendeeIds: [second.id],
    scheduledFor: yesterday,
    place: `${spec.organization} canteen`,
    status: "followup",
    followUpAt: yesterday,
  });
  const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
  const upcoming = await store.createLunch(ws.id, {
    contactId: created.id,
    organizerId: first.id,
    attendeeIds: [second.id],
    scheduledFor: nextWeek,
    place: `${spec.organization} rooftop`,
    status: "scheduled",
    followUpAt: new Date(nextWeek.getTime() + 86_400_000),
  });
  const contact = (await store.getContact(ws.id, created.id)) as Contact;
  return { ws, members, contact, nudges, followUp, upcoming };
}

type Row = Record<string, unknown>;

/** Every row of every table that belongs to the workspace, sorted, dates as ISO strings. */
export async function snapshotWorkspace(db: Db, workspaceId: string): Promise<Record<string, Row[]>> {
  const scope = { where: { workspaceId } };
  const lunches = await db.lunch.findMany(scope);
  const tables: Record<string, Row[]> = {
    workspace: await db.workspace.findMany({ where: { id: workspaceId } }),
    installation: await db.installation.findMany(scope),
    member: await db.member.findMany(scope),
    channel: await db.channel.findMany(scope),
    contact: await db.contact.findMany(scope),
    contactAlias: await db.contactAlias.findMany(scope),
    mention: await db.mention.findMany(scope),
    nudge: await db.nudge.findMany(scope),
    lunch: lunches,
    lunchAttendee: await db.lunchAttendee.findMany({ where: { lunchId: { in: lunches.map((l) => l.id) } } }),
    meeting: await db.meeting.findMany(scope),
    digest: await db.digest.findMany(scope),
  };
  const out: Record<string, Row[]> = {};
  for (const [name, rows] of Object.entries(tables)) {
    out[name] = rows
      .map((r) => JSON.parse(JSON.stringify(r)) as Row)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

/** How many rows a snapshot holds (to show a test compared something). */
export function rowCount(snapshot: Record<string, Row[]>): number {
  return Object.values(snapshot).reduce((n, rows) => n + rows.length, 0);
}

/**
 * Strings that identify the tenant: ids of every row, names, aliases, places, the organization.
 * Short values are left out so they can't match by chance, and so is whatever the other tenant's
 * own snapshot (`other`) holds too (both teams have a channel called "General").
 */
export function tenantSecrets(
  snapshot: Record<string, Row[]>,
  extra: string[] = [],
  other?: Record<string, Row[]>,
): string[] {
  const keys = [
    "id",
    "displayName",
    "realName",
    "email",
    "normalized",
    "display",
    "organization",
    "place",
    "messageRef",
    "dmRef",
    "name",
    "externalId",
    "platformUserId",
  ];
  const out = new Set<string>(extra);
  for (const rows of Object.values(snapshot)) {
    for (const row of rows) {
      for (const k of keys) {
        const v = row[k];
        if (typeof v === "string" && v.length >= 6) out.add(v);
      }
    }
  }
  const shared = other ? new Set(tenantSecrets(other).map((v) => v.toLowerCase())) : new Set<string>();
  return [...out].filter((v) => !shared.has(v.toLowerCase()));
}

/**
 * Records what one tenant sent and received. A secret of the other tenant "leaks" when it shows
 * up in something we sent back and the sender hadn't typed it themselves (echoing "I don't know
 * “Zed Q.”" back to the person who asked about Zed Q. gives nothing away).
 */
export class LeakCheck {
  private sent = "";
  /** Outgoing bodies checked, for the report. */
  checked = 0;

  constructor(private readonly secrets: string[]) {
    expect(secrets.length).toBeGreaterThan(10);
  }

  /** Everything the attacker put in a request so far. */
  noteSent(value: unknown): void {
    this.sent += `\n${(typeof value === "string" ? value : JSON.stringify(value)).toLowerCase()}`;
  }

  /** Secrets found in `outputs` that the attacker hadn't sent; [] when nothing leaked. */
  leaks(outputs: unknown[]): string[] {
    const found: string[] = [];
    for (const o of outputs) {
      this.checked++;
      const text = (typeof o === "string" ? o : JSON.stringify(o)).toLowerCase();
      for (const s of this.secrets) {
        const needle = s.toLowerCase();
        if (text.includes(needle) && !this.sent.includes(needle)) found.push(s);
      }
    }
    return [...new Set(found)];
  }
}

/** Tenant A's contact, with names no test data shares. */
export const A_CONTACT = {
  name: "Zephyrine Quillfeather",
  organization: "Quillfeather Dynamics",
  aliases: [
    { kind: "email" as const, value: "zephyrine@quillfeather-dyn.example" },
    { kind: "handle" as const, value: "@zquillfeather" },
  ],
};
export const B_CONTACT = {
  name: "Horatio Fernsby",
  organization: "Fernsby Limited",
  aliases: [{ kind: "email" as const, value: "horatio@fernsby.example" }],
};

/** A's data could be found by a lookup that forgot the workspace: these replies say it wasn't. */
export const NOT_FOUND = /I don't know|no longer exists|belongs to another workspace/;

/** The workspace's people (not bots), by platform id. */
export async function humanMembers(
  h: { app: { store: { listMembers(id: string): Promise<Member[]> } } },
  ws: Workspace,
) {
  const all = await h.app.store.listMembers(ws.id);
  return all.filter((m) => !m.isBot).sort((a, b) => a.platformUserId.localeCompare(b.platformUserId));
}
