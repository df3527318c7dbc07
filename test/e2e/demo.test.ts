import { execFile, spawn } from "node:child_process";
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
    // Not on a terminal (CI, this test): it exits, and says how to keep the link alive.
    expect(stdout).toMatch(/npm run demo -- --serve/);
    expect(stdout).not.toMatch(/Ctrl-C to stop/);
  }, 180_000);

  it("on a terminal, keeps the dashboard up after the demo: its sign-in link works, Ctrl-C stops it", async () => {
    // A real pseudo-terminal (util-linux `script`), so the demo sees a TTY as a person's shell gives it.
    const child = spawn("script", ["-qfec", `npx tsx src/cli.ts demo --out ${out}`, "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!/Ctrl-C to stop[\s\S]*token=[A-Za-z0-9_-]{40,}/.test(output) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(output).toMatch(
        /== The dashboard: http:\/\/127\.0\.0\.1:\d+\/app\/ — open the link below; Ctrl-C to stop/,
      );
      expect(output).not.toMatch(/npm run demo -- --serve/);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/app\/auth\/link\?token=[A-Za-z0-9_-]{40,})/.exec(
        output,
      )?.[1] as string;
      const signIn = await fetch(link, { redirect: "manual" });
      expect(signIn.status).toBeGreaterThanOrEqual(300);
      expect(signIn.status).toBeLessThan(400);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const page = await fetch(new URL("/app/", link), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/Offline coverage|coverage/i);
      // Ctrl-C, typed on the terminal: everything ends (130, as a shell reports Ctrl-C), the server with it.
      child.stdin.write("\x03");
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r("still running"), 20_000)),
      ]);
      expect(code).not.toBe("still running");
      expect(output).toMatch(/Stopped the demo's server\./);
      await expect(fetch(link)).rejects.toThrow();
    } finally {
      child.kill("SIGKILL");
    }
  }, 200_000);
});
