import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

// createContact writes a contact and its aliases atomically (on PostgreSQL as one statement), and
// when another replica got there first it returns theirs instead of a second copy.

describe.each(PROVIDERS)("creating contacts on %s", (provider) => {
  let t: TestStore;
  let ws: Workspace;
  beforeEach(async () => {
    t = await createTestStore(provider);
    ws = await t.store.upsertWorkspace({ platform: "slack", externalId: "T1", name: "Acme" });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const name = (n: string) => ({ kind: "name" as const, normalized: n.toLowerCase(), display: n });

  it("stores the contact with its aliases, once each", async () => {
    const c = await t.store.createContact(
      ws.id,
      { displayName: "Priya Raman", status: "candidate", organization: "Globex" },
      [
        name("Priya Raman"),
        { kind: "email", normalized: "priya@globex.com", display: "priya@globex.com" },
        name("Priya Raman"),
      ],
    );
    expect(c).toMatchObject({
      workspaceId: ws.id,
      displayName: "Priya Raman",
      status: "candidate",
      organization: "Globex",
    });
    expect(await t.store.getContact(ws.id, c.id)).toEqual(c);
    expect((await t.store.findContactByAlias(ws.id, "priya@globex.com"))?.id).toBe(c.id);
    const aliases = await t.database.db.contactAlias.findMany({ where: { contactId: c.id } });
    expect(aliases.map((a) => a.normalized).sort()).toEqual(["priya raman", "priya@globex.com"]);
    const row = await t.database.db.contact.findUniqueOrThrow({ where: { id: c.id } });
    // Timestamps are UTC, as Prisma writes them.
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(30_000);
    expect(row.updatedAt.getTime()).toBe(row.createdAt.getTime());
  });

  it("returns the contact that already holds an alias, and leaves no half-made contact behind", async () => {
    const theirs = await t.store.createContact(ws.id, { displayName: "Omar Haddad", status: "tracked" }, [
      name("Omar Haddad"),
    ]);
    const again = await t.store.createContact(ws.id, { displayName: "Omar H.", status: "candidate" }, [
      name("Omar H."),
      name("Omar Haddad"),
    ]);
    expect(again).toEqual(theirs);
    expect(await t.database.db.contact.count()).toBe(1);
    expect(await t.store.findContactByAlias(ws.id, "omar h.")).toBeNull();
  });

  it("returns the contact that already has the platform identity", async () => {
    const guest = { displayName: "Dana Guest", status: "tracked" as const, platformUserId: "U_EXT" };
    const first = await t.store.createContact(ws.id, guest, []);
    const second = await t.store.createContact(ws.id, { ...guest, displayName: "Dana" }, [name("Dana")]);
    expect(second).toEqual(first);
    expect(await t.database.db.contact.count()).toBe(1);
  });
});
