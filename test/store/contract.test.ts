import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AliasInput, AppStore, MentionBase } from "../../src/core/ports.ts";
import { defaultSettings } from "../../src/core/settings.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";
import {
  type ContractStore,
  openContractStore,
  STORE_KINDS,
  type StoreKind,
} from "../helpers/store-kinds.ts";

// The store contract: one suite, run on the in-memory store and on every database. Each block gets
// a fresh store; each test makes its own workspaces, so tests don't see each other's rows.

const d = (iso: string) => new Date(iso);
/** Code-point order, as the expectations are written (locale order ignores punctuation). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const name = (normalized: string): AliasInput => ({ kind: "name", normalized, display: normalized });
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

let counter = 0;

/** Registers a fresh store for the enclosing describe block. */
function useStore(kind: StoreKind): () => ContractStore {
  let c: ContractStore | undefined;
  beforeAll(async () => {
    c = await openContractStore(kind);
  });
  afterAll(async () => {
    await c?.cleanup();
  });
  return () => {
    if (!c) throw new Error("store not open");
    return c;
  };
}

interface Team {
  ws: Workspace;
  ann: Member;
  bo: Member;
  cy: Member;
}

/** A workspace with three members. */
async function team(store: AppStore, platform: "slack" | "teams" = "slack"): Promise<Team> {
  const ws = await store.upsertWorkspace({ platform, externalId: `T${++counter}`, name: `Team ${counter}` });
  const [ann, bo, cy] = await Promise.all(
    ["UANN", "UBO", "UCY"].map((u) =>
      store.upsertMember(ws.id, { platformUserId: u, displayName: u.slice(1) }),
    ),
  );
  return { ws, ann: ann as Member, bo: bo as Member, cy: cy as Member };
}

function base(member: Member, at: string, channelId = "C1"): MentionBase {
  return { memberId: member.id, channelId, at: d(at), source: "message" };
}

async function contact(
  store: AppStore,
  wsId: string,
  display: string,
  status: Contact["status"] = "tracked",
) {
  return store.createContact(wsId, { displayName: display, status }, [name(display.toLowerCase())]);
}

describe.each(STORE_KINDS)("store contract on %s", (kind) => {
  describe("WorkspaceStore", () => {
    const s = useStore(kind);

    it("upserts by (platform, external id) with defaults, and revives without renaming to nothing", async () => {
      const { store } = s();
      const ws = await store.upsertWorkspace({ platform: "slack", externalId: "TW1" });
      expect(ws).toMatchObject({
        platform: "slack",
        externalId: "TW1",
        name: "",
        timezone: "UTC",
        digestChannel: null,
        digestDay: 1,
        digestHour: 9,
        uninstalledAt: null,
      });
      expect(ws.settings).toEqual(defaultSettings);
      const named = await store.upsertWorkspace({ platform: "slack", externalId: "TW1", name: "Acme" });
      expect(named.id).toBe(ws.id);
      expect(named.name).toBe("Acme");
      expect((await store.upsertWorkspace({ platform: "slack", externalId: "TW1" })).name).toBe("Acme");
      // Same external id on another platform is another workspace.
      const teams = await store.upsertWorkspace({
        platform: "teams",
        externalId: "TW1",
        timezone: "Europe/Paris",
      });
      expect(teams.id).not.toBe(ws.id);
      expect(teams.timezone).toBe("Europe/Paris");
      expect((await store.findWorkspace("teams", "TW1"))?.id).toBe(teams.id);
      expect((await store.findWorkspace("slack", "TW1"))?.id).toBe(ws.id);
      expect(await store.findWorkspace("slack", "nope")).toBeNull();
      expect((await store.getWorkspace(ws.id))?.name).toBe("Acme");
      expect(await store.getWorkspace("missing")).toBeNull();
    });

    it("upserting an uninstalled workspace installs it again", async () => {
      const c = s();
      const ws = await c.store.upsertWorkspace({ platform: "slack", externalId: "TW2" });
      await c.markUninstalled(ws.id, d("2026-01-01T00:00:00Z"));
      expect((await c.store.getWorkspace(ws.id))?.uninstalledAt?.toISOString()).toBe(
        "2026-01-01T00:00:00.000Z",
      );
      expect((await c.store.listActiveWorkspaces()).map((w) => w.id)).not.toContain(ws.id);
      expect(
        (await c.store.upsertWorkspace({ platform: "slack", externalId: "TW2" })).uninstalledAt,
      ).toBeNull();
      expect((await c.store.listActiveWorkspaces()).map((w) => w.id)).toContain(ws.id);
    });

    it("lists active workspaces oldest first, and knows when each was installed", async () => {
      const { store } = s();
      const before = Date.now();
      const a = await store.upsertWorkspace({ platform: "slack", externalId: "TW3" });
      await sleep(5);
      const b = await store.upsertWorkspace({ platform: "slack", externalId: "TW4" });
      const listed = (await store.listActiveWorkspaces()).map((w) => w.id);
      expect(listed.indexOf(a.id)).toBeLessThan(listed.indexOf(b.id));
      const times = await store.workspaceInstallTimes([a.id, b.id, "missing"]);
      expect([...times.keys()].sort()).toEqual([a.id, b.id].sort());
      const at = times.get(a.id)?.getTime() ?? 0;
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(times.get(b.id)?.getTime() ?? 0);
      expect((await store.workspaceInstallTimes([])).size).toBe(0);
    });

    it("updates fields and settings; an unknown workspace is refused", async () => {
      const { store } = s();
      const ws = await store.upsertWorkspace({ platform: "slack", externalId: "TW5" });
      const settings = { ...defaultSettings, mentionThreshold: 7, internalDomains: ["acme.com"] };
      const updated = await store.updateWorkspace(ws.id, {
        digestChannel: "C9",
        digestDay: 5,
        digestHour: 16,
        timezone: "Asia/Kolkata",
        settings,
      });
      expect(updated).toMatchObject({
        digestChannel: "C9",
        digestDay: 5,
        digestHour: 16,
        timezone: "Asia/Kolkata",
      });
      expect((await store.getWorkspace(ws.id))?.settings).toEqual(settings);
      // Only what the patch names changes; null clears.
      const cleared = await store.updateWorkspace(ws.id, { digestChannel: null });
      expect(cleared).toMatchObject({ digestChannel: null, digestDay: 5, timezone: "Asia/Kolkata" });
      expect(cleared.settings.mentionThreshold).toBe(7);
      await expect(store.updateWorkspace("missing", { name: "x" })).rejects.toThrow();
    });

    it("deleting a workspace removes everything in it and nothing in another", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      for (const t of [a, b]) {
        const jane = await contact(store, t.ws.id, "Jane Doe");
        await store.replaceMentions(t.ws.id, "C1:1", base(t.ann, "2026-11-10T10:00:00Z"), [jane.id]);
        await store.createNudge(t.ws.id, { memberId: t.ann.id, contactId: jane.id, kind: "lunch" });
        await store.createLunch(t.ws.id, {
          contactId: jane.id,
          organizerId: t.ann.id,
          attendeeIds: [t.bo.id],
          scheduledFor: d("2026-11-20T12:00:00Z"),
          place: null,
          status: "scheduled",
          followUpAt: null,
        });
        await store.recordMeeting(t.ws.id, {
          contactId: jane.id,
          memberId: t.ann.id,
          metAt: d("2026-11-01T12:00:00Z"),
          source: "command",
        });
        await store.claimDigest(t.ws.id, "2026-W47", "C1", d("2026-11-16T09:00:00Z"), 60_000);
        await store.recordEvent(`ev-${t.ws.id}`, t.ws.id, "{}");
        await store.saveChannel(t.ws.id, "C1", "general", "{}");
        await store.saveInstallation(t.ws.id, {
          teamId: t.ws.externalId,
          enterpriseId: null,
          isEnterpriseInstall: false,
          botUserId: "UBOT",
          dataEnc: "v1.a.b.c",
        });
      }
      const mentionsBefore = await store.countMentions();
      await store.deleteWorkspace(a.ws.id);

      expect(await store.getWorkspace(a.ws.id)).toBeNull();
      expect(await store.listMembers(a.ws.id)).toEqual([]);
      expect(await store.listAliases(a.ws.id)).toEqual([]);
      expect(await store.countMentions(a.ws.id)).toBe(0);
      expect(await store.countMentions()).toBe(mentionsBefore - 1);
      expect(await store.listNudges(a.ws.id, {})).toEqual([]);
      expect(await store.listLunches(a.ws.id, {})).toEqual([]);
      expect(await store.getDigest(a.ws.id, "2026-W47")).toBeNull();
      expect(await store.recordEvent(`ev-${a.ws.id}`, null, "{}")).toBe(true);
      expect(await store.listChannels(a.ws.id)).toEqual([]);
      expect(await store.getInstallation(a.ws.id)).toBeNull();
      const data = await store.digestData(
        a.ws.id,
        { start: d("2026-10-01T00:00:00Z"), end: d("2026-12-01T00:00:00Z") },
        d("2026-01-01T00:00:00Z"),
        5,
      );
      expect(data).toEqual({
        weekContacts: [],
        coverageContacts: [],
        lunchesPlanned: [],
        lunchesHeld: [],
        meetings: [],
      });

      // b is whole.
      expect(await store.listMembers(b.ws.id)).toHaveLength(3);
      expect(await store.listAliases(b.ws.id)).toHaveLength(1);
      expect(await store.countMentions(b.ws.id)).toBe(1);
      expect(await store.listNudges(b.ws.id, {})).toHaveLength(1);
      expect(await store.listLunches(b.ws.id, {})).toHaveLength(1);
      expect(await store.getDigest(b.ws.id, "2026-W47")).not.toBeNull();
      expect(await store.recordEvent(`ev-${b.ws.id}`, null, "{}")).toBe(false);
      expect(await store.listChannels(b.ws.id)).toHaveLength(1);
      expect(await store.getInstallation(b.ws.id)).not.toBeNull();
      await store.deleteWorkspace("missing");
    });
  });

  describe("MemberStore", () => {
    const s = useStore(kind);

    it("upserts members: creates with defaults, updates only the fields given", async () => {
      const { store } = s();
      const { ws } = await team(store);
      const m = await store.upsertMember(ws.id, { platformUserId: "UDEE" });
      expect(m).toMatchObject({
        workspaceId: ws.id,
        platformUserId: "UDEE",
        displayName: "",
        realName: "",
        email: null,
        tz: null,
        isBot: false,
        isAdmin: false,
        isInstaller: false,
        optedOut: false,
        paused: false,
        pausedUntil: null,
        dmRef: null,
      });
      const again = await store.upsertMember(ws.id, {
        platformUserId: "UDEE",
        displayName: "Dee",
        email: "dee@x.example",
        isAdmin: true,
      });
      expect(again).toMatchObject({ id: m.id, displayName: "Dee", email: "dee@x.example", isAdmin: true });
      const partial = await store.upsertMember(ws.id, { platformUserId: "UDEE", tz: "Europe/Berlin" });
      expect(partial).toMatchObject({
        displayName: "Dee",
        email: "dee@x.example",
        tz: "Europe/Berlin",
        isAdmin: true,
      });
      expect(await store.upsertMember(ws.id, { platformUserId: "UDEE", email: null })).toMatchObject({
        email: null,
      });
      // Concurrent first sightings make one row.
      const many = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.upsertMember(ws.id, { platformUserId: "UNEW", displayName: "N" }),
        ),
      );
      expect(new Set(many.map((x) => x.id)).size).toBe(1);
    });

    it("keeps the installer mark through the upserts a roster sync makes", async () => {
      const { store } = s();
      const { ws, bo } = await team(store);
      const marked = await store.updateMember(ws.id, bo.id, { isInstaller: true });
      expect(marked).toMatchObject({ isInstaller: true, isAdmin: false });
      // What users.list says about Bo, every field the roster sends (not an admin).
      const synced = await store.upsertMember(ws.id, {
        platformUserId: "UBO",
        displayName: "Bo Renamed",
        realName: "Bo Chen",
        handle: "bo",
        email: "bo@x.example",
        tz: "Europe/Berlin",
        isBot: false,
        isAdmin: false,
      });
      expect(synced).toMatchObject({ displayName: "Bo Renamed", isAdmin: false, isInstaller: true });
      expect(await store.getMember(ws.id, "UBO")).toMatchObject({ isInstaller: true });
      expect((await store.listMembers(ws.id)).filter((m) => m.isInstaller).map((m) => m.id)).toEqual([bo.id]);
    });

    it("reads members by platform id, by id and in bulk, within their workspace only", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      expect((await store.getMember(a.ws.id, "UANN"))?.id).toBe(a.ann.id);
      expect((await store.getMember(b.ws.id, "UANN"))?.id).toBe(b.ann.id);
      expect(await store.getMember(a.ws.id, "UNONE")).toBeNull();
      expect((await store.getMemberById(a.ws.id, a.bo.id))?.platformUserId).toBe("UBO");
      expect(await store.getMemberById(a.ws.id, b.bo.id)).toBeNull();
      expect(ids(await store.getMembers(a.ws.id, ["UANN", "UCY", "UNONE"]))).toEqual(ids([a.ann, a.cy]));
      expect(await store.getMembers(a.ws.id, [])).toEqual([]);
      expect((await store.listMembers(a.ws.id)).map((m) => m.platformUserId)).toEqual(["UANN", "UBO", "UCY"]);
    });

    it("counts members per workspace", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      await store.upsertMember(b.ws.id, { platformUserId: "UDEE" });
      const counts = await store.memberCounts();
      expect(counts.get(a.ws.id)).toBe(3);
      expect(counts.get(b.ws.id)).toBe(4);
    });

    it("updates a member in its workspace; another workspace's id is refused", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const paused = await store.updateMember(a.ws.id, a.ann.id, {
        paused: true,
        pausedUntil: d("2026-12-01T00:00:00Z"),
        dmRef: "D1",
        isAdmin: true,
      });
      expect(paused).toMatchObject({ paused: true, dmRef: "D1", isAdmin: true });
      expect(paused.pausedUntil?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
      expect(await store.updateMember(a.ws.id, a.ann.id, { pausedUntil: null })).toMatchObject({
        paused: true,
        pausedUntil: null,
        dmRef: "D1",
      });
      expect(await store.updateMember(a.ws.id, a.ann.id, { paused: false })).toMatchObject({
        paused: false,
        pausedUntil: null,
      });
      await expect(store.updateMember(a.ws.id, b.ann.id, { optedOut: true })).rejects.toThrow();
      expect((await store.getMemberById(b.ws.id, b.ann.id))?.optedOut).toBe(false);
    });

    it("forget-me wipes the member, everything about them, and keeps them untracked", async () => {
      const { store } = s();
      const t = await team(store);
      const other = await team(store);
      const jane = await contact(store, t.ws.id, "Jane Doe");
      await store.upsertMember(t.ws.id, {
        platformUserId: "UANN",
        realName: "Ann Smith",
        email: "ann@x.example",
      });
      await store.updateMember(t.ws.id, t.ann.id, {
        dmRef: "D1",
        paused: true,
        pausedUntil: d("2027-01-01T00:00:00Z"),
      });
      await store.replaceMentions(t.ws.id, "C1:1", base(t.ann, "2026-11-10T10:00:00Z"), [jane.id]);
      await store.replaceMentions(t.ws.id, "C1:2", base(t.bo, "2026-11-10T10:00:00Z"), [jane.id]);
      await store.createNudge(t.ws.id, { memberId: t.ann.id, contactId: jane.id, kind: "lunch" });
      await store.createNudge(t.ws.id, { memberId: t.bo.id, contactId: jane.id, kind: "lunch" });
      const organized = await store.createLunch(t.ws.id, {
        contactId: jane.id,
        organizerId: t.ann.id,
        attendeeIds: [t.bo.id],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
      });
      const attended = await store.createLunch(t.ws.id, {
        contactId: jane.id,
        organizerId: t.bo.id,
        attendeeIds: [t.ann.id, t.cy.id],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
      });
      await store.recordMeeting(t.ws.id, {
        contactId: jane.id,
        memberId: t.ann.id,
        metAt: d("2026-11-01T00:00:00Z"),
        source: "button",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: jane.id,
        memberId: t.bo.id,
        metAt: d("2026-11-02T00:00:00Z"),
        source: "button",
      });

      await store.forgetMember(t.ws.id, t.ann.id);

      expect(await store.getMemberById(t.ws.id, t.ann.id)).toMatchObject({
        platformUserId: "UANN",
        displayName: "",
        realName: "",
        email: null,
        tz: null,
        dmRef: null,
        paused: false,
        pausedUntil: null,
        optedOut: true,
      });
      expect(await store.mentionEvents(t.ws.id, d("2026-01-01T00:00:00Z"))).toEqual([
        { memberId: t.bo.id, contactId: jane.id, at: d("2026-11-10T10:00:00Z") },
      ]);
      expect((await store.listNudges(t.ws.id, {})).map((n) => n.memberId)).toEqual([t.bo.id]);
      expect(await store.getLunch(t.ws.id, organized.id)).toBeNull();
      expect((await store.getLunch(t.ws.id, attended.id))?.attendeeIds).toEqual([t.cy.id]);
      const data = await store.digestData(
        t.ws.id,
        { start: d("2026-10-26T00:00:00Z"), end: d("2026-11-09T00:00:00Z") },
        d("2026-01-01T00:00:00Z"),
        5,
      );
      expect(data.meetings).toEqual([{ memberName: "BO", contactNames: ["Jane Doe"] }]);
      // The tombstone stays: a roster sync doesn't bring the profile back, new mentions aren't stored.
      expect(await store.upsertMember(t.ws.id, { platformUserId: "UANN", displayName: "Ann" })).toMatchObject(
        {
          displayName: "",
          optedOut: true,
        },
      );
      expect(
        await store.replaceMentions(t.ws.id, "C1:3", base(t.ann, "2026-11-11T10:00:00Z"), [jane.id]),
      ).toEqual({
        added: 0,
        removed: 0,
      });
      expect(
        await store.replaceMentionsBatch(t.ws.id, [
          { messageId: "C1:4", base: base(t.ann, "2026-11-11T10:00:00Z"), contactIds: [jane.id] },
          { messageId: "C1:5", base: base(t.bo, "2026-11-11T10:00:00Z"), contactIds: [jane.id] },
        ]),
      ).toEqual([
        { added: 0, removed: 0 },
        { added: 1, removed: 0 },
      ]);
      expect(await store.countMentions(t.ws.id)).toBe(2);
      // The other workspace's Ann is untouched.
      expect((await store.getMemberById(other.ws.id, other.ann.id))?.optedOut).toBe(false);
    });
  });

  describe("ContactStore", () => {
    const s = useStore(kind);

    it("creates a contact with its aliases once each, dropping empty and repeated spellings", async () => {
      const { store } = s();
      const { ws } = await team(store);
      const c = await store.createContact(
        ws.id,
        { displayName: "Jane Doe", status: "candidate", organization: "Acme", platformUserId: "UEXT1" },
        [
          name("jane doe"),
          { kind: "email", normalized: "jane@acme.com", display: "Jane@Acme.com" },
          name("jane doe"),
          name(""),
        ],
      );
      expect(c).toMatchObject({
        workspaceId: ws.id,
        displayName: "Jane Doe",
        status: "candidate",
        organization: "Acme",
        platformUserId: "UEXT1",
        lastMetAt: null,
      });
      const aliases = (await store.listAliases(ws.id)).sort((x, y) => cmp(x.normalized, y.normalized));
      expect(aliases).toEqual([
        { contactId: c.id, kind: "name", normalized: "jane doe", display: "jane doe", status: "candidate" },
        {
          contactId: c.id,
          kind: "email",
          normalized: "jane@acme.com",
          display: "Jane@Acme.com",
          status: "candidate",
        },
      ]);
      expect((await store.findContactByAlias(ws.id, "jane@acme.com"))?.id).toBe(c.id);
      expect(await store.findContactByAlias(ws.id, "nobody")).toBeNull();
      expect((await store.findContactByPlatformUser(ws.id, "UEXT1"))?.id).toBe(c.id);
      expect(await store.findContactByPlatformUser(ws.id, "UEXT2")).toBeNull();
      expect(await store.getContact(ws.id, c.id)).toEqual(c);
      expect(await store.getContacts(ws.id, [c.id, "missing"])).toEqual([c]);
      expect(await store.getContacts(ws.id, [])).toEqual([]);
      // Contacts without a platform id don't clash with each other.
      const x = await store.createContact(ws.id, { displayName: "X", status: "tracked" }, [name("x")]);
      const y = await store.createContact(ws.id, { displayName: "Y", status: "tracked" }, [name("y")]);
      expect(x.id).not.toBe(y.id);
      expect(x.platformUserId).toBeNull();
    });

    it("a second contact with a taken alias or platform id is the first one; racing creators get one contact", async () => {
      const { store } = s();
      const { ws } = await team(store);
      const first = await store.createContact(ws.id, { displayName: "Jane", status: "candidate" }, [
        name("jane"),
      ]);
      const byAlias = await store.createContact(ws.id, { displayName: "Jane D", status: "tracked" }, [
        name("jane d"),
        name("jane"),
      ]);
      expect(byAlias.id).toBe(first.id);
      expect(await store.findContactByAlias(ws.id, "jane d")).toBeNull();
      const guest = await store.createContact(
        ws.id,
        { displayName: "Guest", status: "candidate", platformUserId: "UG" },
        [name("guest")],
      );
      const again = await store.createContact(
        ws.id,
        { displayName: "Guest 2", status: "candidate", platformUserId: "UG" },
        [name("guest two")],
      );
      expect(again.id).toBe(guest.id);
      const raced = await Promise.all(
        Array.from({ length: 6 }, () =>
          store.createContact(ws.id, { displayName: "Race", status: "candidate" }, [name("race")]),
        ),
      );
      expect(new Set(raced.map((c) => c.id)).size).toBe(1);
      expect((await store.listAliases(ws.id)).filter((a) => a.normalized === "race")).toHaveLength(1);
      // Aliases are unique per workspace, not globally.
      const other = await team(store);
      const there = await store.createContact(other.ws.id, { displayName: "Jane", status: "tracked" }, [
        name("jane"),
      ]);
      expect(there.id).not.toBe(first.id);
      expect((await store.findContactByAlias(other.ws.id, "jane"))?.id).toBe(there.id);
      expect((await store.findContactByAlias(ws.id, "jane"))?.id).toBe(first.id);
    });

    it("adds aliases, reporting the ones another contact holds", async () => {
      const { store } = s();
      const { ws } = await team(store);
      const jane = await contact(store, ws.id, "Jane");
      const bob = await contact(store, ws.id, "Bob");
      const result = await store.addAliases(ws.id, jane.id, [
        name("jd"),
        name("jd"),
        name("jane"),
        name("bob"),
        name(""),
        { kind: "handle", normalized: "@jane", display: "@jane" },
      ]);
      expect(result).toEqual({ added: 2, conflicts: [{ normalized: "bob", contactId: bob.id }] });
      expect((await store.findContactByAlias(ws.id, "@jane"))?.id).toBe(jane.id);
      expect((await store.findContactByAlias(ws.id, "bob"))?.id).toBe(bob.id);
      expect(await store.addAliases(ws.id, jane.id, [name("jd")])).toEqual({ added: 0, conflicts: [] });
      await expect(store.addAliases(ws.id, "missing-contact", [name("ghost")])).rejects.toThrow();
    });

    it("updates a contact in its workspace; a taken platform id or another workspace's id is refused", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const jane = await contact(store, a.ws.id, "Jane");
      await store.createContact(
        a.ws.id,
        { displayName: "Held", status: "tracked", platformUserId: "UHELD" },
        [],
      );
      const updated = await store.updateContact(a.ws.id, jane.id, {
        status: "ignored",
        displayName: "Jane Doe",
        organization: "Acme",
      });
      expect(updated).toMatchObject({
        id: jane.id,
        status: "ignored",
        displayName: "Jane Doe",
        organization: "Acme",
      });
      expect((await store.listAliases(a.ws.id)).find((x) => x.contactId === jane.id)?.status).toBe("ignored");
      expect(await store.updateContact(a.ws.id, jane.id, { organization: null })).toMatchObject({
        organization: null,
        status: "ignored",
      });
      await expect(store.updateContact(a.ws.id, jane.id, { platformUserId: "UHELD" })).rejects.toThrow();
      const bJane = await contact(store, b.ws.id, "Jane");
      await expect(store.updateContact(a.ws.id, bJane.id, { status: "ignored" })).rejects.toThrow();
      expect((await store.getContact(b.ws.id, bJane.id))?.status).toBe("tracked");
      expect(await store.getContact(a.ws.id, bJane.id)).toBeNull();
    });

    it("merges contacts: aliases, mentions (once per message), prompts, lunches and meetings move over", async () => {
      const { store } = s();
      const t = await team(store);
      const into = await store.createContact(t.ws.id, { displayName: "Jane Doe", status: "candidate" }, [
        name("jane doe"),
      ]);
      const from1 = await store.createContact(
        t.ws.id,
        { displayName: "Jane", status: "tracked", organization: "Acme", platformUserId: "UJANE" },
        [name("jane")],
      );
      const from2 = await store.createContact(t.ws.id, { displayName: "JD", status: "candidate" }, [
        name("jd"),
      ]);
      await store.recordMeeting(t.ws.id, {
        contactId: from1.id,
        memberId: t.ann.id,
        metAt: d("2026-10-01T00:00:00Z"),
        source: "command",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: into.id,
        memberId: t.bo.id,
        metAt: d("2026-09-01T00:00:00Z"),
        source: "command",
      });
      const at = "2026-11-10T10:00:00Z";
      // C1:1 mentions all three spellings; C1:2 only one of the merged ones.
      await store.replaceMentions(t.ws.id, "C1:1", base(t.ann, at), [into.id, from1.id, from2.id]);
      await store.replaceMentions(t.ws.id, "C1:2", base(t.bo, at), [from2.id]);
      await store.replaceMentions(t.ws.id, "C1:3", base(t.bo, at), [from1.id, from2.id]);
      const nudge = await store.createNudge(t.ws.id, {
        memberId: t.ann.id,
        contactId: from1.id,
        kind: "lunch",
      });
      const lunch = await store.createLunch(t.ws.id, {
        contactId: from2.id,
        organizerId: t.ann.id,
        attendeeIds: [],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
      });

      await store.mergeContacts(t.ws.id, into.id, [from1.id, from2.id, into.id]);

      expect(await store.getContact(t.ws.id, from1.id)).toBeNull();
      expect(await store.getContact(t.ws.id, from2.id)).toBeNull();
      const merged = await store.getContact(t.ws.id, into.id);
      expect(merged).toMatchObject({
        displayName: "Jane Doe",
        status: "tracked",
        organization: "Acme",
        platformUserId: "UJANE",
      });
      expect(merged?.lastMetAt?.toISOString()).toBe("2026-10-01T00:00:00.000Z");
      expect(new Set((await store.listAliases(t.ws.id)).map((a) => a.contactId))).toEqual(new Set([into.id]));
      expect((await store.findContactByPlatformUser(t.ws.id, "UJANE"))?.id).toBe(into.id);
      const events = await store.mentionEvents(t.ws.id, d("2026-01-01T00:00:00Z"));
      expect(events).toHaveLength(3);
      expect(new Set(events.map((e) => e.contactId))).toEqual(new Set([into.id]));
      expect((await store.getNudge(t.ws.id, nudge.id))?.contactId).toBe(into.id);
      expect((await store.getLunch(t.ws.id, lunch.id))?.contactId).toBe(into.id);
      const stats = await store.listContactStats(t.ws.id, { since: d("2026-01-01T00:00:00Z") });
      expect(stats.map((x) => [x.contact.id, x.mentions, x.teammates])).toEqual([[into.id, 3, 2]]);
      // Nothing to merge is a no-op; a missing target is refused.
      await store.mergeContacts(t.ws.id, into.id, [into.id]);
      await expect(store.mergeContacts(t.ws.id, "missing", [into.id])).rejects.toThrow();
      expect(await store.getContact(t.ws.id, into.id)).not.toBeNull();
    });

    it("ranks contacts by mentions since a date, with teammates, last mention, and filters", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const bob = await contact(store, t.ws.id, "Bob", "candidate");
      const old = await contact(store, t.ws.id, "Old");
      let n = 0;
      const say = (m: Member, at: string, cs: Contact[]) =>
        store.replaceMentions(
          t.ws.id,
          `C1:${++n}`,
          base(m, at),
          cs.map((c) => c.id),
        );
      await say(t.ann, "2026-11-10T10:00:00Z", [jane, bob]);
      await say(t.ann, "2026-11-11T10:00:00Z", [jane]);
      await say(t.bo, "2026-11-12T10:00:00Z", [jane]);
      await say(t.bo, "2026-11-12T11:00:00Z", [bob]);
      await say(t.cy, "2026-11-13T10:00:00Z", [bob]);
      await say(t.cy, "2026-11-14T10:00:00Z", [bob]);
      await say(t.ann, "2026-01-01T10:00:00Z", [old, jane]);
      const since = d("2026-11-01T00:00:00Z");

      const all = await store.listContactStats(t.ws.id, { since });
      expect(
        all.map((x) => [x.contact.displayName, x.mentions, x.teammates, x.lastMentionAt?.toISOString()]),
      ).toEqual([
        ["Bob", 4, 3, "2026-11-14T10:00:00.000Z"],
        ["Jane", 3, 2, "2026-11-12T10:00:00.000Z"],
      ]);
      expect((await store.listContactStats(t.ws.id, { since, limit: 1 })).map((x) => x.contact.id)).toEqual([
        bob.id,
      ]);
      expect(
        (await store.listContactStats(t.ws.id, { since, status: "tracked" })).map((x) => x.contact.id),
      ).toEqual([jane.id]);
      // A member's own view counts their mentions; teammates still counts everyone who talked about them.
      const mine = await store.listContactStats(t.ws.id, { since, memberId: t.ann.id });
      expect(mine.map((x) => [x.contact.displayName, x.mentions, x.teammates])).toEqual([
        ["Jane", 2, 2],
        ["Bob", 1, 3],
      ]);
      expect(
        (await store.listContactStats(t.ws.id, { since: d("2025-01-01T00:00:00Z") }))
          .map((x) => `${x.contact.displayName} ${x.mentions}`)
          .sort(),
      ).toEqual(["Bob 4", "Jane 4", "Old 1"]);
      // Only the contacts asked for (a review's rows), with the same counts.
      expect(
        (await store.listContactStats(t.ws.id, { since, contactIds: [jane.id, old.id] })).map((x) => [
          x.contact.displayName,
          x.mentions,
          x.teammates,
        ]),
      ).toEqual([["Jane", 3, 2]]);
      const other = await team(store);
      expect(await store.listContactStats(other.ws.id, { since })).toEqual([]);
    });

    it("records meetings; last met only moves forward", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      await store.recordMeeting(t.ws.id, {
        contactId: jane.id,
        memberId: t.ann.id,
        metAt: d("2026-11-10T12:00:00Z"),
        source: "lunch",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: jane.id,
        memberId: t.bo.id,
        metAt: d("2026-11-01T12:00:00Z"),
        source: "button",
        lunchId: null,
      });
      expect((await store.getContact(t.ws.id, jane.id))?.lastMetAt?.toISOString()).toBe(
        "2026-11-10T12:00:00.000Z",
      );
      await store.recordMeeting(t.ws.id, {
        contactId: jane.id,
        memberId: t.cy.id,
        metAt: d("2026-11-12T12:00:00Z"),
        source: "command",
      });
      expect((await store.getContact(t.ws.id, jane.id))?.lastMetAt?.toISOString()).toBe(
        "2026-11-12T12:00:00.000Z",
      );
      await expect(
        store.recordMeeting(t.ws.id, {
          contactId: "missing",
          memberId: t.ann.id,
          metAt: d("2026-11-12T12:00:00Z"),
          source: "command",
        }),
      ).rejects.toThrow();
    });
  });

  describe("MentionStore", () => {
    const s = useStore(kind);

    it("makes a message's mentions exactly its contacts: idempotent, edits replace, one row per (message, contact)", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, bob, cy] = await Promise.all(
        ["Jane", "Bob", "Cyd"].map((x) => contact(store, t.ws.id, x)),
      );
      const b = base(t.ann, "2026-11-10T10:00:00Z");
      expect(await store.replaceMentions(t.ws.id, "C1:1", b, [jane!.id, bob!.id, jane!.id])).toEqual({
        added: 2,
        removed: 0,
      });
      expect(await store.replaceMentions(t.ws.id, "C1:1", b, [bob!.id, jane!.id])).toEqual({
        added: 0,
        removed: 0,
      });
      expect(await store.replaceMentions(t.ws.id, "C1:1", b, [bob!.id, cy!.id])).toEqual({
        added: 1,
        removed: 1,
      });
      expect(await store.countMentions(t.ws.id)).toBe(2);
      // The same message id in another workspace is another message.
      const other = await team(store);
      const oJane = await contact(store, other.ws.id, "Jane");
      expect(
        await store.replaceMentions(other.ws.id, "C1:1", base(other.ann, "2026-11-10T10:00:00Z"), [oJane.id]),
      ).toEqual({
        added: 1,
        removed: 0,
      });
      expect(await store.countMentions(t.ws.id)).toBe(2);
      // No contacts left: the message's mentions go.
      expect(await store.replaceMentions(t.ws.id, "C1:1", b, [])).toEqual({ added: 0, removed: 2 });
      expect(await store.countMentions(t.ws.id)).toBe(0);
      expect(await store.countMentions(other.ws.id)).toBe(1);
      // Concurrent deliveries of one message store it once.
      const res = await Promise.all(
        Array.from({ length: 5 }, () => store.replaceMentions(t.ws.id, "C1:9", b, [jane!.id, bob!.id])),
      );
      expect(res.reduce((sum, r) => sum + r.added, 0)).toBe(2);
      expect(await store.countMentions(t.ws.id)).toBe(2);
    });

    it("replaces many messages at once; a message listed twice ends as its last item says", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, bob] = await Promise.all(["Jane", "Bob"].map((x) => contact(store, t.ws.id, x)));
      await store.replaceMentions(t.ws.id, "C1:1", base(t.ann, "2026-11-10T10:00:00Z"), [jane!.id]);
      const counts = await store.replaceMentionsBatch(t.ws.id, [
        { messageId: "C1:1", base: base(t.ann, "2026-11-10T10:00:00Z"), contactIds: [bob!.id] },
        { messageId: "C1:2", base: base(t.bo, "2026-11-10T11:00:00Z"), contactIds: [jane!.id] },
        { messageId: "C1:3", base: base(t.cy, "2026-11-10T12:00:00Z"), contactIds: [jane!.id, bob!.id] },
        { messageId: "C1:2", base: base(t.bo, "2026-11-10T11:00:00Z"), contactIds: [jane!.id, bob!.id] },
        { messageId: "C1:4", base: base(t.cy, "2026-11-10T12:00:00Z"), contactIds: [] },
      ]);
      expect(counts).toEqual([
        { added: 1, removed: 1 },
        { added: 0, removed: 0 },
        { added: 2, removed: 0 },
        { added: 2, removed: 0 },
        { added: 0, removed: 0 },
      ]);
      const events = await store.mentionEvents(t.ws.id, d("2026-01-01T00:00:00Z"));
      expect(events).toHaveLength(5);
      expect(await store.replaceMentionsBatch(t.ws.id, [])).toEqual([]);
      expect(
        await store.replaceMentionsBatch(t.ws.id, [
          { messageId: "C1:3", base: base(t.cy, "2026-11-10T12:00:00Z"), contactIds: [] },
        ]),
      ).toEqual([{ added: 0, removed: 2 }]);
      expect(await store.deleteMentionsForMessage(t.ws.id, "C1:2")).toBe(2);
      expect(await store.deleteMentionsForMessage(t.ws.id, "C1:2")).toBe(0);
      expect(await store.countMentions(t.ws.id)).toBe(1);
    });

    it("tells when the nth latest mention of a workspace was made", async () => {
      const { store } = s();
      const t = await team(store);
      const other = await team(store);
      const jane = await contact(store, t.ws.id, "Jane Doe");
      const oJane = await contact(store, other.ws.id, "Jane Doe");
      expect(await store.nthLatestMentionAt(t.ws.id, 1)).toBeNull();
      const days = ["2026-11-01", "2026-11-03", "2026-11-02", "2026-11-05"];
      await store.replaceMentionsBatch(
        t.ws.id,
        days.map((d, i) => ({
          messageId: `C1:${i}`,
          base: base(t.ann, `${d}T10:00:00Z`),
          contactIds: [jane!.id],
        })),
      );
      // A later mention elsewhere is not this workspace's.
      await store.replaceMentions(other.ws.id, "C9:1", base(other.ann, "2026-11-30T10:00:00Z"), [oJane!.id]);
      expect((await store.nthLatestMentionAt(t.ws.id, 1))?.toISOString()).toBe("2026-11-05T10:00:00.000Z");
      expect((await store.nthLatestMentionAt(t.ws.id, 2))?.toISOString()).toBe("2026-11-03T10:00:00.000Z");
      expect((await store.nthLatestMentionAt(t.ws.id, 4))?.toISOString()).toBe("2026-11-01T10:00:00.000Z");
      expect(await store.nthLatestMentionAt(t.ws.id, 5)).toBeNull();
    });

    it("finds the contacts mentioned together in one message, within the workspace and the ids asked", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, jdoe, bob, cy] = await Promise.all(
        ["Jane Doe", "jdoe", "Bob", "Cyd"].map((x) => contact(store, t.ws.id, x, "candidate")),
      );
      const other = await team(store);
      const [oJane, oJdoe] = await Promise.all(
        ["Jane Doe", "jdoe"].map((x) => contact(store, other.ws.id, x)),
      );
      await store.replaceMentionsBatch(t.ws.id, [
        { messageId: "C1:1", base: base(t.ann, "2026-11-10T10:00:00Z"), contactIds: [jane!.id, jdoe!.id] },
        { messageId: "C1:2", base: base(t.bo, "2026-11-10T11:00:00Z"), contactIds: [jdoe!.id, jane!.id] },
        {
          messageId: "C1:3",
          base: base(t.cy, "2026-11-10T12:00:00Z"),
          contactIds: [bob!.id, cy!.id, jane!.id],
        },
        { messageId: "C1:4", base: base(t.cy, "2026-11-10T12:00:00Z"), contactIds: [bob!.id] },
      ]);
      // The same message id in another workspace is another message.
      await store.replaceMentions(other.ws.id, "C1:4", base(other.ann, "2026-11-10T10:00:00Z"), [
        oJane!.id,
        oJdoe!.id,
      ]);
      const pair = (a: string, b: string) => (a < b ? [a, b] : [b, a]);
      const sorted = (pairs: string[][]) => pairs.sort((x, y) => (x.join() < y.join() ? -1 : 1));
      expect(await store.coMentioned(t.ws.id, [jane!.id, jdoe!.id, bob!.id, cy!.id])).toEqual(
        sorted([
          pair(jane!.id, jdoe!.id),
          pair(bob!.id, cy!.id),
          pair(bob!.id, jane!.id),
          pair(cy!.id, jane!.id),
        ]),
      );
      expect(await store.coMentioned(t.ws.id, [jane!.id, bob!.id])).toEqual([pair(jane!.id, bob!.id)]);
      expect(await store.coMentioned(t.ws.id, [jdoe!.id])).toEqual([]);
      expect(await store.coMentioned(t.ws.id, [])).toEqual([]);
      expect(await store.coMentioned(t.ws.id, [oJane!.id, oJdoe!.id])).toEqual([]);
    });

    it("counts mentions per (member, contact) since a date, only after the contact was last met", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, bob] = await Promise.all(["Jane", "Bob"].map((x) => contact(store, t.ws.id, x)));
      let n = 0;
      const say = (m: Member, at: string, c: Contact) =>
        store.replaceMentions(t.ws.id, `C1:${++n}`, base(m, at), [c.id]);
      await say(t.ann, "2026-11-01T10:00:00Z", jane!);
      await say(t.ann, "2026-11-05T10:00:00Z", jane!);
      await say(t.ann, "2026-11-09T10:00:00Z", jane!);
      await say(t.bo, "2026-11-06T10:00:00Z", jane!);
      await say(t.bo, "2026-11-07T10:00:00Z", bob!);
      await say(t.cy, "2026-10-01T10:00:00Z", bob!);
      // Met Jane on the 5th at 10:00 exactly: that mention and earlier ones no longer count.
      await store.recordMeeting(t.ws.id, {
        contactId: jane!.id,
        memberId: t.cy.id,
        metAt: d("2026-11-05T10:00:00Z"),
        source: "command",
      });
      const counts = await store.mentionCounts(t.ws.id, d("2026-10-15T00:00:00Z"));
      const view = counts
        .map((c) => ({ ...c, firstAt: c.firstAt.toISOString(), lastAt: c.lastAt.toISOString() }))
        .sort((a, b) => cmp(`${a.memberId}${a.contactId}`, `${b.memberId}${b.contactId}`));
      const expected = [
        {
          memberId: t.ann.id,
          contactId: jane!.id,
          count: 1,
          firstAt: "2026-11-09T10:00:00.000Z",
          lastAt: "2026-11-09T10:00:00.000Z",
        },
        {
          memberId: t.bo.id,
          contactId: jane!.id,
          count: 1,
          firstAt: "2026-11-06T10:00:00.000Z",
          lastAt: "2026-11-06T10:00:00.000Z",
        },
        {
          memberId: t.bo.id,
          contactId: bob!.id,
          count: 1,
          firstAt: "2026-11-07T10:00:00.000Z",
          lastAt: "2026-11-07T10:00:00.000Z",
        },
      ].sort((a, b) => cmp(`${a.memberId}${a.contactId}`, `${b.memberId}${b.contactId}`));
      expect(view).toEqual(expected);
      // Before any meeting, everything since counts.
      const bobs = await store.mentionCounts(t.ws.id, d("2026-09-01T00:00:00Z"));
      expect(
        bobs
          .filter((c) => c.contactId === bob!.id)
          .map((c) => c.count)
          .sort(),
      ).toEqual([1, 1]);
      const events = await store.mentionEvents(t.ws.id, d("2026-11-06T00:00:00Z"));
      expect(events.map((e) => e.at.toISOString()).sort()).toEqual([
        "2026-11-06T10:00:00.000Z",
        "2026-11-07T10:00:00.000Z",
        "2026-11-09T10:00:00.000Z",
      ]);
      const other = await team(store);
      expect(await store.mentionCounts(other.ws.id, d("2026-01-01T00:00:00Z"))).toEqual([]);
      expect(await store.mentionEvents(other.ws.id, d("2026-01-01T00:00:00Z"))).toEqual([]);
    });

    it("deletes mentions older than a date, in one workspace or in all", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const ja = await contact(store, a.ws.id, "Jane");
      const jb = await contact(store, b.ws.id, "Jane");
      await store.replaceMentions(a.ws.id, "M1", base(a.ann, "2019-01-01T00:00:00Z"), [ja.id]);
      await store.replaceMentions(a.ws.id, "M2", base(a.ann, "2019-06-01T00:00:00Z"), [ja.id]);
      await store.replaceMentions(b.ws.id, "M1", base(b.ann, "2019-01-01T00:00:00Z"), [jb.id]);
      await store.replaceMentions(b.ws.id, "M3", base(b.ann, "2019-09-01T00:00:00Z"), [jb.id]);
      expect(await store.deleteMentionsBefore(d("2019-03-01T00:00:00Z"), a.ws.id)).toBe(1);
      expect(await store.countMentions(b.ws.id)).toBe(2);
      expect(await store.deleteMentionsBefore(d("2019-07-01T00:00:00Z"))).toBe(2);
      expect(await store.countMentions(a.ws.id)).toBe(0);
      expect(await store.countMentions(b.ws.id)).toBe(1);
    });
  });

  describe("PromptStore", () => {
    const s = useStore(kind);

    it("creates, reads and lists prompts with every filter, oldest first", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, bob] = await Promise.all(["Jane", "Bob"].map((x) => contact(store, t.ws.id, x)));
      const n1 = await store.createNudge(t.ws.id, {
        memberId: t.ann.id,
        contactId: jane!.id,
        kind: "lunch",
        createdAt: d("2026-11-02T10:00:00Z"),
      });
      const n2 = await store.createNudge(t.ws.id, {
        memberId: t.bo.id,
        contactId: bob!.id,
        kind: "candidate",
        createdAt: d("2026-11-01T10:00:00Z"),
      });
      const n3 = await store.createNudge(t.ws.id, {
        memberId: t.ann.id,
        contactId: bob!.id,
        kind: "lunch",
        createdAt: d("2026-11-03T10:00:00Z"),
      });
      expect(n1).toMatchObject({
        workspaceId: t.ws.id,
        status: "pending",
        kind: "lunch",
        sentAt: null,
        snoozeUntil: null,
        messageRef: null,
      });
      expect(n1.createdAt.toISOString()).toBe("2026-11-02T10:00:00.000Z");
      const now = Date.now();
      const fresh = await store.createNudge(t.ws.id, {
        memberId: t.cy.id,
        contactId: jane!.id,
        kind: "lunch",
      });
      expect(Math.abs(fresh.createdAt.getTime() - now)).toBeLessThan(5_000);
      expect(await store.getNudge(t.ws.id, n1.id)).toEqual(n1);
      const list = (q: Parameters<AppStore["listNudges"]>[1]) =>
        store.listNudges(t.ws.id, q).then((r) => r.map((x) => x.id));
      expect(await list({ before: d("2026-11-10T00:00:00Z") })).toEqual([n2.id, n1.id, n3.id]);
      expect(await list({ since: d("2026-11-02T10:00:00Z"), before: d("2026-11-03T10:00:00Z") })).toEqual([
        n1.id,
      ]);
      expect(await list({ memberId: t.ann.id })).toEqual([n1.id, n3.id]);
      expect(await list({ kind: "candidate" })).toEqual([n2.id]);
      expect(await list({ contactIds: [bob!.id], before: d("2026-11-10T00:00:00Z") })).toEqual([
        n2.id,
        n3.id,
      ]);
      expect(await list({ contactIds: [] })).toEqual([]);
      await store.transitionNudge(t.ws.id, n3.id, ["pending"], {
        status: "sent",
        sentAt: d("2026-11-03T10:00:01Z"),
      });
      expect(await list({ status: ["sent", "planned"] })).toEqual([n3.id]);
      expect(await list({ status: ["pending"], memberId: t.ann.id })).toEqual([n1.id]);
      await expect(
        store.createNudge(t.ws.id, { memberId: t.ann.id, contactId: "missing", kind: "lunch" }),
      ).rejects.toThrow();
    });

    it("transitions are compare-and-set: a double click or a retry applies once", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const n = await store.createNudge(t.ws.id, { memberId: t.ann.id, contactId: jane.id, kind: "lunch" });
      const sent = await store.transitionNudge(t.ws.id, n.id, ["pending"], {
        status: "sent",
        sentAt: d("2026-11-10T10:00:00Z"),
        messageRef: "D1:1",
      });
      expect(sent).toMatchObject({ id: n.id, status: "sent", messageRef: "D1:1" });
      expect(sent?.sentAt?.toISOString()).toBe("2026-11-10T10:00:00.000Z");
      expect(await store.transitionNudge(t.ws.id, n.id, ["pending"], { status: "sent" })).toBeNull();
      const clicks = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.transitionNudge(t.ws.id, n.id, ["sent"], { status: "planned" }),
        ),
      );
      expect(clicks.filter((c) => c !== null)).toHaveLength(1);
      const snoozed = await store.transitionNudge(t.ws.id, n.id, ["planned"], {
        status: "snoozed",
        snoozeUntil: d("2026-12-01T00:00:00Z"),
      });
      expect(snoozed).toMatchObject({ status: "snoozed", messageRef: "D1:1" });
      expect(snoozed?.snoozeUntil?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
      expect(
        await store.transitionNudge(t.ws.id, n.id, ["snoozed"], { status: "sent", snoozeUntil: null }),
      ).toMatchObject({
        snoozeUntil: null,
      });
      // Another workspace can neither read nor move it.
      const other = await team(store);
      expect(await store.getNudge(other.ws.id, n.id)).toBeNull();
      expect(await store.transitionNudge(other.ws.id, n.id, ["sent"], { status: "dismissed" })).toBeNull();
      expect((await store.getNudge(t.ws.id, n.id))?.status).toBe("sent");
      expect(await store.transitionNudge(t.ws.id, "missing", ["sent"], { status: "dismissed" })).toBeNull();
    });

    it("expires prompts sent before a date that nobody answered", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const mk = async (sentAt: string, status: "sent" | "planned") => {
        const n = await store.createNudge(t.ws.id, { memberId: t.ann.id, contactId: jane.id, kind: "lunch" });
        await store.transitionNudge(t.ws.id, n.id, ["pending"], { status: "sent", sentAt: d(sentAt) });
        if (status !== "sent") await store.transitionNudge(t.ws.id, n.id, ["sent"], { status });
        return n.id;
      };
      const old = await mk("2020-01-01T00:00:00Z", "sent");
      const answered = await mk("2020-01-01T00:00:00Z", "planned");
      const recent = await mk("2020-03-01T00:00:00Z", "sent");
      const pending = await store.createNudge(t.ws.id, {
        memberId: t.ann.id,
        contactId: jane.id,
        kind: "lunch",
      });
      expect(await store.expireNudges(d("2020-02-01T00:00:00Z"))).toBe(1);
      const status = async (id: string) => (await store.getNudge(t.ws.id, id))?.status;
      expect(await status(old)).toBe("expired");
      expect(await status(answered)).toBe("planned");
      expect(await status(recent)).toBe("sent");
      expect(await status(pending.id)).toBe("pending");
      expect(await store.expireNudges(d("2020-02-01T00:00:00Z"))).toBe(0);
    });
  });

  describe("ReviewStore", () => {
    const s = useStore(kind);

    it("opens one review per workspace and trigger, sends it once, and answers rows by compare-and-set", async () => {
      const { store } = s();
      const t = await team(store);
      const other = await team(store);
      const [jane, bob] = await Promise.all(["Jane", "Bob"].map((x) => contact(store, t.ws.id, x)));
      const items = [
        { contactId: jane!.id, decision: null },
        { contactId: bob!.id, decision: null },
      ];
      const review = await store.createReview(t.ws.id, { trigger: "import", items, recipients: [t.ann.id] });
      expect(review).toMatchObject({ trigger: "import", items, recipients: [t.ann.id], sentAt: null });
      // Once per trigger; another trigger, or another workspace, is another review.
      expect(await store.createReview(t.ws.id, { trigger: "import", items, recipients: [] })).toBeNull();
      await sleep(5);
      const install = await store.createReview(t.ws.id, { trigger: "install", items: [], recipients: [] });
      expect(install).not.toBeNull();
      expect(
        await store.createReview(other.ws.id, { trigger: "import", items: [], recipients: [] }),
      ).not.toBeNull();
      expect((await store.latestReview(t.ws.id))?.id).toBe(install!.id);
      expect(ids(await store.unsentReviews(t.ws.id))).toEqual(ids([review!, install!]));

      // Scoped: another workspace can't read, send or answer it.
      expect(await store.getReview(other.ws.id, review!.id)).toBeNull();
      expect(await store.markReviewSent(other.ws.id, review!.id, d("2026-11-18T10:00:00Z"))).toBe(false);
      expect(await store.markReviewSent(t.ws.id, review!.id, d("2026-11-18T10:00:00Z"))).toBe(true);
      expect(await store.markReviewSent(t.ws.id, review!.id, d("2026-11-18T11:00:00Z"))).toBe(false);
      expect((await store.getReview(t.ws.id, review!.id))?.sentAt?.toISOString()).toBe(
        "2026-11-18T10:00:00.000Z",
      );
      expect(ids(await store.unsentReviews(t.ws.id))).toEqual([install!.id]);

      const tracked = [{ contactId: jane!.id, decision: "track" as const }, items[1]!];
      expect(await store.updateReviewItems(other.ws.id, review!.id, items, tracked)).toBe(false);
      expect(await store.updateReviewItems(t.ws.id, review!.id, items, tracked)).toBe(true);
      // A second answer made from the same (now stale) rows loses.
      const ignored = [{ contactId: jane!.id, decision: "ignore" as const }, items[1]!];
      expect(await store.updateReviewItems(t.ws.id, review!.id, items, ignored)).toBe(false);
      expect((await store.getReview(t.ws.id, review!.id))?.items).toEqual(tracked);

      // The workspace's deletion takes its reviews.
      await store.deleteWorkspace(t.ws.id);
      expect(await store.getReview(t.ws.id, review!.id)).toBeNull();
      expect(await store.latestReview(other.ws.id)).not.toBeNull();
    });
  });

  describe("LunchStore", () => {
    const s = useStore(kind);

    it("creates and reads lunches; attendees once each, sorted", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const lunch = await store.createLunch(t.ws.id, {
        contactId: jane.id,
        organizerId: t.ann.id,
        attendeeIds: [t.cy.id, t.bo.id, t.cy.id],
        scheduledFor: d("2026-11-20T12:00:00Z"),
        place: "Luigi's",
        status: "scheduled",
        followUpAt: d("2026-11-20T15:00:00Z"),
      });
      expect(lunch).toMatchObject({
        workspaceId: t.ws.id,
        contactId: jane.id,
        organizerId: t.ann.id,
        attendeeIds: [t.bo.id, t.cy.id].sort(),
        place: "Luigi's",
        status: "scheduled",
        followUpSent: null,
      });
      expect(await store.getLunch(t.ws.id, lunch.id)).toEqual(lunch);
      const other = await team(store);
      expect(await store.getLunch(other.ws.id, lunch.id)).toBeNull();
      await expect(
        store.createLunch(t.ws.id, { ...lunch, contactId: "missing", attendeeIds: [] }),
      ).rejects.toThrow();
    });

    it("saves a lunch only from the status the writer saw (compare-and-set)", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const lunch = await store.createLunch(t.ws.id, {
        contactId: jane.id,
        organizerId: t.ann.id,
        attendeeIds: [t.bo.id],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
      });
      const scheduled = await store.saveLunch(
        t.ws.id,
        {
          ...lunch,
          status: "scheduled",
          scheduledFor: d("2026-11-20T12:00:00Z"),
          place: "Cafe",
          followUpAt: d("2026-11-20T15:00:00Z"),
        },
        "planned",
      );
      expect(scheduled).toMatchObject({ status: "scheduled", place: "Cafe", attendeeIds: [t.bo.id] });
      expect(scheduled?.scheduledFor?.toISOString()).toBe("2026-11-20T12:00:00.000Z");
      // A second writer that also saw "planned" loses.
      expect(await store.saveLunch(t.ws.id, { ...lunch, status: "cancelled" }, "planned")).toBeNull();
      const racers = await Promise.all(
        Array.from({ length: 4 }, () =>
          store.saveLunch(
            t.ws.id,
            {
              ...(scheduled as NonNullable<typeof scheduled>),
              status: "met",
              followUpSent: d("2026-11-21T00:00:00Z"),
            },
            "scheduled",
          ),
        ),
      );
      expect(racers.filter((r) => r !== null)).toHaveLength(1);
      const met = await store.getLunch(t.ws.id, lunch.id);
      expect(met?.status).toBe("met");
      expect(met?.followUpSent?.toISOString()).toBe("2026-11-21T00:00:00.000Z");
      const other = await team(store);
      expect(await store.saveLunch(other.ws.id, { ...lunch, status: "cancelled" }, "met")).toBeNull();
      expect((await store.getLunch(t.ws.id, lunch.id))?.status).toBe("met");
    });

    it("a saved lunch seats teammates it didn't have, and keeps the others", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const lunch = await store.createLunch(t.ws.id, {
        contactId: jane.id,
        organizerId: t.ann.id,
        attendeeIds: [],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
      });
      const dated = { ...lunch, status: "scheduled" as const, scheduledFor: d("2026-11-20T12:00:00Z") };
      expect(await store.saveLunch(t.ws.id, { ...dated, attendeeIds: [t.bo.id] }, "planned")).toMatchObject({
        attendeeIds: [t.bo.id],
      });
      expect(
        (await store.saveLunch(t.ws.id, { ...dated, attendeeIds: [] }, "scheduled"))?.attendeeIds,
      ).toEqual([t.bo.id]);
      expect((await store.listLunches(t.ws.id, { memberId: t.bo.id })).map((l) => l.id)).toEqual([lunch.id]);
    });

    it("lists lunches by status, member (organizer or attendee) and date range, by date", async () => {
      const { store } = s();
      const t = await team(store);
      const jane = await contact(store, t.ws.id, "Jane");
      const mk = (
        organizerId: string,
        attendeeIds: string[],
        when: string | null,
        status: "planned" | "scheduled" | "met",
      ) =>
        store.createLunch(t.ws.id, {
          contactId: jane.id,
          organizerId,
          attendeeIds,
          scheduledFor: when ? d(when) : null,
          place: null,
          status,
          followUpAt: null,
        });
      const l2 = await mk(t.ann.id, [t.bo.id], "2026-11-22T12:00:00Z", "scheduled");
      const l1 = await mk(t.bo.id, [], "2026-11-20T12:00:00Z", "scheduled");
      const l3 = await mk(t.cy.id, [t.ann.id], "2026-11-25T12:00:00Z", "met");
      const undated = await mk(t.cy.id, [], null, "planned");
      const list = (q: Parameters<AppStore["listLunches"]>[1]) =>
        store.listLunches(t.ws.id, q).then((r) => r.map((x) => x.id));
      expect((await list({})).sort()).toEqual([l1.id, l2.id, l3.id, undated.id].sort());
      expect(await list({ status: ["scheduled", "met"] })).toEqual([l1.id, l2.id, l3.id]);
      expect(await list({ memberId: t.ann.id })).toEqual([l2.id, l3.id]);
      expect(await list({ memberId: t.bo.id })).toEqual([l1.id, l2.id]);
      expect(await list({ from: d("2026-11-21T00:00:00Z") })).toEqual([l2.id, l3.id]);
      expect(await list({ from: d("2026-11-20T12:00:00Z"), to: d("2026-11-25T12:00:00Z") })).toEqual([
        l1.id,
        l2.id,
      ]);
      expect(await list({ status: ["planned"] })).toEqual([undated.id]);
      const other = await team(store);
      expect(await store.listLunches(other.ws.id, {})).toEqual([]);
    });

    it("finds due follow-ups in every installed workspace", async () => {
      const c = s();
      const { store } = c;
      const a = await team(store);
      const b = await team(store);
      const gone = await team(store);
      const mk = async (t: Team, followUpAt: string | null, status: "scheduled" | "met" = "scheduled") =>
        store.createLunch(t.ws.id, {
          contactId: (await contact(store, t.ws.id, `J${++counter}`)).id,
          organizerId: t.ann.id,
          attendeeIds: [],
          scheduledFor: d("2026-11-20T12:00:00Z"),
          place: null,
          status,
          followUpAt: followUpAt ? d(followUpAt) : null,
        });
      const due2 = await mk(a, "2026-11-20T16:00:00Z");
      const due1 = await mk(b, "2026-11-20T15:00:00Z");
      await mk(a, "2026-11-22T15:00:00Z");
      await mk(a, null);
      await mk(a, "2026-11-20T15:00:00Z", "met");
      const sent = await mk(b, "2026-11-20T15:00:00Z");
      await store.saveLunch(b.ws.id, { ...sent, followUpSent: d("2026-11-20T15:00:00Z") }, "scheduled");
      await mk(gone, "2026-11-20T15:00:00Z");
      await c.markUninstalled(gone.ws.id, d("2026-11-01T00:00:00Z"));
      const mine = new Set([a.ws.id, b.ws.id, gone.ws.id]);
      const due = (await store.dueFollowUps(d("2026-11-21T00:00:00Z"))).filter((l) =>
        mine.has(l.workspaceId),
      );
      expect(due.map((l) => l.id)).toEqual([due1.id, due2.id]);
    });
  });

  describe("DigestStore", () => {
    const s = useStore(kind);
    const week = { start: d("2026-11-16T00:00:00Z"), end: d("2026-11-23T00:00:00Z") };

    it("aggregates the week: tracked contacts, the week before, coverage, lunches and meetings", async () => {
      const { store } = s();
      const t = await team(store);
      const [jane, bob, cyd, dan] = await Promise.all([
        store.createContact(t.ws.id, { displayName: "Jane", status: "tracked", organization: "Acme" }, [
          name("jane"),
        ]),
        contact(store, t.ws.id, "Bob"),
        contact(store, t.ws.id, "Cyd"),
        contact(store, t.ws.id, "Dan", "candidate"),
      ]);
      let n = 0;
      const say = (m: Member, at: string, cs: Contact[]) =>
        store.replaceMentions(
          t.ws.id,
          `C1:${++n}`,
          base(m, at),
          cs.map((c) => c!.id),
        );
      // This week: Jane 3 (2 people), Bob 1, Dan 5 (not tracked); last week: Jane 1, Bob 2; Cyd long ago.
      await say(t.ann, "2026-11-16T10:00:00Z", [jane!, bob!, dan!]);
      await say(t.ann, "2026-11-17T10:00:00Z", [jane!, dan!]);
      await say(t.bo, "2026-11-18T10:00:00Z", [jane!, dan!]);
      await say(t.bo, "2026-11-19T10:00:00Z", [dan!]);
      await say(t.bo, "2026-11-20T10:00:00Z", [dan!]);
      await say(t.cy, "2026-11-23T00:00:00Z", [jane!]); // next week: out
      await say(t.cy, "2026-11-10T10:00:00Z", [jane!, bob!]);
      await say(t.cy, "2026-11-11T10:00:00Z", [bob!]);
      await say(t.cy, "2026-09-01T10:00:00Z", [cyd!]);
      await store.recordMeeting(t.ws.id, {
        contactId: bob!.id,
        memberId: t.ann.id,
        metAt: d("2026-11-17T12:00:00Z"),
        source: "lunch",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: jane!.id,
        memberId: t.ann.id,
        metAt: d("2026-11-18T12:00:00Z"),
        source: "button",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: bob!.id,
        memberId: t.ann.id,
        metAt: d("2026-11-19T12:00:00Z"),
        source: "button",
      });
      await store.recordMeeting(t.ws.id, {
        contactId: cyd!.id,
        memberId: t.bo.id,
        metAt: d("2026-11-10T12:00:00Z"),
        source: "button",
      });
      const lunch = (status: "scheduled" | "met" | "cancelled", when: string | null, place: string | null) =>
        store.createLunch(t.ws.id, {
          contactId: jane!.id,
          organizerId: t.bo.id,
          attendeeIds: [t.cy.id, t.ann.id],
          scheduledFor: when ? d(when) : null,
          place,
          status,
          followUpAt: null,
        });
      await lunch("scheduled", "2026-11-19T12:00:00Z", "Cafe");
      await lunch("met", "2026-11-17T12:00:00Z", null);
      await lunch("cancelled", "2026-11-18T12:00:00Z", null);
      await lunch("scheduled", "2026-12-10T12:00:00Z", null); // created now, scheduled later: out of this week

      const data = await store.digestData(t.ws.id, week, d("2026-08-01T00:00:00Z"), 2);
      expect(data.weekContacts).toEqual([
        {
          contactId: jane!.id,
          displayName: "Jane",
          organization: "Acme",
          status: "tracked",
          lastMetAt: d("2026-11-18T12:00:00Z"),
          mentions: 3,
          previousWeekMentions: 1,
          teammates: 2,
        },
        {
          contactId: bob!.id,
          displayName: "Bob",
          organization: null,
          status: "tracked",
          lastMetAt: d("2026-11-19T12:00:00Z"),
          mentions: 1,
          previousWeekMentions: 2,
          teammates: 1,
        },
      ]);
      expect(data.coverageContacts).toEqual([
        {
          contactId: jane!.id,
          displayName: "Jane",
          mentions: 4,
          lastMetAt: d("2026-11-18T12:00:00Z"),
          status: "tracked",
        },
        {
          contactId: bob!.id,
          displayName: "Bob",
          mentions: 3,
          lastMetAt: d("2026-11-19T12:00:00Z"),
          status: "tracked",
        },
      ]);
      expect(data.previousCoverageContacts).toBeUndefined();
      // An earlier window's coverage from the same scan says what a call for that window alone says.
      const earlier = { since: d("2026-07-25T00:00:00Z"), until: week.start };
      const both = await store.digestData(t.ws.id, week, d("2026-08-01T00:00:00Z"), 2, earlier);
      const alone = await store.digestData(
        t.ws.id,
        { start: d("2026-11-09T00:00:00Z"), end: week.start },
        earlier.since,
        2,
      );
      expect(both.coverageContacts).toEqual(data.coverageContacts);
      expect(both.previousCoverageContacts).toEqual(alone.coverageContacts);
      expect(both.previousCoverageContacts?.[0]).toMatchObject({ contactId: bob!.id, mentions: 2 });
      expect(both.previousCoverageContacts).toHaveLength(2);
      const sortNames = <T extends { attendeeNames: string[] }>(l: T) => ({
        ...l,
        attendeeNames: [...l.attendeeNames].sort(),
      });
      expect(data.lunchesPlanned.map(sortNames)).toEqual([
        {
          contactName: "Jane",
          organizerName: "BO",
          attendeeNames: ["ANN", "CY"],
          scheduledFor: d("2026-11-19T12:00:00Z"),
          place: "Cafe",
        },
      ]);
      expect(data.lunchesHeld.map(sortNames)).toEqual([
        {
          contactName: "Jane",
          organizerName: "BO",
          attendeeNames: ["ANN", "CY"],
          scheduledFor: d("2026-11-17T12:00:00Z"),
          place: null,
        },
      ]);
      expect(data.meetings).toEqual([{ memberName: "ANN", contactNames: ["Bob", "Jane"] }]);
      // topN bounds coverage; the week keeps up to 3×topN.
      const one = await store.digestData(t.ws.id, week, d("2026-08-01T00:00:00Z"), 1);
      expect(one.coverageContacts.map((c) => c.displayName)).toEqual(["Jane"]);
      expect(one.weekContacts.map((c) => c.displayName)).toEqual(["Jane", "Bob"]);
      // Nothing of this workspace shows in another.
      const other = await team(store);
      expect(await store.digestData(other.ws.id, week, d("2026-08-01T00:00:00Z"), 5)).toEqual({
        weekContacts: [],
        coverageContacts: [],
        lunchesPlanned: [],
        lunchesHeld: [],
        meetings: [],
      });
    });

    it("claims a week's digest once per workspace: claimed, in progress, stale, posted", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const t0 = d("2026-11-16T09:00:00Z");
      const later = (ms: number) => new Date(t0.getTime() + ms);
      const claims = await Promise.all(
        Array.from({ length: 4 }, () => store.claimDigest(a.ws.id, "2026-W47", "C1", t0, 60_000)),
      );
      expect(claims.sort()).toEqual(["claimed", "in-progress", "in-progress", "in-progress"]);
      expect(await store.getDigest(a.ws.id, "2026-W47")).toEqual({
        status: "claimed",
        postedAt: null,
        messageRef: null,
      });
      // Another week, another workspace: separate claims.
      expect(await store.claimDigest(a.ws.id, "2026-W48", "C1", t0, 60_000)).toBe("claimed");
      expect(await store.claimDigest(b.ws.id, "2026-W47", "C1", t0, 60_000)).toBe("claimed");
      expect(await store.claimDigest(a.ws.id, "2026-W47", "C1", later(59_999), 60_000)).toBe("in-progress");
      // A stale claim is taken over by exactly one process, which then holds it at its own time.
      const takeovers = await Promise.all([
        store.claimDigest(a.ws.id, "2026-W47", "C2", later(60_000), 60_000),
        store.claimDigest(a.ws.id, "2026-W47", "C2", later(60_000), 60_000),
      ]);
      expect(takeovers.sort()).toEqual(["in-progress", "stale"]);
      expect(await store.markDigestPosting(a.ws.id, "2026-W47", t0)).toBe(false);
      expect(await store.markDigestPosting(a.ws.id, "2026-W47", later(60_000))).toBe(true);
      expect((await store.getDigest(a.ws.id, "2026-W47"))?.status).toBe("posting");
      expect(await store.renewDigestClaim(a.ws.id, "2026-W47", later(60_000), later(90_000))).toBe(true);
      expect(await store.renewDigestClaim(a.ws.id, "2026-W47", later(60_000), later(95_000))).toBe(false);
      expect(await store.claimDigest(a.ws.id, "2026-W47", "C2", later(140_000), 60_000)).toBe("in-progress");
      await store.completeDigest(a.ws.id, "2026-W47", "C2:123", later(100_000));
      const posted = await store.getDigest(a.ws.id, "2026-W47");
      expect(posted).toEqual({ status: "posted", postedAt: later(100_000), messageRef: "C2:123" });
      expect(await store.claimDigest(a.ws.id, "2026-W47", "C2", later(10_000_000), 60_000)).toBe("posted");
      // Posted is final: release, posting and renew don't touch it.
      await store.releaseDigest(a.ws.id, "2026-W47");
      await store.markDigestUnconfirmed(a.ws.id, "2026-W47");
      expect(await store.markDigestPosting(a.ws.id, "2026-W47", later(90_000))).toBe(false);
      expect((await store.getDigest(a.ws.id, "2026-W47"))?.status).toBe("posted");
      expect(await store.getDigest(b.ws.id, "2026-W46")).toBeNull();
    });

    it("releases a claim for a retry; settles a stale 'posting' claim as unconfirmed, never posted again", async () => {
      const { store } = s();
      const t = await team(store);
      const t0 = d("2026-11-16T09:00:00Z");
      expect(await store.claimDigest(t.ws.id, "2026-W47", "C1", t0, 60_000)).toBe("claimed");
      await store.releaseDigest(t.ws.id, "2026-W47");
      expect(await store.getDigest(t.ws.id, "2026-W47")).toBeNull();
      expect(await store.claimDigest(t.ws.id, "2026-W47", "C1", t0, 60_000)).toBe("claimed");
      // markDigestUnconfirmed only settles a claim that got as far as posting.
      await store.markDigestUnconfirmed(t.ws.id, "2026-W47");
      expect((await store.getDigest(t.ws.id, "2026-W47"))?.status).toBe("claimed");
      expect(await store.markDigestPosting(t.ws.id, "2026-W47", t0)).toBe(true);
      const tLate = new Date(t0.getTime() + 120_000);
      expect(await store.claimDigest(t.ws.id, "2026-W47", "C1", tLate, 60_000)).toBe("stale");
      // The takeover keeps "posting", so its holder knows the first one may have posted.
      expect((await store.getDigest(t.ws.id, "2026-W47"))?.status).toBe("posting");
      await store.markDigestUnconfirmed(t.ws.id, "2026-W47");
      expect((await store.getDigest(t.ws.id, "2026-W47"))?.status).toBe("unconfirmed");
      expect(
        await store.claimDigest(t.ws.id, "2026-W47", "C1", new Date(tLate.getTime() + 3_600_000), 60_000),
      ).toBe("posted");
      await store.releaseDigest(t.ws.id, "2026-W47");
      expect((await store.getDigest(t.ws.id, "2026-W47"))?.status).toBe("unconfirmed");
    });
  });

  describe("EventStore", () => {
    const s = useStore(kind);
    const soon = () => new Date(Date.now() + 60_000);

    it("records each key once, also within one batch and across concurrent calls", async () => {
      const { store } = s();
      expect(await store.recordEvent("e:1", null, "p1")).toBe(true);
      expect(await store.recordEvent("e:1", "W", "p1 again")).toBe(false);
      expect(
        await store.recordEvents([
          { key: "e:2", workspaceId: null, payload: "p2" },
          { key: "e:1", workspaceId: null, payload: "x" },
          { key: "e:2", workspaceId: null, payload: "x" },
          { key: "e:3", workspaceId: "W", payload: "p3" },
        ]),
      ).toEqual([true, false, false, true]);
      expect(await store.recordEvents([])).toEqual([]);
      const raced = await Promise.all(
        Array.from({ length: 6 }, () => store.recordEvent("e:race", null, "r")),
      );
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await store.countEvents()).toBe(4);
      expect(await store.countEvents("pending")).toBe(4);
      // The payload kept is the first one.
      const pending = await store.pendingEvents(soon(), 100);
      expect(pending.find((p) => p.key === "e:2")).toEqual({ key: "e:2", payload: "p2", attempts: 0 });
    });

    it("finishing drops the payload; a failure counts an attempt unless a replay counted it already", async () => {
      const { store } = s();
      await store.recordEvents(
        ["f:1", "f:2", "f:3", "f:4"].map((key) => ({ key, workspaceId: null, payload: key })),
      );
      const doneBefore = await store.countEvents("done");
      await store.finishEvent("f:1", { ok: true });
      await store.finishEvents(["f:2", "f:missing"]);
      await store.finishEvents([]);
      expect(await store.countEvents("done")).toBe(doneBefore + 2);
      await store.finishEvent("f:3", { ok: false, error: "x".repeat(2000) });
      await store.finishEvent("f:4", { ok: false, error: "boom", counted: true });
      const mine = (await store.pendingEvents(soon(), 100)).filter((p) => p.key.startsWith("f:"));
      expect(mine.sort((a, b) => cmp(a.key, b.key))).toEqual([
        { key: "f:3", payload: "f:3", attempts: 1 },
        { key: "f:4", payload: "f:4", attempts: 0 },
      ]);
      expect(await store.countEvents("failed")).toBeGreaterThanOrEqual(2);
      // Finished events are not recorded again.
      expect(await store.recordEvent("f:1", null, "again")).toBe(false);
      await store.finishEvent("f:missing", { ok: true });
    });

    it("replays: exactly one of several replicas claims an event; stuck and given-up events", async () => {
      const { store } = s();
      await store.recordEvent("r:1", null, "one");
      await sleep(5);
      await store.recordEvent("r:2", null, "two");
      const mine = async (olderThan: Date, limit = 100) =>
        (await store.pendingEvents(olderThan, limit)).filter((p) => p.key.startsWith("r:"));
      expect((await mine(soon())).map((p) => p.key)).toEqual(["r:1", "r:2"]);
      expect(await mine(new Date(Date.now() - 60_000))).toEqual([]);
      await sleep(5);
      const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimEvent("r:1", 0)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimEvent("r:1", 0)).toBe(false);
      // A claim moves the event to the back (receivedAt is now) and counts the attempt.
      expect((await mine(soon())).map((p) => [p.key, p.attempts])).toEqual([
        ["r:2", 0],
        ["r:1", 1],
      ]);
      await store.finishEvent("r:1", { ok: false, error: "again", counted: true });
      expect(await store.claimEvent("r:1", 1)).toBe(true);
      await store.finishEvent("r:2", { ok: true });
      expect(await store.claimEvent("r:2", 0)).toBe(false);
      // Five attempts and it is left alone.
      for (let attempts = 2; attempts < 5; attempts++)
        expect(await store.claimEvent("r:1", attempts)).toBe(true);
      expect((await mine(soon())).map((p) => p.key)).toEqual([]);
      expect(await store.claimEvent("missing", 0)).toBe(false);
    });

    it("pendingEvents with a key prefix returns only that platform's events (each replays its own)", async () => {
      const { store } = s();
      await store.recordEvent("kp-a:1", null, "a");
      await store.recordEvent("kp-b:1", null, "b");
      await store.recordEvent("kp-a:2", null, "a");
      expect((await store.pendingEvents(soon(), 1000, "kp-a:")).map((p) => p.key)).toEqual([
        "kp-a:1",
        "kp-a:2",
      ]);
      expect((await store.pendingEvents(soon(), 1, "kp-b:")).map((p) => p.key)).toEqual(["kp-b:1"]);
      await store.finishEvents(["kp-a:1", "kp-a:2", "kp-b:1"]);
      expect(await store.pendingEvents(soon(), 1000, "kp-a:")).toEqual([]);
    });

    it("pendingEvents honours its limit, oldest first; pruning removes everything received before a date", async () => {
      const { store } = s();
      const t0 = Date.now();
      const before = await store.countEvents();
      for (const k of ["p:1", "p:2", "p:3"]) {
        await store.recordEvent(k, null, k);
        await sleep(3);
      }
      const first = await store.pendingEvents(soon(), 1);
      expect(first).toHaveLength(1);
      expect(first[0]?.key.startsWith("p:")).toBe(false); // older events of this block come first
      const all = (await store.pendingEvents(soon(), 1000))
        .map((p) => p.key)
        .filter((k) => k.startsWith("p:"));
      expect(all).toEqual(["p:1", "p:2", "p:3"]);
      expect(await store.pruneEvents(new Date(t0 - 60_000))).toBe(0);
      const pruned = await store.pruneEvents(soon());
      expect(pruned).toBe(before + 3);
      expect(await store.countEvents()).toBe(0);
      expect(await store.recordEvent("p:1", null, "new life")).toBe(true);
    });
  });

  describe("ChannelStore, InstallationRecordStore, StoreHealth", () => {
    const s = useStore(kind);

    it("keeps channels per workspace: save (keeping a name when given none), read, list, rename, remove", async () => {
      const { store } = s();
      const a = await team(store, "teams");
      const b = await team(store, "teams");
      await store.saveChannel(a.ws.id, "19:general", "General", '{"v":1}');
      await sleep(5);
      await store.saveChannel(a.ws.id, "19:random", "", '{"v":2}');
      await store.saveChannel(b.ws.id, "19:general", "B General", '{"v":3}');
      expect(await store.getChannel(a.ws.id, "19:general")).toEqual({
        channelId: "19:general",
        name: "General",
        ref: '{"v":1}',
      });
      await store.saveChannel(a.ws.id, "19:general", "", '{"v":4}');
      expect(await store.getChannel(a.ws.id, "19:general")).toEqual({
        channelId: "19:general",
        name: "General",
        ref: '{"v":4}',
      });
      await store.saveChannel(a.ws.id, "19:general", "Renamed", '{"v":5}');
      expect((await store.getChannel(a.ws.id, "19:general"))?.name).toBe("Renamed");
      expect((await store.listChannels(a.ws.id)).map((c) => c.channelId)).toEqual([
        "19:general",
        "19:random",
      ]);
      await store.renameChannel(a.ws.id, "19:random", "Random");
      await store.renameChannel(a.ws.id, "19:missing", "x");
      expect((await store.getChannel(a.ws.id, "19:random"))?.name).toBe("Random");
      expect(await store.getChannel(a.ws.id, "19:missing")).toBeNull();
      expect(await store.removeChannels(a.ws.id, [])).toBe(0);
      expect(await store.removeChannels(a.ws.id, ["19:general", "19:missing"])).toBe(1);
      expect((await store.listChannels(a.ws.id)).map((c) => c.channelId)).toEqual(["19:random"]);
      expect(await store.listChannels(b.ws.id)).toEqual([
        { channelId: "19:general", name: "B General", ref: '{"v":3}' },
      ]);
    });

    it("keeps one installation per workspace, found by team or by enterprise, latest first", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const org = await team(store);
      const data = {
        teamId: "T-A",
        enterpriseId: "E1",
        isEnterpriseInstall: false,
        botUserId: "UBOT",
        dataEnc: "v1.a",
      };
      await store.saveInstallation(a.ws.id, data);
      expect(await store.getInstallation(a.ws.id)).toMatchObject({ workspaceId: a.ws.id, ...data });
      await store.saveInstallation(a.ws.id, { ...data, dataEnc: "v1.a2", botUserId: null });
      expect(await store.getInstallation(a.ws.id)).toMatchObject({ dataEnc: "v1.a2", botUserId: null });
      await sleep(5);
      // Another workspace row for the same team (a reinstall under a new row): the latest wins.
      await store.saveInstallation(b.ws.id, { ...data, dataEnc: "v1.b" });
      expect((await store.findTeamInstallation("T-A"))?.workspaceId).toBe(b.ws.id);
      expect(await store.findEnterpriseInstallation("E1")).toBeNull();
      await store.saveInstallation(org.ws.id, {
        teamId: null,
        enterpriseId: "E1",
        isEnterpriseInstall: true,
        botUserId: "UB",
        dataEnc: "v1.o",
      });
      expect((await store.findEnterpriseInstallation("E1"))?.workspaceId).toBe(org.ws.id);
      expect(await store.findTeamInstallation("T-NONE")).toBeNull();
      await store.deleteInstallation(b.ws.id);
      expect((await store.findTeamInstallation("T-A"))?.workspaceId).toBe(a.ws.id);
      expect(await store.getInstallation(b.ws.id)).toBeNull();
      await store.deleteInstallation(b.ws.id);
      const rec = await store.getInstallation(a.ws.id);
      expect(rec?.updatedAt).toBeInstanceOf(Date);
    });

    it("keeps one calendar grant per member, scoped by workspace; deleted by forget-me and with the workspace", async () => {
      const { store } = s();
      const a = await team(store);
      const b = await team(store);
      const g = await store.saveCalendarGrant(a.ws.id, a.ann.id, {
        provider: "google",
        accountEmail: "ann@acme.example",
        dataEnc: "v1.one",
      });
      expect(g).toMatchObject({
        workspaceId: a.ws.id,
        memberId: a.ann.id,
        provider: "google",
        dataEnc: "v1.one",
      });
      // Connecting again replaces it (same row).
      const again = await store.saveCalendarGrant(a.ws.id, a.ann.id, {
        provider: "microsoft",
        accountEmail: null,
        dataEnc: "v1.two",
      });
      expect(again.id).toBe(g.id);
      expect(await store.getCalendarGrant(a.ws.id, a.ann.id)).toMatchObject({
        provider: "microsoft",
        dataEnc: "v1.two",
      });
      // Another workspace sees nothing, and can't attach a grant to this workspace's member.
      expect(await store.getCalendarGrant(b.ws.id, a.ann.id)).toBeNull();
      await expect(
        store.saveCalendarGrant(b.ws.id, a.ann.id, { provider: "google", accountEmail: null, dataEnc: "x" }),
      ).rejects.toThrow();
      expect(await store.updateCalendarGrantData(b.ws.id, g.id, "v1.evil")).toBe(false);
      expect(await store.updateCalendarGrantData(a.ws.id, g.id, "v1.three")).toBe(true);
      expect((await store.getCalendarGrant(a.ws.id, a.ann.id))?.dataEnc).toBe("v1.three");
      // Delete by id: only the caller that deleted it hears true.
      expect(await store.deleteCalendarGrant(a.ws.id, a.ann.id, "other-id")).toBe(false);
      expect(await store.deleteCalendarGrant(a.ws.id, a.ann.id, g.id)).toBe(true);
      expect(await store.deleteCalendarGrant(a.ws.id, a.ann.id, g.id)).toBe(false);
      expect(await store.updateCalendarGrantData(a.ws.id, g.id, "v1.late")).toBe(false);

      await store.saveCalendarGrant(a.ws.id, a.bo.id, {
        provider: "google",
        accountEmail: null,
        dataEnc: "v1.bo",
      });
      await store.saveCalendarGrant(a.ws.id, a.cy.id, {
        provider: "google",
        accountEmail: null,
        dataEnc: "v1.cy",
      });
      await store.saveCalendarGrant(b.ws.id, b.ann.id, {
        provider: "google",
        accountEmail: null,
        dataEnc: "v1.b",
      });
      expect(await store.countCalendarGrants(a.ws.id)).toBe(2);
      expect((await store.listCalendarGrants(a.ws.id)).map((r) => r.memberId).sort()).toEqual(
        [a.bo.id, a.cy.id].sort(),
      );
      await store.forgetMember(a.ws.id, a.bo.id);
      expect(await store.getCalendarGrant(a.ws.id, a.bo.id)).toBeNull();
      expect(await store.countCalendarGrants(a.ws.id)).toBe(1);
      await store.deleteWorkspace(a.ws.id);
      expect(await store.countCalendarGrants(a.ws.id)).toBe(0);
      expect(await store.countCalendarGrants(b.ws.id)).toBe(1);
    });

    it("answers a ping", async () => {
      await expect(s().store.ping()).resolves.toBeUndefined();
    });
  });

  describe("JobRunStore", () => {
    const s = useStore(kind);
    const at = (iso: string) => d(iso);

    it("inserting a run is the election: one row per (task, fire time)", async () => {
      const { store } = s();
      const fire = at("2026-11-26T09:00:00Z");
      const run = { task: "digest", fireTime: fire, claimedBy: "a", claimedAt: at("2026-11-26T09:00:07Z") };
      expect(await store.jobRunClaimant("digest", fire)).toBeNull();
      const results = await Promise.all(
        ["a", "b", "c", "d"].map((by) => store.insertJobRun({ ...run, claimedBy: by })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ["a", "b", "c", "d"][results.indexOf(true)];
      expect(await store.jobRunClaimant("digest", fire)).toBe(winner);
      expect(await store.insertJobRun({ ...run, task: "sweep" })).toBe(true);
      expect(await store.insertJobRun({ ...run, fireTime: at("2026-11-26T09:05:00Z") })).toBe(true);
      expect(await store.lastJobRun("digest")).toEqual({
        task: "digest",
        fireTime: at("2026-11-26T09:05:00Z"),
        claimedBy: "a",
        claimedAt: at("2026-11-26T09:00:07Z"),
        finishedAt: null,
        outcome: null,
        durationMs: null,
        detail: null,
      });
      expect(await store.lastJobRun("never")).toBeNull();
    });

    it("finishes only the claimant's run; onlyUnfinished leaves a recorded outcome alone", async () => {
      const { store } = s();
      const fire = at("2026-11-27T09:00:00Z");
      await store.insertJobRun({ task: "h", fireTime: fire, claimedBy: "a", claimedAt: fire });
      await store.finishJobRun(
        { task: "h", fireTime: fire, claimedBy: "b" },
        { finishedAt: fire, outcome: "error", durationMs: 1, detail: "not mine" },
      );
      expect((await store.lastJobRun("h"))?.finishedAt).toBeNull();
      await store.finishJobRun(
        { task: "h", fireTime: fire, claimedBy: "a" },
        { finishedAt: at("2026-11-27T09:00:09Z"), outcome: "ok", durationMs: 1234, detail: '{"n":1}' },
      );
      await store.finishJobRun(
        { task: "h", fireTime: fire, claimedBy: "a" },
        { finishedAt: at("2026-11-27T09:01:00Z"), outcome: "error", detail: "late" },
        { onlyUnfinished: true },
      );
      expect(await store.lastJobRun("h")).toMatchObject({
        finishedAt: at("2026-11-27T09:00:09Z"),
        outcome: "ok",
        durationMs: 1234,
        detail: '{"n":1}',
      });
      const fire2 = at("2026-11-27T10:00:00Z");
      await store.insertJobRun({ task: "h", fireTime: fire2, claimedBy: "a", claimedAt: fire2 });
      await store.finishJobRun(
        { task: "h", fireTime: fire2, claimedBy: "a" },
        { finishedAt: at("2026-11-27T10:01:00Z"), outcome: "error", detail: "no outcome" },
        { onlyUnfinished: true },
      );
      expect(await store.lastJobRun("h")).toMatchObject({
        outcome: "error",
        durationMs: null,
        detail: "no outcome",
      });
    });

    it("finds a running earlier run inside a window; lists, last finished and prunes", async () => {
      const { store } = s();
      const ins = (fire: string, claimed: string, by = "a") =>
        store.insertJobRun({ task: "x", fireTime: at(fire), claimedBy: by, claimedAt: at(claimed) });
      await ins("2026-11-28T09:00:00Z", "2026-11-28T09:00:01Z");
      await ins("2026-11-28T09:10:00Z", "2026-11-28T09:10:01Z", "b");
      await ins("2026-11-28T09:20:00Z", "2026-11-28T09:20:01Z");
      expect(await store.runningJobRun("x", at("2026-11-28T09:20:00Z"), at("2026-11-28T09:00:00Z"))).toEqual({
        claimedBy: "b",
        fireTime: at("2026-11-28T09:10:00Z"),
      });
      expect(
        await store.runningJobRun("x", at("2026-11-28T09:20:00Z"), at("2026-11-28T09:10:01Z")),
      ).toBeNull();
      await store.finishJobRun(
        { task: "x", fireTime: at("2026-11-28T09:10:00Z"), claimedBy: "b" },
        { finishedAt: at("2026-11-28T09:11:00Z"), outcome: "skipped", durationMs: 0, detail: null },
      );
      expect(await store.runningJobRun("x", at("2026-11-28T09:20:00Z"), at("2026-11-28T08:00:00Z"))).toEqual({
        claimedBy: "a",
        fireTime: at("2026-11-28T09:00:00Z"),
      });
      expect(
        await store.runningJobRun("y", at("2026-11-28T09:20:00Z"), at("2026-11-28T08:00:00Z")),
      ).toBeNull();
      expect(await store.lastFinishedJobRun("x")).toBeNull();
      await store.finishJobRun(
        { task: "x", fireTime: at("2026-11-28T09:00:00Z"), claimedBy: "a" },
        { finishedAt: at("2026-11-28T09:30:00Z"), outcome: "ok", durationMs: 5, detail: null },
      );
      expect((await store.lastFinishedJobRun("x"))?.fireTime).toEqual(at("2026-11-28T09:00:00Z"));
      expect((await store.listJobRuns("x")).map((r) => r.fireTime.toISOString())).toEqual([
        "2026-11-28T09:00:00.000Z",
        "2026-11-28T09:10:00.000Z",
        "2026-11-28T09:20:00.000Z",
      ]);
      expect(
        (await store.listJobRuns("x", { since: at("2026-11-28T09:10:00Z") })).map((r) => r.claimedBy),
      ).toEqual(["b", "a"]);
      expect(await store.pruneJobRuns(at("2026-11-28T09:10:00Z"))).toBeGreaterThanOrEqual(1);
      expect(await store.listJobRuns("x")).toHaveLength(2);
      expect(
        await store.insertJobRun({
          task: "x",
          fireTime: at("2026-11-28T09:00:00Z"),
          claimedBy: "c",
          claimedAt: at("2026-11-28T09:40:00Z"),
        }),
      ).toBe(true);
    });
  });
});
