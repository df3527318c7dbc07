import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/store/db.ts";
import { loadMigrations, MigrationError, migrate } from "../../src/store/migrate.ts";
import { createEmptyDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.ts";

const run = promisify(execFile);

describe.each(PROVIDERS)("storage on %s", (provider) => {
  let target: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    target = await createEmptyDatabase(provider);
  });
  afterAll(async () => {
    await database?.close();
    await target.drop();
  });

  it("applies every migration once, even when two processes start at the same time", async () => {
    const child = (url: string) =>
      run("npx", ["tsx", "test/helpers/migrate-child.ts", url], { cwd: process.cwd() });
    const results = await Promise.all([child(target.url), child(target.url)]);
    const parsed = results.map(
      (r) => JSON.parse(r.stdout) as { applied: string[]; alreadyApplied: string[] },
    );
    const names = loadMigrations(provider).map((m) => m.name);
    // Exactly one process applied each migration; the other found it recorded.
    expect(parsed.flatMap((p) => p.applied).sort()).toEqual(names);
    expect(parsed.flatMap((p) => p.alreadyApplied).sort()).toEqual(names);
    expect(await migrate(target.url)).toEqual({ applied: [], alreadyApplied: names });
  });

  it("refuses a migration file edited after it was applied", async () => {
    const edited = loadMigrations(provider).map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(target.url, edited)).rejects.toThrow(MigrationError);
    await expect(migrate(target.url, edited)).rejects.toThrow(/was edited after it was applied/);
  });

  it("records migrations in Prisma's _prisma_migrations table with sha256 checksums", async () => {
    database = await openDatabase(target.url);
    const rows = await database.db.$queryRawUnsafe<Array<{ migration_name: string; checksum: string }>>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows).toEqual(
      loadMigrations(provider).map((m) => ({ migration_name: m.name, checksum: m.checksum })),
    );
    if (provider === "sqlite") {
      const mode = await database.db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
      expect(mode[0]?.journal_mode).toBe("wal");
    }
  });

  it("creates, reads, updates and deletes through every model", async () => {
    const db = database.db;
    const ws = await db.workspace.create({
      data: { platform: "slack", externalId: "T1", name: "Acme", timezone: "Europe/Berlin" },
    });
    const inst = await db.installation.create({
      data: { workspaceId: ws.id, teamId: "T1", dataEnc: "v1.x.y.z" },
    });
    const member = await db.member.create({
      data: { workspaceId: ws.id, platformUserId: "U1", displayName: "Ann" },
    });
    const other = await db.member.create({
      data: { workspaceId: ws.id, platformUserId: "U2", displayName: "Bo" },
    });
    const channel = await db.channel.create({
      data: { workspaceId: ws.id, platformChannelId: "C1", name: "general" },
    });
    const contact = await db.contact.create({
      data: { workspaceId: ws.id, displayName: "Jane Doe", status: "tracked" },
    });
    const alias = await db.contactAlias.create({
      data: {
        workspaceId: ws.id,
        contactId: contact.id,
        kind: "email",
        normalized: "jane@acme.com",
        display: "jane@acme.com",
      },
    });
    const at = new Date("2026-11-20T10:00:00.000Z");
    const mention = await db.mention.create({
      data: {
        workspaceId: ws.id,
        contactId: contact.id,
        memberId: member.id,
        channelId: "C1",
        messageId: "C1:1",
        at,
        source: "message",
      },
    });
    const nudge = await db.nudge.create({
      data: { workspaceId: ws.id, memberId: member.id, contactId: contact.id },
    });
    const lunch = await db.lunch.create({
      data: {
        workspaceId: ws.id,
        contactId: contact.id,
        organizerId: member.id,
        scheduledFor: at,
        status: "scheduled",
        attendees: { create: [{ memberId: other.id }] },
      },
      include: { attendees: true },
    });
    const meeting = await db.meeting.create({
      data: {
        workspaceId: ws.id,
        contactId: contact.id,
        memberId: member.id,
        metAt: at,
        source: "lunch",
        lunchId: lunch.id,
      },
    });
    const noticedData = {
      workspaceId: ws.id,
      memberId: member.id,
      contactId: contact.id,
      source: "calendar",
      day: "2026-11-20",
      metAt: at,
      status: "recorded",
      meetingId: meeting.id,
    };
    const noticed = await db.noticedMeeting.create({ data: noticedData });
    const digest = await db.digest.create({ data: { workspaceId: ws.id, week: "2026-W47" } });
    const event = await db.processedEvent.create({
      data: { key: "slack:Ev1", workspaceId: ws.id, payload: "{}" },
    });
    const job = await db.jobRun.create({ data: { task: "digest", fireTime: at, claimedBy: "test" } });

    // read back
    expect((await db.mention.findUniqueOrThrow({ where: { id: mention.id } })).at.toISOString()).toBe(
      at.toISOString(),
    );
    expect(lunch.attendees.map((a) => a.memberId)).toEqual([other.id]);
    expect(await db.contactAlias.count({ where: { contactId: contact.id } })).toBe(1);

    // unique constraints hold
    await expect(
      db.mention.create({
        data: {
          workspaceId: ws.id,
          contactId: contact.id,
          memberId: other.id,
          channelId: "C1",
          messageId: "C1:1",
          at,
          source: "message",
        },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    // One notice per (member, contact, day), whatever noticed it.
    await expect(
      db.noticedMeeting.create({ data: { ...noticedData, source: "chat", status: "asked" } }),
    ).rejects.toMatchObject({ code: "P2002" });
    await expect(db.digest.create({ data: { workspaceId: ws.id, week: "2026-W47" } })).rejects.toMatchObject({
      code: "P2002",
    });
    await expect(
      db.jobRun.create({ data: { task: "digest", fireTime: at, claimedBy: "other" } }),
    ).rejects.toMatchObject({ code: "P2002" });

    // update
    await db.workspace.update({
      where: { id: ws.id },
      data: { settings: JSON.stringify({ mentionThreshold: 5 }) },
    });
    await db.installation.update({ where: { id: inst.id }, data: { botUserId: "UBOT" } });
    await db.member.update({ where: { id: member.id }, data: { optedOut: true } });
    await db.channel.update({ where: { id: channel.id }, data: { name: "random" } });
    await db.contact.update({ where: { id: contact.id }, data: { lastMetAt: at } });
    await db.contactAlias.update({ where: { id: alias.id }, data: { display: "Jane" } });
    await db.nudge.update({ where: { id: nudge.id }, data: { status: "sent", sentAt: at } });
    await db.lunch.update({ where: { id: lunch.id }, data: { status: "met" } });
    await db.meeting.update({ where: { id: meeting.id }, data: { source: "button" } });
    await db.noticedMeeting.update({ where: { id: noticed.id }, data: { status: "undone", toldAt: at } });
    await db.digest.update({ where: { id: digest.id }, data: { status: "posted", postedAt: at } });
    await db.processedEvent.update({ where: { id: event.id }, data: { status: "done", payload: null } });
    await db.jobRun.update({ where: { id: job.id }, data: { outcome: "ok", durationMs: 12 } });
    const grant = await db.calendarGrant.create({
      data: { workspaceId: ws.id, memberId: member.id, provider: "google", dataEnc: "v1.g" },
    });
    await expect(
      db.calendarGrant.create({
        data: { workspaceId: ws.id, memberId: member.id, provider: "microsoft", dataEnc: "v1.m" },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    await db.calendarGrant.update({ where: { id: grant.id }, data: { accountEmail: "ann@acme.example" } });
    expect((await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).settings).toBe(
      '{"mentionThreshold":5}',
    );
    expect((await db.nudge.findUniqueOrThrow({ where: { id: nudge.id } })).status).toBe("sent");

    // delete: the workspace cascades to everything it owns
    await db.jobRun.delete({ where: { id: job.id } });
    await db.processedEvent.delete({ where: { id: event.id } });
    await db.workspace.delete({ where: { id: ws.id } });
    const counts = await Promise.all([
      db.installation.count(),
      db.member.count(),
      db.channel.count(),
      db.contact.count(),
      db.contactAlias.count(),
      db.mention.count(),
      db.nudge.count(),
      db.lunch.count(),
      db.lunchAttendee.count(),
      db.meeting.count(),
      db.noticedMeeting.count(),
      db.digest.count(),
      db.calendarGrant.count(),
      db.review.count(),
      db.signInToken.count(),
    ]);
    expect(counts).toEqual(Array(15).fill(0));
  });
});
