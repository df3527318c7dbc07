import { randomBytes } from "node:crypto";
import type { Installation } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Installations } from "../../src/app/installations.ts";
import { FakeSlack, type RateLimits, SLACK_RATE_LIMITS } from "../../src/devtools/fake-slack.ts";
import { SlackInstallationStore } from "../../src/platforms/slack/installation-store.ts";
import { TokenCipher } from "../../src/store/crypto.ts";
import type { Provider } from "../../src/store/db.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";
import { type RemoteRunReport, type Replica, SharedClock, startReplica } from "../helpers/replicas.ts";
import { type SeededWorkspace, seedWorkspace } from "../helpers/scheduler-seed.ts";

// The digest and the nudge sweep fanned out as a job queue, at a small size: 30 workspaces, each
// with its own OAuth installation (so its own bot token, which the fake Slack maps to its team),
// replicas as real processes, and a fake Slack that enforces rate limits per workspace, tighter
// than Slack's so that digests and nudge DMs of one workspace collide and get 429s. Every digest
// must still reach its channel exactly once, every teammate get their prompt once, and on
// PostgreSQL (pg-boss) the digests must be posted by more than one replica.

const WORKSPACES = 30;
const MEMBERS = 3;

/** One post every 2 s per workspace, no burst to speak of: a workspace's 3 DMs and its digest collide. */
const TIGHT: RateLimits = {
  ...SLACK_RATE_LIMITS,
  postPerWorkspace: { perMinute: 30, burst: 1 },
};

const CASES: Array<[Provider, number]> = PROVIDERS.map((p) => [p, p === "postgresql" ? 3 : 2]);

describe.each(CASES)(
  "digests and sweeps fanned out on %s, %i replicas, rate-limited Slack",
  (provider, n) => {
    let t: TestStore;
    let slack: FakeSlack;
    let clock: SharedClock;
    let replicas: Replica[] = [];
    const seeded: SeededWorkspace[] = [];
    const key = randomBytes(32);

    beforeAll(async () => {
      t = await createTestStore(provider);
      slack = await FakeSlack.start({ rateLimits: TIGHT });
      // Tuesday 10:00 in Berlin: every workspace's digest is due (Tue 10:00) and so are its nudges.
      clock = new SharedClock("2026-11-10T09:00:00Z");
      const installs = new SlackInstallationStore(new Installations(t.store, new TokenCipher(key)));
      for (let i = 0; i < WORKSPACES; i++) {
        const team = `TF${String(i).padStart(3, "0")}`;
        const ws = await seedWorkspace(t.store, {
          externalId: team,
          timezone: "Europe/Berlin",
          digestDay: 2,
          digestHour: 10,
          memberIds: Array.from({ length: MEMBERS }, (_, m) => `U${team}M${m}`),
          mentionsAt: new Date("2026-11-06T12:00:00Z"),
        });
        const token = `xoxb-${team}-${randomBytes(4).toString("hex")}`;
        const installation: Installation = {
          team: { id: team, name: team },
          enterprise: undefined,
          user: { id: "UINSTALLER", token: undefined, scopes: undefined },
          bot: { token, userId: "UBOT", id: "BBOT", scopes: ["chat:write"] },
          isEnterpriseInstall: false,
          tokenType: "bot",
        };
        await installs.save(installation);
        slack.registerToken(token, { teamId: team, teamName: team });
        seeded.push(ws);
      }
      replicas = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          startReplica({
            id: `fan-${i + 1}`,
            databaseUrl: t.url,
            clock,
            slackApiUrl: slack.url,
            env: {
              SLACK_CLIENT_ID: "client",
              SLACK_CLIENT_SECRET: "secret",
              SLACK_STATE_SECRET: "state-secret",
              TOKEN_ENCRYPTION_KEY: key.toString("hex"),
              // Most of a job is waiting out a 429: more slots, shorter test.
              JOB_CONCURRENCY: "8",
            },
          }),
        ),
      );
    }, 120_000);

    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await slack?.close();
      await t?.cleanup();
      clock?.dispose();
    });

    const isDigest = (args: Record<string, unknown>) =>
      (args.metadata as { event_type?: string } | undefined)?.event_type === "tio_digest";

    it("every digest and every prompt reaches Slack exactly once; 429s delay them, none is lost", async () => {
      // Every replica fires the digest and sweep slots at the same instant; one claims each slot and
      // enqueues a job per workspace, and the slot's run waits until its jobs are done.
      // On top of the limiter, the first posts are refused outright (the digests go first), so digest
      // posts meet 429s whatever the interleaving.
      for (let i = 0; i < 8; i++) slack.rateLimitOnce("chat.postMessage", 1);
      const reports: RemoteRunReport[] = (
        await Promise.all(replicas.map((r) => r.runDue(["digest", "nudge-sweep"])))
      ).flat();
      const ran = reports.filter((r) => r.ran);
      expect(ran.map((r) => r.task).sort()).toEqual(["digest", "nudge-sweep"]);
      // The run's summary without the long list of what was posted, to say why it failed.
      const why = (summary: unknown) =>
        JSON.stringify({ ...(summary as object), posted: undefined }).slice(0, 2000);
      for (const r of ran) expect(r.outcome, why(r.summary)).toBe("ok");
      const digestRun = ran.find((r) => r.task === "digest");
      expect(digestRun?.summary).toMatchObject({ enqueued: WORKSPACES, failures: [] });
      expect(digestRun?.summary?.posted).toHaveLength(WORKSPACES);
      expect(ran.find((r) => r.task === "nudge-sweep")?.summary).toMatchObject({
        enqueued: WORKSPACES,
        sent: WORKSPACES * MEMBERS,
        failures: [],
      });

      // The rate limiter did refuse posts, digests among them.
      const limited = slack.calls.filter((c) => c.method === "chat.postMessage" && c.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.some((c) => isDigest(c.args))).toBe(true);

      // Exactly once, counted from what Slack accepted: one digest per channel, one DM per teammate.
      const accepted = slack.callsTo("chat.postMessage");
      for (const s of seeded) {
        expect(
          accepted.filter((c) => isDigest(c.args) && c.args.channel === s.ws.digestChannel),
        ).toHaveLength(1);
        for (const m of s.members)
          expect(
            accepted.filter((c) => c.args.channel === m.dmRef),
            m.platformUserId,
          ).toHaveLength(1);
      }
      expect(accepted).toHaveLength(WORKSPACES * (1 + MEMBERS));
      // Each post went out with its own workspace's token.
      const teamOf = new Map<string, string>();
      for (const s of seeded) {
        teamOf.set(s.ws.digestChannel ?? "", s.ws.externalId);
        for (const m of s.members) teamOf.set(m.dmRef ?? "", s.ws.externalId);
      }
      for (const c of accepted) expect(c.token?.split("-")[1]).toBe(teamOf.get(String(c.args.channel)));

      // The database agrees: every week posted once (the Digest row is the source of truth).
      const digests = await t.database.db.digest.findMany({});
      expect(digests).toHaveLength(WORKSPACES);
      expect(digests.every((d) => d.status === "posted")).toBe(true);
      expect((await t.database.db.nudge.findMany({})).map((x) => x.status).sort()).toEqual(
        Array(WORKSPACES * MEMBERS).fill("sent"),
      );

      // Who posted: with pg-boss every replica works the queue; in-process, the slot's claimant.
      const postedBy = replicas.map(
        (r) =>
          r.logs
            .map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((l) => l.msg === "digest run" && l.posted === true).length,
      );
      expect(postedBy.reduce((a, b) => a + b, 0)).toBe(WORKSPACES);
      if (provider === "postgresql") expect(postedBy.filter((c) => c > 0).length).toBeGreaterThan(1);
      else expect(postedBy.filter((c) => c > 0)).toEqual([WORKSPACES]);

      // The next slot posts nothing more.
      clock.advance(5 * 60_000);
      await Promise.all(replicas.map((r) => r.runDue(["digest"])));
      expect(slack.callsTo("chat.postMessage")).toHaveLength(WORKSPACES * (1 + MEMBERS));
    }, 90_000);
  },
);
