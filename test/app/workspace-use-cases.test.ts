import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseCommand } from "../../src/core/commands.ts";
import { createMemoryWorld, type MemoryWorld } from "../helpers/memory-world.ts";

// The use cases the adapters call instead of the store: settings, (un)install, installations,
// roster sync, the home view. On the in-memory store.

/** Reversible and visibly not clear text: enough to check that only sealed data is stored. */
const sealer = {
  encrypt: (s: string) => `sealed:${Buffer.from(s).toString("base64")}`,
  decrypt: (s: string) => Buffer.from(s.slice("sealed:".length), "base64").toString(),
};

describe("workspace use cases", () => {
  let w: MemoryWorld;
  beforeEach(async () => {
    w = await createMemoryWorld("2026-11-18T15:00:00Z");
  });
  const member = async (id: string) => {
    const m = await w.store.getMember(w.ws.id, id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  };

  it("saving settings drops the tracker's cached settings, so detection follows at once", async () => {
    // Read once (the tracker caches the workspace's settings): an address at acme.com is a contact.
    await w.service.trackMessage(w.ws, w.message("UANN", "mail joe@acme.com"));
    expect(await w.store.findContactByAlias(w.ws.id, "joe@acme.com")).not.toBeNull();
    const invalidate = vi.spyOn(w.service.tracker, "invalidate");
    const saved = await w.service.saveSettings(w.ws, {
      settings: { ...w.ws.settings, internalDomains: ["acme.com"] },
    });
    expect(saved.settings.internalDomains).toEqual(["acme.com"]);
    expect(invalidate).toHaveBeenCalledWith(w.ws.id);
    // An address at the new internal domain is no longer a contact.
    await w.service.trackMessage(saved, w.message("UANN", "mail sue@acme.com"));
    expect(await w.store.findContactByAlias(w.ws.id, "sue@acme.com")).toBeNull();
  });

  it("installations are stored sealed, found by team or enterprise, and go with an uninstall", async () => {
    const installations = w.service.installations(sealer);
    const ws = await installations.save({
      platform: "slack",
      externalId: "T9",
      name: "Acme",
      teamId: "T9",
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: "UBOT",
      data: '{"bot":{"token":"xoxb-secret"}}',
    });
    expect(ws).toMatchObject({ platform: "slack", externalId: "T9", name: "Acme" });
    const row = await w.store.getInstallation(ws.id);
    expect(row?.dataEnc).not.toContain("xoxb-secret");
    expect((await installations.ofTeam("T9"))?.data()).toBe('{"bot":{"token":"xoxb-secret"}}');
    expect(await installations.ofEnterprise("E1")).toBeNull();

    expect((await w.service.uninstall("slack", "T9"))?.id).toBe(ws.id);
    expect(await w.store.getInstallation(ws.id)).toBeNull();
    expect(await w.service.findWorkspace("slack", "T9")).toBeNull();
    expect(await w.service.uninstall("slack", "T9")).toBeNull();
  });

  it("roster sync adds teammates, makes outsiders contacts only when asked, and adopts an admin's zone", async () => {
    const ws = await w.store.upsertWorkspace({ platform: "slack", externalId: "T2", name: "Other" });
    expect(ws.timezone).toBe("UTC");
    const invalidate = vi.spyOn(w.service.tracker, "invalidate");
    const people = [
      { platformUserId: "UDEE", displayName: "Dee", external: false, isAdmin: true, tz: "Europe/Berlin" },
      { platformUserId: "UEXT", displayName: "Jane Outside", external: true },
    ];
    const skipped = await w.service.syncRoster(ws, people, { outsiders: "skip" });
    expect(skipped).toEqual({ teammates: 1, contacts: 0, adoptedTimezone: "Europe/Berlin" });
    expect(ws.timezone).toBe("Europe/Berlin");
    expect((await w.store.getWorkspace(ws.id))?.timezone).toBe("Europe/Berlin");
    expect(await w.store.findContactByPlatformUser(ws.id, "UEXT")).toBeNull();
    expect(invalidate).toHaveBeenCalledWith(ws.id);

    const again = await w.service.syncRoster(ws, people, { outsiders: "contacts" });
    expect(again).toEqual({ teammates: 1, contacts: 1, adoptedTimezone: null });
    expect((await w.store.findContactByPlatformUser(ws.id, "UEXT"))?.displayName).toBe("Jane Outside");
    expect((await w.store.getMember(ws.id, "UDEE"))?.isAdmin).toBe(true);
  });

  it("the home view asks about a candidate only the name tagger found as the prompt did", async () => {
    const ann = await member("UANN");
    const askAbout = async (name: string, aliases: Array<{ kind: "name" | "email"; value: string }>) => {
      const c = await w.store.createContact(
        w.ws.id,
        { displayName: name, status: "candidate" },
        aliases.map((a) => ({ kind: a.kind, normalized: a.value.toLowerCase(), display: a.value })),
      );
      const n = await w.store.createNudge(w.ws.id, { memberId: ann.id, contactId: c.id, kind: "candidate" });
      await w.store.transitionNudge(w.ws.id, n.id, ["pending"], { status: "sent", sentAt: w.clock.now() });
    };
    await askAbout("Thai Basil", [{ kind: "name", value: "Thai Basil" }]);
    await askAbout("Dana Cruz", [
      { kind: "name", value: "Dana Cruz" },
      { kind: "email", value: "dana@partner.io" },
    ]);
    const home = await w.service.home(w.ws, ann);
    const questions = home.prompts.map((p) => (p.kind === "candidate" ? p.question : p.kind));
    expect(questions).toEqual([
      "Is Thai Basil someone outside the team?",
      "Is Dana Cruz someone outside the company you'd like to meet?",
    ]);
  });

  it("the home view: paused until resumed, open prompts, lunches ahead with who else goes", async () => {
    const ann = await member("UANN");
    const run = async (text: string) =>
      w.service.execute(w.ws, await member("UANN"), parseCommand(text), { isAdmin: false });
    await run("track Jane Doe, jane@acme.com");
    const jane = await w.store.findContactByAlias(w.ws.id, "jane@acme.com");
    if (!jane) throw new Error("no contact");
    const nudge = await w.store.createNudge(w.ws.id, { memberId: ann.id, contactId: jane.id, kind: "lunch" });
    await w.store.transitionNudge(w.ws.id, nudge.id, ["pending"], { status: "sent", sentAt: w.clock.now() });
    const bo = await member("UBO");
    await w.service.planLunch(w.ws, ann, {
      contactId: jane.id,
      on: { year: 2026, month: 11, day: 24 },
      withUserIds: ["UBO"],
    });
    await run("pause");

    const home = await w.service.home(w.ws, await member("UANN"));
    expect(home).toMatchObject({ optedOut: false, paused: true, pausedUntil: null });
    expect(
      home.prompts.map((p) => [p.kind === "follow-up" ? null : p.nudgeId, p.contactName, p.kind]),
    ).toEqual([[nudge.id, "Jane Doe", "lunch"]]);
    expect(home.lunches.map((l) => [l.contactName, l.withNames])).toEqual([["Jane Doe", [bo.displayName]]]);
    expect(home.numbers).toMatchObject({
      days: 30,
      team: { lunchesPlanned: 1, lunchesHeld: 0 },
      mine: { prompts: 1, paused: true },
    });

    await run("resume");
    expect(await w.service.home(w.ws, await member("UANN"))).toMatchObject({
      paused: false,
      pausedUntil: null,
    });
  });
});
