import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "tio-demo-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run demo", () => {
  it("imports the sample company, prompts people and builds the digest", async () => {
    const { stdout } = await run("npx", ["tsx", "src/cli.ts", "demo", "--out", out], {
      timeout: 120_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    const prompts = Number(/Prompts \((\d+) DMs/.exec(stdout)?.[1]);
    expect(prompts).toBeGreaterThan(0);
    expect(stdout).toMatch(/Take .+ to lunch\? You mentioned .+ times in the last 14 days/);
    expect(stdout).toMatch(/Take it offline — week 47/);
    expect(stdout).toMatch(/Offline coverage/);
    // A teammate with a connected (in-process) calendar gets free lunch times and books one.
    const offered = /When everyone is free: \(•\) (.+)/.exec(stdout)?.[1] ?? "";
    expect(offered.split("( )").length).toBeGreaterThanOrEqual(4);
    expect(stdout).toMatch(/They pick the suggested \w{3} \d+ \w{3}, \d{2}:\d{2}–\d{2}:\d{2}/);
    expect(stdout).toMatch(
      /Booked in .+'s calendar: "Lunch with .+", .+ for 60 minutes; the calendar invites \S+@/,
    );
    const digest = JSON.parse(readFileSync(join(out, "digest.json"), "utf8")) as {
      topContacts: Array<{ displayName: string }>;
    };
    expect(digest.topContacts.length).toBeGreaterThan(0);
    // The sample's lunch chat names a restaurant ("Thai Basil on Main St"): nobody's contact, so it is
    // neither tracked nor a candidate, and never in the channel digest.
    expect(stdout).not.toMatch(/Thai Basil|Main St\b/);
    expect(digest.topContacts.map((c) => c.displayName)).not.toContain("Thai Basil");
    expect(existsSync(join(out, "demo.db"))).toBe(true);
    // The dashboard's address and a one-time sign-in link for an admin of the sample company.
    expect(stdout).toMatch(/== The dashboard: http:\/\/127\.0\.0\.1:\d+\/app\//);
    expect(stdout).toMatch(/\/app\/auth\/link\?token=[A-Za-z0-9_-]{40,}/);
  }, 180_000);
});
