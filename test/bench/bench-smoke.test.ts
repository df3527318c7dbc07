import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childScript, runChild } from "../../bench/lib/child.ts";
import { freshDatabase } from "../../bench/lib/databases.ts";
import { seedDigestWorkspace } from "../../bench/lib/seed-digest.ts";
import { quantile, summarize } from "../../bench/lib/stats.ts";
import { generateLoad, type LoadSet } from "../../bench/load/generate.ts";

// The benchmark scripts on tiny inputs: they run, and what they report is consistent. No timing
// assertions (this machine's speed is not under test).

const SECRET = "smoke-secret";
let dir: string;
let load: LoadSet;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tio-bench-smoke-"));
  load = await generateLoad(
    dir,
    { seed: 3, messages: 300, members: 12, externalPeople: 8, days: 10 },
    SECRET,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bench building blocks", () => {
  it("summarizes runs with median and spread", () => {
    expect(summarize([5, 1, 3])).toEqual({ n: 3, median: 3, min: 1, max: 5, p10: 1.4, p90: 4.6 });
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
  });

  it("writes signed Slack message events for every person's message of the export", () => {
    const lines = readFileSync(load.eventsFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(load.events);
    expect(load.events).toBeGreaterThan(200);
    for (const line of lines.slice(0, 20)) {
      const e = JSON.parse(line) as { headers: Record<string, string>; body: string };
      const ts = e.headers["x-slack-request-timestamp"];
      const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${e.body}`).digest("hex")}`;
      expect(e.headers["x-slack-signature"]).toBe(expected);
      const body = JSON.parse(e.body) as {
        type: string;
        team_id: string;
        event: { type: string; user: string };
      };
      expect(body).toMatchObject({
        type: "event_callback",
        team_id: load.teamId,
        event: { type: "message" },
      });
    }
  });

  it("drives a server from a second process, signing each request at send time", async () => {
    const seen: Array<{ ts: number; ok: boolean }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const ts = Number(req.headers["x-slack-request-timestamp"]);
        const sig = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
        const ok = sig === req.headers["x-slack-signature"];
        seen.push({ ts, ok });
        res.writeHead(ok ? 200 : 401).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    try {
      const started = Math.floor(Date.now() / 1000);
      const args = ["--url", url, "--events", load.eventsFile, "--secret", SECRET, "--count", "40"];
      const closed = await runChild<{ sent: number; ok: number; latencyMs: { p99: number } }>(
        childScript("load-driver.ts"),
        [...args, "--connections", "4"],
      );
      expect(closed).toMatchObject({ sent: 40, ok: 40 });
      const open = await runChild<{ sent: number; ok: number }>(childScript("load-driver.ts"), [
        ...args,
        "--from",
        "40",
        "--rate",
        "200",
      ]);
      expect(open).toMatchObject({ sent: 40, ok: 40 });
      expect(seen).toHaveLength(80);
      expect(seen.every((s) => s.ok && s.ts >= started)).toBe(true);
    } finally {
      server.close();
    }
  });

  it("imports an export in a child process and reports rate, RSS and an idempotent second pass", async () => {
    const db = await freshDatabase("sqlite", "smoke");
    try {
      const r = await runChild<{
        messages: number;
        mentions: number;
        peakRssMb: number;
        messagesPerSecond: number;
        second: { mentionsAdded: number; mentionsRemoved: number; unchanged: boolean };
      }>(childScript("import.ts"), [db.url, load.exportDir, "--twice"]);
      expect(r.messages).toBeGreaterThan(200);
      expect(r.mentions).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThan(0);
      expect(r.messagesPerSecond).toBeGreaterThan(0);
      expect(r.second).toMatchObject({ mentionsAdded: 0, mentionsRemoved: 0, unchanged: true });
    } finally {
      await db.drop();
    }
  });

  it("seeds a digest workspace with bulk SQL and builds its digest in a child process", async () => {
    const db = await freshDatabase("sqlite", "smoke");
    try {
      const now = new Date("2026-11-20T12:00:00Z");
      const seed = await seedDigestWorkspace(db.url, "sqlite", {
        members: 30,
        contacts: 80,
        mentions: 3000,
        now,
      });
      expect(seed.mentions).toBe(3000);
      const r = await runChild<{ seconds: number[]; view: Record<string, unknown> }>(
        childScript("digest.ts"),
        [db.url, seed.workspaceId, "2026-W46", now.toISOString(), "2"],
      );
      expect(r.seconds).toHaveLength(2);
      expect(r.view).toMatchObject({ week: "2026-W46", topContacts: expect.any(Number) });
      expect(r.view.topContacts).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });
});
