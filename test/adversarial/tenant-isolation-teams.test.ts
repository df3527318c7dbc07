// Tenant isolation on Teams: two tenants on one bot, through the real CloudAdapter and the fake
// Bot Connector. Tenant B's people send every command and card submission they can, naming A's
// contact by name, alias and id and carrying A's prompt, lunch and contact ids; activities also
// claim A's tenant (mismatched tenant fields, a sender no roster knows). Nothing of A may come back
// in any call the bot makes, and no row of A may change (tenant-isolation.test.ts does Slack).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import {
  A_CONTACT,
  B_CONTACT,
  humanMembers,
  LeakCheck,
  NOT_FOUND,
  rowCount,
  seedTenant,
  snapshotWorkspace,
  type TenantSeed,
  tenantSecrets,
} from "../helpers/adversarial-tenants.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  type Json,
  personalConversationId,
  startTeamsHarness,
  type TeamsHarness,
  type TeamsWorld,
} from "../helpers/fake-bot-connector.ts";

const tenantA = "tenant-alpha-secret";
const tenantB = "tenant-beta";
const aUsers: FakeUser[] = [
  { id: "29:alpha-amara", name: "Amara Okonkwo", tenantId: tenantA },
  { id: "29:alpha-anselm", name: "Anselm Vereker", tenantId: tenantA },
];
const bUsers: FakeUser[] = [
  { id: "29:beta-bruno", name: "Bruno Diaz", tenantId: tenantB },
  { id: "29:beta-bettina", name: "Bettina Cole", tenantId: tenantB },
];

describe.each(PROVIDERS)("tenant isolation: two Teams tenants on %s", (provider) => {
  let h: TeamsHarness;
  let worldA: TeamsWorld;
  let worldB: TeamsWorld;
  let a: TenantSeed;
  let b: TenantSeed;
  const tally = { commands: 0, cards: 0 };

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: tenantA, at: "2026-11-18T15:00:00Z" });
    worldA = {
      ...h.world,
      teamId: "19:alpha-general@thread.tacv2",
      generalId: "19:alpha-general@thread.tacv2",
      teamName: "Alphaworks Secret Team",
    };
    worldB = {
      ...h.world,
      tenantId: tenantB,
      teamId: "19:beta-general@thread.tacv2",
      generalId: "19:beta-general@thread.tacv2",
      teamName: "Betamax",
    };
    h.fake.addUsers(...aUsers, ...bUsers);
    for (const [world, users] of [
      [worldA, aUsers],
      [worldB, bUsers],
    ] as const) {
      expect(await h.post(activities.teamInstall(world, users[0]!))).toBe(200);
      for (const u of users) expect(await h.post(activities.personalInstall(world, u))).toBe(200);
    }
    const { store, service } = h.app;
    const wsA = (await store.findWorkspace("teams", tenantA)) as Workspace;
    const wsB = (await store.findWorkspace("teams", tenantB)) as Workspace;
    a = await seedTenant(store, service, wsA, await humanMembers(h, wsA), A_CONTACT);
    b = await seedTenant(store, service, wsB, await humanMembers(h, wsB), B_CONTACT);
    expect(a.members.map((m) => m.platformUserId).sort()).toEqual(aUsers.map((u) => u.id).sort());
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("B's commands and card submissions carrying A's ids reveal and change nothing of A", async () => {
    // A's own request shows A's data: the leak check can see one.
    const ownFrom = h.fake.calls.length;
    expect(await h.post(activities.personalMessage(worldA, aUsers[0]!, "contacts"))).toBe(200);
    expect(JSON.stringify(h.fake.calls.slice(ownFrom))).toContain(A_CONTACT.name);

    const before = await snapshotWorkspace(h.app.database.db, a.ws.id);
    const other = await snapshotWorkspace(h.app.database.db, b.ws.id);
    const check = new LeakCheck(tenantSecrets(before, [tenantA], other));
    const bruno = bUsers[0]!;
    const send = async (activity: Json, expectNotFound = false) => {
      check.noteSent(activity);
      const from = h.fake.calls.length;
      expect(await h.post(activity)).toBe(200);
      const out = h.fake.calls.slice(from).map((c) => ({ path: c.path, body: c.body }));
      expect(check.leaks(out), JSON.stringify(activity)).toEqual([]);
      expect(out.length, "B got an answer").toBeGreaterThan(0);
      if (expectNotFound) expect(JSON.stringify(out)).toMatch(NOT_FOUND);
      // Every answer goes to B's own conversation.
      for (const c of out) expect(c.path).not.toContain("alpha");
    };

    const refs = [
      `"${A_CONTACT.name}"`,
      A_CONTACT.aliases[0]!.value,
      A_CONTACT.aliases[1]!.value,
      a.contact.id,
    ];
    for (const t of [
      "help",
      "contacts",
      "contacts all",
      "stats",
      "digest preview",
      "settings",
      "pause",
      "resume",
    ]) {
      await send(activities.personalMessage(worldB, bruno, t));
      tally.commands++;
    }
    for (const ref of refs) {
      for (const verb of ["met", "untrack", "ignore"]) {
        await send(activities.personalMessage(worldB, bruno, `${verb} ${ref}`), true);
        tally.commands++;
      }
      await send(activities.personalMessage(worldB, bruno, `lunch ${ref} on 2026-11-25 12:30`), true);
      tally.commands++;
    }

    const chat = personalConversationId(bruno);
    const card = (value: Json, expectNotFound = false) =>
      send(activities.cardSubmit(worldB, bruno, chat, "1:card", value), expectNotFound).then(() => {
        tally.cards++;
      });
    for (const n of a.nudges)
      for (const action of [
        "plan",
        "snooze",
        "met",
        "not-contact",
        "track",
        "ignore",
        "hide",
        "keep",
        "undo",
      ])
        await card({ tio: "nudge", nudgeId: n.id, action }, true);
    for (const l of [a.followUp, a.upcoming])
      for (const answer of ["happened", "later", "off"])
        await card({ tio: "followup", lunchId: l.id, answer }, true);
    await card({ tio: "lunch", nudgeId: a.nudges[0]!.id, contactId: a.contact.id, date: "2026-11-25" }, true);
    await card({ tio: "lunch", nudgeId: null, contactId: a.contact.id, date: "2026-11-25" }, true);
    await card({ tio: "lunch", nudgeId: a.nudges[1]!.id, contactId: b.contact.id, date: "2026-11-25" }, true);
    await card({ tio: "settings", digestChannel: worldA.generalId, timezone: "Europe/Berlin" });
    await send(activities.personalMessage(worldB, bUsers[1]!, "forget-me confirm"));

    // Activities that claim A's tenant: from B's user (the roster says tenant B), with the two
    // tenant fields disagreeing, and from an account the roster doesn't know at all (the lookup
    // fails). None of them may act as a member of A.
    const stranger: FakeUser = { id: "29:not-in-any-roster", name: "Mallory", tenantId: tenantA };
    const claims: Json[] = [
      activities.personalMessage(worldA, bruno, "contacts all"),
      {
        ...activities.personalMessage(worldB, bruno, "contacts all"),
        channelData: { tenant: { id: tenantA } },
      },
      activities.personalMessage(worldA, stranger, "contacts all"),
      activities.cardSubmit(worldA, stranger, personalConversationId(stranger), "1:card", {
        tio: "nudge",
        nudgeId: a.nudges[0]!.id,
        action: "snooze",
      }),
    ];
    for (const activity of claims) {
      check.noteSent(activity);
      const from = h.fake.calls.length;
      expect(await h.post(activity)).toBe(200);
      const out = h.fake.calls.slice(from).map((c) => ({ path: c.path, body: c.body }));
      expect(check.leaks(out), JSON.stringify(activity)).toEqual([]);
      tally.commands++;
    }

    expect(await snapshotWorkspace(h.app.database.db, a.ws.id)).toEqual(before);

    // B removes the app everywhere: nothing of A goes with it.
    expect(await h.post(activities.teamInstall(worldB, bruno, "remove"))).toBe(200);
    for (const u of bUsers) expect(await h.post(activities.personalInstall(worldB, u, "remove"))).toBe(200);
    expect(await snapshotWorkspace(h.app.database.db, a.ws.id)).toEqual(before);
    console.info(
      `[adversarial] Teams ${provider}: 0 leaks across ${tally.commands} commands and ${tally.cards} card submissions (${check.checked} outgoing bodies checked); ${rowCount(before)} rows of A unchanged`,
    );
  });
});
