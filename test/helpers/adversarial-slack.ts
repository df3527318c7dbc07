import { expect } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import type { FakeSlack, FakeSlackUser } from "../../src/devtools/fake-slack.ts";
import { LUNCH_FIELDS } from "../../src/platforms/slack/render/modals.ts";
import type { SlackHarness } from "./slack-signing.ts";

// Several Slack workspaces on one app in OAuth mode: each installed through /slack/install →
// /slack/oauth_redirect → the fake's oauth.v2.access, with its own bot token. The fake answers
// users.info and users.list per token, as Slack does: a workspace's token sees its own people.

export const OAUTH_ENV = {
  SLACK_BOT_TOKEN: "",
  SLACK_CLIENT_ID: "client-id-123",
  SLACK_CLIENT_SECRET: "client-secret-456",
  SLACK_STATE_SECRET: "state-secret-789",
  TOKEN_ENCRYPTION_KEY: "b".repeat(64),
};

export interface SlackTeam {
  teamId: string;
  teamName: string;
  token: string;
  installerUserId: string;
  users: FakeSlackUser[];
}

/** users.info and users.list answer only with the people of the calling token's team. */
export function scopeUsersByToken(fake: FakeSlack, teams: SlackTeam[]): void {
  const teamOf = (token: string | null) => teams.find((t) => t.token === token)?.teamId ?? null;
  for (const t of teams) for (const u of t.users) fake.addUser(u);
  fake.on("users.info", (args, call) => {
    const user = fake.users.get(String(args.user));
    return user && user.team_id === teamOf(call.token)
      ? { ok: true, user }
      : { ok: false, error: "user_not_found" };
  });
  fake.on("users.list", (_args, call) => ({
    ok: true,
    members: [...fake.users.values()].filter((u) => u.team_id === teamOf(call.token)),
    response_metadata: { next_cursor: "" },
  }));
}

/** Installs the app in `team` through the real OAuth flow; returns its workspace row. */
export async function installTeam(h: SlackHarness, team: SlackTeam): Promise<Workspace> {
  const start = await fetch(`${h.base}/slack/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  h.fake.once("oauth.v2.access", () => {
    h.fake.registerToken(team.token, { teamId: team.teamId, teamName: team.teamName });
    return {
      ok: true,
      app_id: "A0FAKE",
      authed_user: { id: team.installerUserId },
      scope: "chat:write,commands,users:read",
      token_type: "bot",
      access_token: team.token,
      bot_user_id: h.fake.botUserId,
      team: { id: team.teamId, name: team.teamName },
      enterprise: null,
      is_enterprise_install: false,
    };
  });
  const done = await fetch(`${h.base}/slack/oauth_redirect?code=code-${team.teamId}&state=${state}`, {
    headers: { cookie },
    redirect: "manual",
  });
  expect(done.status).toBe(200);
  await h.settle();
  const ws = await h.app.store.findWorkspace("slack", team.teamId);
  if (!ws) throw new Error(`${team.teamId} was not installed`);
  return ws;
}

/** The lunch modal's state values, as Slack sends them on submit. */
export function lunchFormValues(o: {
  date: string;
  time?: string;
  place?: string;
  with?: string[];
}): Record<string, Record<string, unknown>> {
  return {
    [LUNCH_FIELDS.date]: { [LUNCH_FIELDS.date]: { type: "datepicker", selected_date: o.date } },
    [LUNCH_FIELDS.time]: { [LUNCH_FIELDS.time]: { type: "timepicker", selected_time: o.time ?? "12:30" } },
    [LUNCH_FIELDS.place]: { [LUNCH_FIELDS.place]: { type: "plain_text_input", value: o.place ?? "" } },
    [LUNCH_FIELDS.with]: {
      [LUNCH_FIELDS.with]: { type: "multi_users_select", selected_users: o.with ?? [] },
    },
  };
}

/** Texts (and block texts) of the calls recorded since `from`. */
export function callsSince(fake: FakeSlack, from: number): Array<{ method: string; args: unknown }> {
  return fake.calls.slice(from).map((c) => ({ method: c.method, args: c.args }));
}
