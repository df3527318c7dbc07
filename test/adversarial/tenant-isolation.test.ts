// Tenant isolation, tried as an attacker would: two Slack workspaces on one app in OAuth mode
// (tenant-isolation-teams.test.ts does two Teams tenants), each with its own members, contacts,
// prompts and lunches. Workspace B
// sends every command, button, form and App Home request it can, naming A's contacts by name,
// alias and id and carrying A's prompt, lunch, contact and workspace ids. Nothing of A may come
// back in anything the app sends (every Web API / Bot Connector call, every response_url post,
// every HTTP answer), and no row of A may change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, VIEWS } from "../../src/platforms/slack/ids.ts";
import {
  callsSince,
  installTeam,
  lunchFormValues,
  OAUTH_ENV,
  type SlackTeam,
  scopeUsersByToken,
} from "../helpers/adversarial-slack.ts";
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
  blockAction,
  type SlackHarness,
  type SlackPostResult,
  startSlackHarness,
  viewSubmission,
} from "../helpers/slack-signing.ts";

const ALPHA: SlackTeam = {
  teamId: "TALPHA01",
  teamName: "Alphaworks Secret Team",
  token: "xoxb-alpha-secret-token",
  installerUserId: "UALPHA01",
  users: [
    {
      id: "UALPHA01",
      team_id: "TALPHA01",
      tz: "America/New_York",
      is_admin: true,
      profile: {
        display_name: "Amara Okonkwo",
        real_name: "Amara Okonkwo",
        email: "amara@alphaworks.example",
      },
    },
    {
      id: "UALPHA02",
      team_id: "TALPHA01",
      tz: "America/New_York",
      profile: {
        display_name: "Anselm Vereker",
        real_name: "Anselm Vereker",
        email: "anselm@alphaworks.example",
      },
    },
  ],
};
const BETA: SlackTeam = {
  teamId: "TBETA002",
  teamName: "Betamax Company",
  token: "xoxb-beta-token",
  installerUserId: "UBETA001",
  users: [
    {
      id: "UBETA001",
      team_id: "TBETA002",
      tz: "America/New_York",
      is_admin: true,
      profile: { display_name: "Bruno Diaz", real_name: "Bruno Diaz", email: "bruno@betamax.example" },
    },
    {
      id: "UBETA002",
      team_id: "TBETA002",
      tz: "America/New_York",
      profile: { display_name: "Bettina Cole", real_name: "Bettina Cole", email: "bettina@betamax.example" },
    },
  ],
};

describe.each(PROVIDERS)("tenant isolation: two Slack workspaces over OAuth on %s", (provider) => {
  let h: SlackHarness;
  let a: TenantSeed;
  let b: TenantSeed;
  let check: LeakCheck;
  let before: Awaited<ReturnType<typeof snapshotWorkspace>>;
  const tally = { commands: 0, buttons: 0, views: 0, events: 0 };

  beforeAll(async () => {
    h = await startSlackHarness(provider, { env: OAUTH_ENV, users: [] });
    scopeUsersByToken(h.fake, [ALPHA, BETA]);
    const wsA = await installTeam(h, ALPHA);
    const wsB = await installTeam(h, BETA);
    const { store, service } = h.app;
    await store.updateWorkspace(wsA.id, { digestChannel: "CALPHADIGEST" });
    await store.updateWorkspace(wsB.id, { digestChannel: "CBETADIGEST" });
    a = await seedTenant(store, service, wsA, await humanMembers(h, wsA), A_CONTACT);
    b = await seedTenant(store, service, wsB, await humanMembers(h, wsB), B_CONTACT);
    expect(a.members.map((m) => m.platformUserId)).toEqual(["UALPHA01", "UALPHA02"]);
    expect(b.members.map((m) => m.platformUserId)).toEqual(["UBETA001", "UBETA002"]);
    await h.settle();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Runs one request of B's and returns everything the app sent meanwhile (and its HTTP answer). */
  async function asB(
    send: () => Promise<SlackPostResult>,
  ): Promise<{ res: SlackPostResult; out: unknown[] }> {
    const from = h.fake.calls.length;
    const res = await send();
    await h.settle();
    // Everything done on B's behalf goes out with B's token, never A's.
    const tokens = new Set(h.fake.calls.slice(from).flatMap((c) => (c.token ? [c.token] : [])));
    expect([...tokens].filter((t) => t !== BETA.token)).toEqual([]);
    return { res, out: [res.text, ...callsSince(h.fake, from)] };
  }

  const replyTexts = (out: unknown[]) =>
    out
      .filter(
        (o): o is { method: string; args: Record<string, unknown> } => typeof o === "object" && o !== null,
      )
      .filter((o) => ["response_url", "chat.update", "views.open"].includes(o.method))
      .map((o) => String(o.args.text ?? JSON.stringify(o.args.view)));

  it("A's own requests do show A's data (the check below can see a leak)", async () => {
    const cmd = await h.command("UALPHA01", "contacts", { teamId: ALPHA.teamId });
    await h.settle();
    expect(JSON.stringify(h.responses(cmd.responseId))).toContain(A_CONTACT.name);
    const from = h.fake.calls.length;
    await h.event({ type: "app_home_opened", user: "UALPHA01", tab: "home" }, { teamId: ALPHA.teamId });
    await h.settle();
    const home = JSON.stringify(callsSince(h.fake, from));
    expect(home).toContain(a.nudges[0]!.id);
    expect(home).toContain(A_CONTACT.name);

    before = await snapshotWorkspace(h.app.database.db, a.ws.id);
    expect(rowCount(before)).toBeGreaterThan(15);
    const other = await snapshotWorkspace(h.app.database.db, b.ws.id);
    check = new LeakCheck(tenantSecrets(before, [ALPHA.token, "CALPHADIGEST"], other));
  });

  it("B's commands, naming A's contacts by name, alias and id, find nothing of A", async () => {
    const aContactRefs = [
      A_CONTACT.name,
      A_CONTACT.aliases[0]!.value,
      A_CONTACT.aliases[1]!.value,
      a.contact.id,
    ];
    const run = async (user: string, text: string, expectNotFound = false) => {
      check.noteSent(text);
      const { res, out } = await asB(async () => {
        const r = await h.command(user, text, { teamId: BETA.teamId });
        return r;
      });
      tally.commands++;
      expect(res.status, text).toBe(200);
      expect(check.leaks(out), text).toEqual([]);
      const replies = replyTexts(out);
      expect(replies.length, `${text}: a reply`).toBeGreaterThan(0);
      if (expectNotFound) expect(replies.join("\n"), text).toMatch(NOT_FOUND);
      return replies.join("\n");
    };

    for (const t of ["help", "contacts", "contacts all", "contacts tracked", "contacts candidate", "stats"])
      await run("UBETA001", t);
    expect(await run("UBETA001", "contacts all")).toContain(B_CONTACT.name);
    for (const ref of aContactRefs) {
      const q = ref.includes(" ") ? `"${ref}"` : ref;
      await run("UBETA001", `met ${q}`, true);
      await run("UBETA001", `lunch ${q} on 2026-11-25 12:30 at Cafe Nord`, true);
      await run("UBETA001", `untrack ${q}`, true);
      await run("UBETA001", `ignore ${q}`, true);
    }
    for (const t of [
      "digest preview",
      "digest preview 2026-W47",
      "digest now",
      "settings",
      "pause",
      "resume",
    ])
      await run("UBETA001", t);
    // Tracking A's contact's name and email makes B a contact of its own, never merged with A's.
    const tracked = await run("UBETA001", `track ${A_CONTACT.name}, ${A_CONTACT.aliases[0]!.value}`);
    expect(tracked).toContain("Tracking");
    expect(tracked).not.toContain("Merged");
    await run("UBETA001", "contacts all");
    await run("UBETA002", "forget-me confirm");
  });

  it("B's buttons carrying A's prompt and lunch ids change nothing and reveal nothing", async () => {
    const promptActions = [
      ACTIONS.plan,
      ACTIONS.snooze,
      ACTIONS.met,
      ACTIONS.notContact,
      ACTIONS.track,
      ACTIONS.ignore,
      ACTIONS.hide,
      ACTIONS.keep,
      ACTIONS.undo,
    ];
    const click = async (payload: Record<string, unknown>, expectNotFound: boolean) => {
      check.noteSent(payload);
      const { res, out } = await asB(() => h.interaction(payload));
      tally.buttons++;
      expect(res.status).toBe(200);
      expect(check.leaks(out), JSON.stringify(payload)).toEqual([]);
      if (expectNotFound) {
        const replies = replyTexts(out);
        for (const r of replies) expect(r).toMatch(NOT_FOUND);
        // Only B's own message may be touched: never A's DM.
        for (const o of out as Array<{ method?: string; args?: { channel?: string } }>)
          if (o.method === "chat.update") expect(o.args?.channel).toBe("DBETA001");
      }
    };
    /** B's own click: on B's DM message, or from B's App Home. */
    const bClick = (actionId: string, value: string, where: "dm" | "home") =>
      blockAction({
        userId: "UBETA001",
        teamId: BETA.teamId,
        actionId,
        value,
        ...(where === "home"
          ? { view: { id: "VHOME", type: "home" as const } }
          : { channel: "DBETA001", messageTs: "1700000200.000100" }),
      });
    for (const nudge of a.nudges) {
      for (const actionId of promptActions) {
        const value = JSON.stringify({ n: nudge.id });
        await click(bClick(actionId, value, "dm"), true);
        // From App Home there is no clicked message: the prompt's own DM must not be used.
        await click(bClick(actionId, value, "home"), true);
      }
    }
    for (const lunch of [a.followUp, a.upcoming])
      for (const actionId of [ACTIONS.followUpYes, ACTIONS.followUpLater, ACTIONS.followUpNo])
        await click(bClick(actionId, JSON.stringify({ l: lunch.id }), "dm"), true);
    for (const actionId of [ACTIONS.pause, ACTIONS.resume])
      await click(bClick(actionId, JSON.stringify({ n: a.nudges[0]!.id, ws: a.ws.id }), "home"), false);
  });

  it("B's forms carrying A's ids are refused", async () => {
    const submit = async (payload: Record<string, unknown>) => {
      check.noteSent(payload);
      const { res, out } = await asB(() => h.interaction(payload));
      tally.views++;
      expect(res.status).toBe(200);
      expect(check.leaks(out), JSON.stringify(payload)).toEqual([]);
      return res;
    };
    const aPrompt = a.nudges[0]!;
    const lunchWith = (contactId: string, nudgeId: string | null) =>
      viewSubmission({
        userId: "UBETA001",
        teamId: BETA.teamId,
        callbackId: VIEWS.lunch,
        privateMetadata: JSON.stringify({
          contactId,
          nudgeId,
          channel: "DUALPHA01",
          ts: "1700000100.000100",
        }),
        values: lunchFormValues({ date: "2026-11-25", place: "Cafe Nord", with: ["UALPHA02"] }),
      });
    // A's contact: refused under the form (the lookup is scoped to B).
    for (const nudgeId of [aPrompt.id, null]) {
      const res = await submit(lunchWith(a.contact.id, nudgeId));
      expect(res.json).toMatchObject({ response_action: "errors" });
      expect(res.text).toMatch(NOT_FOUND);
    }
    // B's own contact with A's prompt id: B may plan B's lunch, A's prompt stays as it was.
    await submit(lunchWith(b.contact.id, aPrompt.id));
    // The settings form of A's workspace, submitted by B's admin.
    const settings = await submit(
      viewSubmission({
        userId: "UBETA001",
        teamId: BETA.teamId,
        callbackId: VIEWS.settings,
        privateMetadata: JSON.stringify({ workspaceId: a.ws.id }),
        values: {},
      }),
    );
    expect(settings.text).toMatch(NOT_FOUND);
  });

  it("B's App Home, even for A's user ids, shows nothing of A", async () => {
    for (const user of ["UBETA001", "UBETA002", "UALPHA01", "UALPHA02"]) {
      const event = { type: "app_home_opened", user, tab: "home" };
      check.noteSent(event);
      const { res, out } = await asB(() => h.event(event, { teamId: BETA.teamId }));
      tally.events++;
      expect(res.status).toBe(200);
      expect(check.leaks(out), user).toEqual([]);
    }
    // And a message in B about A's contact's email counts for B only.
    const message = {
      type: "message",
      channel: "CBETAGEN",
      channel_type: "channel",
      user: "UBETA001",
      text: `Call with ${A_CONTACT.aliases[0]!.value}`,
      ts: "1763470000.000100",
    };
    check.noteSent(message);
    const { out } = await asB(() => h.event(message, { teamId: BETA.teamId }));
    tally.events++;
    expect(check.leaks(out)).toEqual([]);
  });

  it("no row of A changed", async () => {
    await h.settle();
    expect(await snapshotWorkspace(h.app.database.db, a.ws.id)).toEqual(before);
    // B uninstalls: B's rows go, A's stay as they were and A keeps working.
    expect((await h.event({ type: "app_uninstalled" }, { teamId: BETA.teamId })).status).toBe(200);
    await h.settle();
    expect(await h.app.store.findWorkspace("slack", BETA.teamId)).toBeNull();
    expect(rowCount(await snapshotWorkspace(h.app.database.db, b.ws.id))).toBe(0);
    expect(await snapshotWorkspace(h.app.database.db, a.ws.id)).toEqual(before);
    const stillThere = await h.command("UALPHA01", "contacts", { teamId: ALPHA.teamId });
    await h.settle();
    expect(JSON.stringify(h.responses(stillThere.responseId))).toContain(A_CONTACT.name);
    // For the README: what was tried.
    console.info(
      `[adversarial] Slack ${provider}: 0 leaks across ${tally.commands} commands, ${tally.buttons} buttons, ${tally.views} form submissions, ${tally.events} events (${check.checked} outgoing bodies checked); ${rowCount(before)} rows of A unchanged`,
    );
  });
});
