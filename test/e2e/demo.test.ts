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
    // The organizer and a teammate connect through the fake Google / Microsoft consent flow; the
    // form offers times when both are free (their busy times left out), and one is booked.
    expect(stdout).toMatch(/Google Calendar \S+@\S+, busy Thu 26 Nov, 11:00–14:00/);
    expect(stdout).toMatch(/Outlook \(Microsoft Graph\) \S+@\S+, busy Fri 27 Nov, 11:30–13:00/);
    const offered = /When everyone is free: \(•\) (.+)/.exec(stdout)?.[1] ?? "";
    expect(offered.split("( )").length).toBeGreaterThanOrEqual(4);
    expect(offered).not.toMatch(/Thu 26 Nov|Fri 27 Nov, 1[12]:/);
    expect(stdout).toMatch(/They pick the suggested \w{3} \d+ \w{3}, \d{2}:\d{2}–\d{2}:\d{2}/);
    expect(stdout).toMatch(
      /Booked in .+'s calendar at the fake Google Calendar: "Lunch with .+", .+ for 60 minutes; the calendar invites \S+@.+ \(sendUpdates=all\)/,
    );
    // The next week the daily job finds a meeting in the teammate's calendar; coverage moves.
    const story = JSON.parse(readFileSync(join(out, "calendar.json"), "utf8")) as {
      booked: Array<{ title: string; start: string; end: string; attendees: string[] }>;
      job: { ran: boolean; outcome: string; summary: { read: number; recorded: number } };
      counted: Array<{ day: string; source: string; contact: string }>;
      coverage: {
        before: { met: number; percentLabel: string };
        after: { met: number; percentLabel: string };
      };
    };
    // The event the real Google client inserted at the fake: an hour, the contact invited by email.
    expect(story.booked).toHaveLength(1);
    const [lunch] = story.booked;
    expect(lunch?.title).toMatch(/^Lunch with /);
    expect(Date.parse(lunch?.end ?? "") - Date.parse(lunch?.start ?? "")).toBe(3_600_000);
    expect(lunch?.attendees.length).toBeGreaterThanOrEqual(2);
    expect(lunch?.attendees.some((e) => !e.endsWith("@northwind.example"))).toBe(true);
    expect(story.job).toMatchObject({ ran: true, outcome: "ok", summary: { read: 2, recorded: 1 } });
    expect(story.counted).toEqual([{ day: "2026-12-03", source: "calendar", contact: "María García" }]);
    expect(stdout).toMatch(
      /App Home: Counted your meeting with María García on Thu 3 Dec from your calendar/,
    );
    expect(story.coverage.after.met).toBe(story.coverage.before.met + 1);
    expect(stdout).toContain(
      `${story.coverage.before.percentLabel} before the job, ${story.coverage.after.percentLabel} after`,
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
