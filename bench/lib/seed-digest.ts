import Sqlite from "better-sqlite3";
import pg from "pg";
import { createRng, deriveSeed, WeightedPicker } from "../../src/sample/prng.ts";
import { openDatabase, type Provider, sqlitePath } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";

// A big workspace for the digest benchmark, written straight into the database: members, contacts,
// a year of mentions, lunches and meetings. Going through the tracker would take hours for two
// million mentions and measure the import, not the digest; here the mentions go in with multi-row
// inserts inside one transaction. Seeded, so both databases get the same rows.

export interface DigestSeedOptions {
  seed?: number;
  members: number;
  contacts: number;
  mentions: number;
  /** The digest is built as of this instant; mentions cover the year before it. */
  now: Date;
}

export interface DigestSeedResult {
  workspaceId: string;
  members: number;
  contacts: number;
  trackedContacts: number;
  mentions: number;
  lunches: number;
  meetings: number;
  seconds: number;
}

const DAY_MS = 86_400_000;
const WORKSPACE_ID = "bench-ws";

/** Prisma's SQLite DateTime text: what comparisons in SQL run against, so it must match exactly. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

export async function seedDigestWorkspace(
  url: string,
  provider: Provider,
  o: DigestSeedOptions,
): Promise<DigestSeedResult> {
  const started = performance.now();
  const seed = o.seed ?? 11;
  const now = o.now.getTime();
  await migrate(url);
  const rng = createRng(deriveSeed(seed, "digest"));

  const memberIds = Array.from({ length: o.members }, (_, i) => `bm${i}`);
  const contactIds = Array.from({ length: o.contacts }, (_, i) => `bc${i}`);
  // Popular contacts are mostly tracked; the long tail is mostly candidates nobody confirmed.
  const statuses = contactIds.map((_, rank) => {
    const r = rng.next();
    if (r < (rank < 2000 ? 0.8 : 0.25)) return "tracked";
    return r > 0.95 ? "ignored" : "candidate";
  });
  const lastMet = new Map<number, Date>();
  const meetings: Array<{ id: string; contactId: string; memberId: string; metAt: Date }> = [];
  for (let k = 0; k < Math.round(o.contacts * 0.08); k++) {
    const c = rng.int(Math.min(o.contacts, 3000));
    const metAt = new Date(now - rng.int(365) * DAY_MS - rng.int(DAY_MS));
    meetings.push({ id: `bmt${k}`, contactId: `bc${c}`, memberId: rng.pick(memberIds), metAt });
    if ((lastMet.get(c)?.getTime() ?? 0) < metAt.getTime()) lastMet.set(c, metAt);
  }
  const lunches = Array.from({ length: 400 }, (_, k) => {
    const scheduledFor = new Date(now - rng.int(370) * DAY_MS + 12 * 3_600_000);
    const status =
      scheduledFor.getTime() > now ? "scheduled" : rng.pick(["met", "met", "met", "cancelled", "followup"]);
    return {
      id: `bl${k}`,
      workspaceId: WORKSPACE_ID,
      contactId: `bc${rng.int(Math.min(o.contacts, 2000))}`,
      organizerId: rng.pick(memberIds),
      scheduledFor,
      place: rng.pick(["Cafe Luna", "Noodle Bar", "The Green", null]),
      status,
      createdAt: new Date(scheduledFor.getTime() - rng.range(1, 14) * DAY_MS),
    };
  });

  const database = await openDatabase(url);
  try {
    const db = database.db;
    await db.workspace.create({
      data: { id: WORKSPACE_ID, platform: "slack", externalId: "TBENCH", name: "Bench Corp" },
    });
    for (let i = 0; i < memberIds.length; i += 5000) {
      await db.member.createMany({
        data: memberIds.slice(i, i + 5000).map((id, k) => ({
          id,
          workspaceId: WORKSPACE_ID,
          platformUserId: `UB${i + k}`,
          displayName: `Member ${i + k}`,
          realName: `Member Number ${i + k}`,
        })),
      });
    }
    for (let i = 0; i < contactIds.length; i += 5000) {
      await db.contact.createMany({
        data: contactIds.slice(i, i + 5000).map((id, k) => ({
          id,
          workspaceId: WORKSPACE_ID,
          displayName: `Contact ${i + k}`,
          status: statuses[i + k] as string,
          organization: (i + k) % 3 === 0 ? `Org ${(i + k) % 700}` : null,
          lastMetAt: lastMet.get(i + k) ?? null,
        })),
      });
    }
    await db.lunch.createMany({ data: lunches });
    await db.lunchAttendee.createMany({
      data: lunches.map((l) => ({
        lunchId: l.id,
        memberId: memberIds[(memberIds.indexOf(l.organizerId) + 1) % memberIds.length] as string,
      })),
    });
    await db.meeting.createMany({
      data: meetings.map((m) => ({ ...m, workspaceId: WORKSPACE_ID, source: "lunch" })),
    });
  } finally {
    await database.close();
  }

  // Mentions: Zipf-like over contacts (a few people dominate the talk), members mildly skewed.
  const contactPicker = new WeightedPicker(
    contactIds.map((_, i) => i),
    contactIds.map((_, i) => 1 / (i + 10)),
  );
  const memberPicker = new WeightedPicker(
    memberIds.map((_, i) => i),
    memberIds.map((_, i) => 1 / Math.sqrt(i + 5)),
  );
  const mentionRng = createRng(deriveSeed(seed, "mentions"));
  const start = now - 365 * DAY_MS;
  const row = (i: number) => ({
    id: `bmn${i}`,
    contactId: `bc${contactPicker.pick(mentionRng)}`,
    memberId: `bm${memberPicker.pick(mentionRng)}`,
    channelId: `C${mentionRng.int(60)}`,
    messageId: `C:${i}`,
    at: new Date(start + Math.floor(mentionRng.next() * 365 * DAY_MS)),
  });
  if (provider === "postgresql") await insertMentionsPg(url, o.mentions, row);
  else insertMentionsSqlite(url, o.mentions, row);

  return {
    workspaceId: WORKSPACE_ID,
    members: o.members,
    contacts: o.contacts,
    trackedContacts: statuses.filter((s) => s === "tracked").length,
    mentions: o.mentions,
    lunches: lunches.length,
    meetings: meetings.length,
    seconds: (performance.now() - started) / 1000,
  };
}

type Row = {
  id: string;
  contactId: string;
  memberId: string;
  channelId: string;
  messageId: string;
  at: Date;
};

async function insertMentionsPg(url: string, count: number, row: (i: number) => Row): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Building the secondary indexes once at the end is much faster than maintaining them row by
    // row; they are recreated from their own definitions, so the schema ends up exactly as migrated.
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Mention' AND indexname <> 'Mention_pkey'`,
    );
    await client.query("BEGIN");
    for (const ix of indexes.rows) await client.query(`DROP INDEX "${ix.indexname}"`);
    const chunk = 50_000;
    for (let i = 0; i < count; i += chunk) {
      const cols: string[][] = [[], [], [], [], [], []];
      for (let k = i; k < Math.min(count, i + chunk); k++) {
        const r = row(k);
        cols[0]?.push(r.id);
        cols[1]?.push(r.contactId);
        cols[2]?.push(r.memberId);
        cols[3]?.push(r.channelId);
        cols[4]?.push(r.messageId);
        // TIMESTAMP(3) without zone holds UTC, as Prisma writes it.
        cols[5]?.push(r.at.toISOString().replace("T", " ").replace("Z", ""));
      }
      await client.query(
        `INSERT INTO "Mention" ("id", "workspaceId", "contactId", "memberId", "channelId", "messageId", "at", "source")
         SELECT id, $7, c, m, ch, msg, at, 'import'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp(3)[]) AS t(id, c, m, ch, msg, at)`,
        [...cols, WORKSPACE_ID],
      );
    }
    for (const ix of indexes.rows) await client.query(ix.indexdef);
    await client.query("COMMIT");
    // Autovacuum would analyze the table soon after a load like this; don't time the digest before it.
    await client.query(`ANALYZE`);
  } finally {
    await client.end();
  }
}

function insertMentionsSqlite(url: string, count: number, row: (i: number) => Row): void {
  const db = new Sqlite(sqlitePath(url));
  try {
    // As for PostgreSQL: drop the secondary indexes, load, recreate them from their stored SQL.
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Mention' AND sql IS NOT NULL`,
      )
      .all() as Array<{ name: string; sql: string }>;
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
    const insert = db.prepare(
      `INSERT INTO "Mention" ("id", "workspaceId", "contactId", "memberId", "channelId", "messageId", "at", "source")
       VALUES (?, ?, ?, ?, ?, ?, ?, 'import')`,
    );
    const chunk = 100_000;
    for (let i = 0; i < count; i += chunk) {
      db.transaction(() => {
        for (let k = i; k < Math.min(count, i + chunk); k++) {
          const r = row(k);
          insert.run(r.id, WORKSPACE_ID, r.contactId, r.memberId, r.channelId, r.messageId, sqliteDate(r.at));
        }
      })();
    }
    for (const ix of indexes) db.exec(ix.sql);
    // No ANALYZE: the app never runs it on SQLite, so the planner works without statistics here too.
  } finally {
    db.close();
  }
}
