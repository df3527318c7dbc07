import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands.ts";
import type { MentionBase } from "../../src/core/ports.ts";
import type { IncomingMessage } from "../../src/core/types.ts";
import { PG_ADMIN_URL, PROVIDERS } from "../helpers/db.ts";
import { createWorld, type World } from "../helpers/world.ts";

// The batched write paths (export import, coalesced live events) against the one-message path:
// same rows, same counts, idempotent, edits replace.

describe.each(PROVIDERS)("batched mention writes on %s", (provider) => {
  let w: World;
  let base: MentionBase;
  let contacts: string[];
  beforeEach(async () => {
    w = await createWorld(provider);
    const ann = await w.store.getMember(w.ws.id, "UANN");
    base = { memberId: ann!.id, channelId: "C1", at: new Date("2026-11-02T10:11:12.345Z"), source: "import" };
    contacts = [];
    for (const name of ["Jane Doe", "Omar Haddad", "Li Wei"]) {
      const c = await w.store.createContact(w.ws.id, { displayName: name, status: "tracked" }, [
        { kind: "name", normalized: name.toLowerCase(), display: name },
      ]);
      contacts.push(c.id);
    }
  });
  afterEach(async () => {
    await w.cleanup();
  });

  const rows = () =>
    w.database.db.mention.findMany({
      select: { messageId: true, contactId: true, at: true, memberId: true },
      orderBy: [{ messageId: "asc" }, { contactId: "asc" }],
    });
  const [a, b, c] = [0, 1, 2];

  it("writes many messages in one call, counts per message, and changes nothing the second time", async () => {
    const items = [
      { messageId: "C1:1", base, contactIds: [contacts[a]!, contacts[b]!] },
      { messageId: "C1:2", base, contactIds: [] },
      { messageId: "C1:3", base, contactIds: [contacts[c]!, contacts[c]!] },
    ];
    expect(await w.store.replaceMentionsBatch(w.ws.id, items)).toEqual([
      { added: 2, removed: 0 },
      { added: 0, removed: 0 },
      { added: 1, removed: 0 },
    ]);
    const first = await rows();
    expect(first).toHaveLength(3);
    expect(first.every((r) => r.at.toISOString() === "2026-11-02T10:11:12.345Z")).toBe(true);
    expect(await w.store.replaceMentionsBatch(w.ws.id, items)).toEqual(
      items.map(() => ({ added: 0, removed: 0 })),
    );
    expect(await rows()).toEqual(first);
  });

  it("replaces what an edited message said, in batches and one message at a time", async () => {
    await w.store.replaceMentionsBatch(w.ws.id, [
      { messageId: "C1:1", base, contactIds: [contacts[a]!, contacts[b]!] },
      { messageId: "C1:2", base, contactIds: [contacts[a]!] },
    ]);
    // Batch: C1:1 now names only c; C1:2 is listed twice and ends as its last item says.
    expect(
      await w.store.replaceMentionsBatch(w.ws.id, [
        { messageId: "C1:1", base, contactIds: [contacts[c]!] },
        { messageId: "C1:2", base, contactIds: [contacts[b]!] },
        { messageId: "C1:2", base, contactIds: [] },
      ]),
    ).toEqual([
      { added: 1, removed: 2 },
      { added: 0, removed: 0 },
      { added: 0, removed: 1 },
    ]);
    expect((await rows()).map((r) => [r.messageId, r.contactId])).toEqual([["C1:1", contacts[c]]]);
    // One message (the live path: a single statement on PostgreSQL).
    expect(
      await w.store.replaceMentionsBatch(w.ws.id, [
        { messageId: "C1:1", base, contactIds: [contacts[a]!, contacts[c]!] },
      ]),
    ).toEqual([{ added: 1, removed: 0 }]);
    expect(
      await w.store.replaceMentionsBatch(w.ws.id, [{ messageId: "C1:1", base, contactIds: [contacts[b]!] }]),
    ).toEqual([{ added: 1, removed: 2 }]);
    const left = await rows();
    expect(left.map((r) => r.contactId)).toEqual([contacts[b]]);
    expect(left[0]?.at.toISOString()).toBe("2026-11-02T10:11:12.345Z");
    expect(
      await w.store.replaceMentionsBatch(w.ws.id, [{ messageId: "C1:1", base, contactIds: [] }]),
    ).toEqual([{ added: 0, removed: 1 }]);
    expect(await rows()).toEqual([]);
  });

  it("splits big batches into statements the databases accept", async () => {
    const many = (contactId: string) =>
      Array.from({ length: 1500 }, (_, i) => ({ messageId: `C2:${i}`, base, contactIds: [contactId] }));
    const first = await w.store.replaceMentionsBatch(w.ws.id, many(contacts[a]!));
    expect(first.reduce((n, r) => n + r.added, 0)).toBe(1500);
    const edit = await w.store.replaceMentionsBatch(w.ws.id, many(contacts[b]!));
    expect(edit.every((r) => r.added === 1 && r.removed === 1)).toBe(true);
    expect(await w.database.db.mention.count({ where: { contactId: contacts[b] } })).toBe(1500);
    expect(await w.database.db.mention.count()).toBe(1500);
  });

  it.runIf(provider === "postgresql")(
    "looks up only the batch's own messages when replacing, with or without table statistics",
    async () => {
      const { PG_BATCH_SQL } = await import("../../src/store/bulk-mentions.ts");
      // A table that grew without ever being analyzed, as it does all through an import.
      await w.store.replaceMentionsBatch(
        w.ws.id,
        Array.from({ length: 3000 }, (_, i) => ({
          messageId: `C3:${i}`,
          base,
          contactIds: [contacts[i % 3]!],
        })),
      );
      const scansOfMention = async () => {
        // The batch statement for 200 messages, planned as it runs (nothing inserted, all re-checked).
        const messages = Array.from({ length: 200 }, (_, i) => `C3:${i * 7}`);
        const none: string[] = [];
        const { rows } = await w.database.pgPool!.query<{ "QUERY PLAN": unknown }>(
          `EXPLAIN (FORMAT JSON) ${PG_BATCH_SQL}`,
          [w.ws.id, none, none, none, none, none, none, none, messages, none, none],
        );
        const scans: string[] = [];
        const walk = (node: Record<string, unknown>) => {
          if (node["Relation Name"] === "Mention")
            scans.push(`${String(node["Node Type"])} ${String(node["Index Name"] ?? "")}`.trim());
          for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        const [plan] = rows[0]!["QUERY PLAN"] as Array<{ Plan: Record<string, unknown> }>;
        walk(plan!.Plan);
        return scans;
      };
      for (const stats of ["none", "analyzed"]) {
        if (stats === "analyzed") await w.database.pgPool!.query('ANALYZE "Mention"');
        const scans = await scansOfMention();
        expect(scans.length, stats).toBeGreaterThan(0);
        // Each message's mentions by the (workspace, message) index, then the rows by primary key
        // (a bitmap heap scan reads what its index scan, also listed, found):
        // never a scan of the workspace's every mention.
        for (const scan of scans)
          expect(scan, stats).toMatch(
            /Mention_workspaceId_messageId_contactId_key$|Mention_pkey$|^ModifyTable$|^Bitmap Heap Scan$/,
          );
      }
    },
  );

  it.runIf(provider === "postgresql")(
    "writes on after the database dropped the pool's idle connections (a restart)",
    async () => {
      const { openDatabase } = await import("../../src/store/db.ts");
      const { replaceMentionsBatch } = await import("../../src/store/bulk-mentions.ts");
      // A freshly opened database whose pool Prisma has not touched yet: its idle connection's
      // "error" event has only our listener to go to.
      const fresh = await openDatabase(w.database.url);
      try {
        const write = (n: number) =>
          replaceMentionsBatch(fresh, w.ws.id, [
            { messageId: `C4:${n}`, base, contactIds: [contacts[a]!] },
            { messageId: `C4:${n + 1}`, base, contactIds: [] },
          ]);
        expect((await write(1))[0]).toEqual({ added: 1, removed: 0 });
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        try {
          const { rowCount } = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            [new URL(w.database.url).pathname.slice(1)],
          );
          expect(rowCount).toBeGreaterThan(0);
        } finally {
          await admin.end();
        }
        // The broken idle connections are noticed and replaced; the process is still here to write.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect((await write(3))[0]).toEqual({ added: 1, removed: 0 });
      } finally {
        await fresh.close();
      }
    },
  );

  it("keeps workspaces apart", async () => {
    const other = await w.store.upsertWorkspace({ platform: "slack", externalId: "T2" });
    const zed = await w.store.upsertMember(other.id, { platformUserId: "UZED", displayName: "Zed" });
    const theirs = await w.store.createContact(other.id, { displayName: "Jane Doe", status: "tracked" }, []);
    await w.store.replaceMentionsBatch(other.id, [
      { messageId: "C1:1", base: { ...base, memberId: zed.id }, contactIds: [theirs.id] },
    ]);
    // Same message id in this workspace: the other workspace's mention is neither seen nor removed.
    expect(
      await w.store.replaceMentionsBatch(w.ws.id, [
        { messageId: "C1:1", base, contactIds: [contacts[a]!] },
        { messageId: "C1:9", base, contactIds: [] },
      ]),
    ).toEqual([
      { added: 1, removed: 0 },
      { added: 0, removed: 0 },
    ]);
    expect(await w.database.db.mention.count({ where: { workspaceId: other.id } })).toBe(1);
    expect(await w.store.getMembers(other.id, ["UZED", "UANN"])).toMatchObject([{ platformUserId: "UZED" }]);
  });

  it("processMessages ends exactly where processMessage one by one does", async () => {
    await w.service.execute(
      w.ws,
      (await w.store.getMember(w.ws.id, "UANN"))!,
      parseCommand("track Jane Doe"),
      {
        isAdmin: false,
      },
    );
    const texts = [
      ["UANN", "Lunch with Jane Doe?"],
      ["UBO", "mail sam.lee@globex.example and Jane Doe"],
      ["UCY", "nothing to see"],
      ["UNEW", "Jane Doe again, cc sam.lee@globex.example"],
      ["UBO", "@samlee posted"],
    ] as const;
    const msgs: IncomingMessage[] = texts.map(([author, text]) => w.message(author, text));
    const one: unknown[] = [];
    for (const m of msgs) one.push(await w.service.tracker.processMessage(w.ws, m));
    const state = async () => ({
      mentions: (await rows()).map((r) => [r.messageId, r.contactId, r.memberId]),
      contacts: (await w.database.db.contact.findMany({ orderBy: { id: "asc" } })).map((c) => c.displayName),
      members: await w.database.db.member.count(),
    });
    const sequential = await state();
    // Again as one batch, after removing the mentions: same rows come back, with the same counts.
    await w.database.db.mention.deleteMany();
    const batch = await w.service.tracker.processMessages(w.ws, msgs);
    expect(await state()).toEqual(sequential);
    expect(batch.map((r) => r.added)).toEqual(one.map((r) => (r as { added: number }).added));
    expect(batch.map((r) => r.contactIds)).toEqual(
      one.map((r) => (r as { contactIds: string[] }).contactIds),
    );
    expect(
      (await w.service.tracker.processMessages(w.ws, msgs)).every((r) => r.added === 0 && r.removed === 0),
    ).toBe(true);
  });

  it("processes concurrent live messages in batches without losing or double counting any", async () => {
    await w.service.execute(
      w.ws,
      (await w.store.getMember(w.ws.id, "UANN"))!,
      parseCommand("track Jane Doe"),
      {
        isAdmin: false,
      },
    );
    const msgs = Array.from({ length: 30 }, (_, i) =>
      w.message(i % 2 ? "UANN" : "UBO", i % 3 ? `Jane Doe, take ${i}` : `plain ${i}`),
    );
    const results = await Promise.all(msgs.map((m) => w.service.tracker.processMessage(w.ws, m)));
    expect(results.reduce((n, r) => n + r.added, 0)).toBe(20);
    expect(await w.database.db.mention.count()).toBe(20);
    const again = await Promise.all(msgs.map((m) => w.service.tracker.processMessage(w.ws, m)));
    expect(again.every((r) => r.added === 0 && r.removed === 0)).toBe(true);
    expect(await w.database.db.mention.count()).toBe(20);
  });
});
