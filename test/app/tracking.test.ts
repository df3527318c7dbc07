import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { createWorld, type World } from "../helpers/world.ts";

describe.each(PROVIDERS)("tracking mentions on %s", (provider) => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld(provider);
  });
  afterEach(async () => {
    await w.cleanup();
  });

  const mentionsOf = async (contactId: string) =>
    w.database.db.mention.count({ where: { workspaceId: w.ws.id, contactId } });
  const actor = () => w.store.getMember(w.ws.id, "UANN").then((m) => m!);

  it("merges a name, an email and a handle into one contact that all of them count for", async () => {
    const reply = await w.service.execute(
      w.ws,
      await actor(),
      parseCommand("track Jane Doe, jane@acme.com, @janedoe"),
      { isAdmin: false },
    );
    expect(reply.kind).toBe("text");
    const contact = await w.store.findContactByAlias(w.ws.id, "jane doe");
    expect(contact?.status).toBe("tracked");
    for (const alias of ["jane@acme.com", "@janedoe"])
      expect((await w.store.findContactByAlias(w.ws.id, alias))?.id).toBe(contact!.id);

    await w.service.tracker.processMessage(w.ws, w.message("UANN", "Lunch with Jane Doe next week?"));
    await w.service.tracker.processMessage(w.ws, w.message("UBO", "I emailed jane@acme.com the deck"));
    await w.service.tracker.processMessage(w.ws, w.message("UCY", "@janedoe posted about us"));
    await w.service.tracker.processMessage(
      w.ws,
      w.message("UCY", "JANE DOE, jane@acme.com and @janedoe in one message"),
    );
    expect(await mentionsOf(contact!.id)).toBe(4);
    expect(await w.database.db.contact.count()).toBe(1);
  });

  it("merges contacts that were first seen separately when they are tracked as one", async () => {
    await w.service.tracker.processMessage(w.ws, w.message("UANN", "ping sam.lee@globex.example please"));
    await w.service.tracker.processMessage(w.ws, w.message("UBO", "follow @samlee for updates"));
    expect(await w.database.db.contact.count({ where: { status: "candidate" } })).toBe(2);
    await w.service.execute(
      w.ws,
      await actor(),
      parseCommand('track "Sam Lee" sam.lee@globex.example @samlee'),
      { isAdmin: false },
    );
    const contacts = await w.database.db.contact.findMany();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ displayName: "Sam Lee", status: "tracked" });
    expect(await mentionsOf(contacts[0]!.id)).toBe(2);
  });

  it("counts the same message once, however often it is processed", async () => {
    await w.service.execute(w.ws, await actor(), parseCommand("track Jane Doe, jane@acme.com"), {
      isAdmin: false,
    });
    const msg = w.message("UBO", "Jane Doe again, and jane@acme.com");
    const first = await w.service.tracker.processMessage(w.ws, msg);
    const again = await w.service.tracker.processMessage(w.ws, msg);
    expect(first.added).toBe(1);
    expect(again).toMatchObject({ added: 0, removed: 0 });
    expect(await w.database.db.mention.count()).toBe(1);
  });

  it("re-detects an edited message without double counting, and forgets a deleted one", async () => {
    await w.service.execute(w.ws, await actor(), parseCommand("track Jane Doe"), { isAdmin: false });
    await w.service.execute(w.ws, await actor(), parseCommand("track Omar Haddad"), { isAdmin: false });
    const msg = w.message("UBO", "met Jane Doe");
    await w.service.tracker.processMessage(w.ws, msg);
    const edit = await w.service.tracker.processMessage(w.ws, { ...msg, text: "sorry, I meant Omar Haddad" });
    expect(edit).toMatchObject({ added: 1, removed: 1 });
    const omar = await w.store.findContactByAlias(w.ws.id, "omar haddad");
    expect(await w.database.db.mention.findMany({ select: { contactId: true } })).toEqual([
      { contactId: omar!.id },
    ]);
    await w.service.tracker.processMessage(w.ws, { ...msg, text: "Omar Haddad, Omar Haddad!" });
    expect(await w.database.db.mention.count()).toBe(1);
    expect(await w.service.tracker.removeMessage(w.ws, msg.messageId)).toBe(1);
    expect(await w.database.db.mention.count()).toBe(0);
  });

  it("never turns teammates, their addresses or internal domains into contacts", async () => {
    const r = await w.service.tracker.processMessage(
      w.ws,
      w.message("UANN", "Bo Chen and Cy will sync with ann@northwind.example and hr@northwind.example"),
    );
    expect(r.contactIds).toEqual([]);
    expect(await w.database.db.contact.count()).toBe(0);
    const track = await w.service.execute(w.ws, await actor(), parseCommand("track Bo Chen"), {
      isAdmin: false,
    });
    expect(track).toMatchObject({ kind: "error" });
  });

  it("recognizes Slack Connect users by identity and links earlier talk about them", async () => {
    await w.service.tracker.processMessage(w.ws, w.message("UANN", "emailed priya@initech.example"));
    const ext = {
      platformUserId: "UEXT1",
      displayName: "Priya Raman",
      external: true,
      email: "priya@initech.example",
      organization: "Initech",
    };
    const r = await w.service.tracker.processMessage(
      w.ws,
      w.message("UBO", "thanks <@UEXT1> for joining", { userRefs: [ext] }),
    );
    expect(r.contactIds).toHaveLength(1);
    const contact = await w.store.findContactByPlatformUser(w.ws.id, "UEXT1");
    expect(contact).toMatchObject({
      status: "tracked",
      displayName: expect.any(String),
      organization: "Initech",
    });
    expect(await mentionsOf(contact!.id)).toBe(2);
    // An external author is a contact, not a speaker.
    const own = await w.service.tracker.processMessage(
      w.ws,
      w.message("UEXT1", "hello all", { author: ext }),
    );
    expect(own.skipped).toBe("external-author");
    expect(await w.database.db.member.count({ where: { platformUserId: "UEXT1" } })).toBe(0);
  });

  it("stops counting a member who opted out and deletes what it had", async () => {
    await w.service.execute(w.ws, await actor(), parseCommand("track Jane Doe"), { isAdmin: false });
    await w.service.tracker.processMessage(w.ws, w.message("UANN", "Jane Doe called"));
    const forget = await w.service.execute(w.ws, await actor(), parseCommand("forget-me confirm"), {
      isAdmin: false,
    });
    expect(forget.kind).toBe("text");
    expect(await w.database.db.mention.count()).toBe(0);
    const r = await w.service.tracker.processMessage(w.ws, w.message("UANN", "Jane Doe called again"));
    expect(r.skipped).toBe("opted-out");
    expect(await w.database.db.mention.count()).toBe(0);
    const member = await actor();
    expect(member).toMatchObject({ optedOut: true, displayName: "", email: null });
  });

  it("never counts a member who opted out on another replica, even from this one's cached rows", async () => {
    await w.service.execute(w.ws, await actor(), parseCommand("track Jane Doe"), { isAdmin: false });
    await w.service.tracker.processMessage(w.ws, w.message("UANN", "Jane Doe called"));
    expect(await w.database.db.mention.count()).toBe(1);
    // Another replica runs forget-me: the store changes, this tracker's cache is not told.
    await w.store.forgetMember(w.ws.id, (await actor()).id);
    const r = await w.service.tracker.processMessage(w.ws, w.message("UANN", "Jane Doe called again"));
    expect(r.added).toBe(0);
    expect(await w.database.db.mention.count()).toBe(0);
    // Batched writes (the import) are guarded the same way.
    await w.service.tracker.processMessages(w.ws, [
      w.message("UANN", "Jane Doe, once more"),
      w.message("UANN", "and Jane Doe again"),
    ]);
    expect(await w.database.db.mention.count()).toBe(0);
  });

  it("uses the candidate another replica created after this one loaded its aliases, once", async () => {
    // Loads this tracker's aliases: nobody is called Priya Raman yet.
    await w.service.tracker.processMessage(w.ws, w.message("UANN", "nothing to see"));
    const theirs = await w.store.createContact(w.ws.id, { displayName: "Priya Raman", status: "candidate" }, [
      { kind: "name", normalized: "priya raman", display: "Priya Raman" },
    ]);
    const r = await w.service.tracker.processMessage(w.ws, w.message("UBO", "Lunch with Priya Raman?"));
    expect(r.contactIds).toEqual([theirs.id]);
    expect(await w.database.db.contact.count({ where: { displayName: "Priya Raman" } })).toBe(1);
    // A Slack Connect user it has seen is known from the context on the next message.
    const ref = { platformUserId: "UEXT9", displayName: "Sam Ng", external: true };
    const first = await w.service.tracker.resolveContacts(w.ws, { text: "hi", userRefs: [ref] });
    const again = await w.service.tracker.resolveContacts(w.ws, { text: "hi", userRefs: [ref] });
    expect(again).toEqual(first);
    expect(await w.database.db.contact.count({ where: { platformUserId: "UEXT9" } })).toBe(1);
  });

  it("applies changed internal domains to the next message, without waiting for the cache", async () => {
    const text = "mail jane@partner.example about it";
    const before = await w.service.tracker.processMessage(w.ws, w.message("UANN", text));
    expect(before.contactIds).toHaveLength(1);
    const ws = await w.store.updateWorkspace(w.ws.id, {
      settings: { ...w.ws.settings, internalDomains: ["partner.example"] },
    });
    const after = await w.service.tracker.processMessage(ws, w.message("UANN", text));
    expect(after.contactIds).toEqual([]);
  });

  it("does not count ignored contacts", async () => {
    await w.service.execute(w.ws, await actor(), parseCommand("track Acme Support, support@acme.com"), {
      isAdmin: false,
    });
    await w.service.execute(w.ws, await actor(), parseCommand("ignore support@acme.com"), { isAdmin: false });
    const r = await w.service.tracker.processMessage(w.ws, w.message("UBO", "ask support@acme.com"));
    expect(r.contactIds).toEqual([]);
  });

  it("keeps workspaces apart", async () => {
    const other = await w.store.upsertWorkspace({ platform: "slack", externalId: "T2" });
    await w.service.execute(w.ws, await actor(), parseCommand("track Jane Doe, jane@acme.com"), {
      isAdmin: false,
    });
    const r = await w.service.tracker.processMessage(other, {
      ...w.message("UZED", "jane@acme.com"),
      workspaceId: other.id,
    });
    const contact = await w.store.findContactByAlias(other.id, "jane@acme.com");
    expect(contact?.workspaceId).toBe(other.id);
    expect(contact?.status).toBe("candidate");
    expect(r.contactIds).toEqual([contact!.id]);
    expect(await w.store.findContactByAlias(w.ws.id, "jane@acme.com")).not.toMatchObject({ id: contact!.id });
  });
});
