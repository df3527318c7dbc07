import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../../helpers/db.ts";
import {
  activities,
  type FakeUser,
  startTeamsHarness,
  type TeamsHarness,
} from "../../helpers/fake-bot-connector.ts";

// Microsoft sign-in names a person by tenant and Entra object id, which Teams activities carry but
// the teammate's row is keyed otherwise (29:…): the Teams adapter records the object id when it
// meets the person, so the dashboard can find them.

const TENANT = "tenant-acme";
const bo: FakeUser = {
  id: "29:bo",
  name: "Bo Berg",
  tenantId: TENANT,
  email: "bo@acme.example",
  aadObjectId: "oid-bo",
};

describe.each(PROVIDERS)("Teams teammates' Entra ids on %s", (provider) => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(bo);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("records the object id of a teammate who talks to the bot, and signs them in by it", async () => {
    expect(await h.post(activities.personalMessage(h.world, bo, "help"))).toBe(200);
    const ws = await h.app.service.findWorkspace("teams", TENANT);
    if (!ws) throw new Error("no workspace");
    const signedIn = await h.app.service.signInAs({
      provider: "microsoft",
      tenantId: TENANT,
      objectId: "oid-bo",
    });
    expect(signedIn.ok && signedIn.member.platformUserId).toBe("29:bo");
    const other = await h.app.service.signInAs({
      provider: "microsoft",
      tenantId: "tenant-other",
      objectId: "oid-bo",
    });
    expect(other).toEqual({ ok: false, reason: "no-workspace" });
  });
});
