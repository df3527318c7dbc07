import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS } from "../../src/devtools/render/browser.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { slackTs } from "../helpers/slack-signing.ts";
import { startWebHarness, type WebHarness } from "../helpers/web.ts";
import { EXPECTED, type Seeded, seedHistory } from "../helpers/web-seed.ts";

// The dashboard in Debian's Chromium: sign in through the fake Slack OpenID provider by keyboard,
// the chart drawn by uPlot with the seeded numbers, every page checked by axe (no serious or
// critical violation) and photographed at desktop and phone width (data/screenshots/dashboard/),
// then the changes people make there: bulk review (seen in App Home and the digest), a refused
// setting, forget me. Nothing may load from another host.

const SHOTS = join(import.meta.dirname, "../../data/screenshots/dashboard");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PAGES = [
  ["overview", "/app/"],
  ["contacts", "/app/contacts"],
  ["lunches", "/app/lunches"],
  ["settings", "/app/settings"],
  ["my-data", "/app/me"],
] as const;

const provider = PROVIDERS[0] ?? "sqlite";

describe(`dashboard in Chromium (${provider})`, () => {
  let w: WebHarness;
  let seed: Seeded;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const foreign: string[] = [];
  const consoleErrors: string[] = [];

  /** Only our server and the fake OpenID provider may be reached; anything else is counted. */
  async function guard(ctx: BrowserContext): Promise<void> {
    await ctx.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(w.base) || url.startsWith(w.oidc.url)) return route.continue();
      foreign.push(url);
      return route.abort();
    });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    w = await startWebHarness(provider);
    seed = await seedHistory(w.h.app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // The pages run under the dashboard's Content-Security-Policy; a violation is a console error.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await guard(context);
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  async function axe(): Promise<Array<{ id: string; impact: string; nodes: number }>> {
    await page.addScriptTag({ content: AXE });
    // Run in the page (strings: this file is compiled without the DOM's types).
    return page.evaluate(
      "axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))",
    );
  }

  it("signs in with Slack by keyboard and lands on the overview", async () => {
    w.oidc.slackUser = { teamId: "T0NORTH", userId: "UANN", name: "Ann Smith" };
    await page.goto(`${w.base}/app/`);
    expect(new URL(page.url()).pathname).toBe("/app/sign-in");
    await page.screenshot({ path: join(SHOTS, "sign-in-desktop.png"), fullPage: true });
    // The skip link comes first, then the sign-in buttons.
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate<string>("document.activeElement?.textContent ?? ''");
    expect(await focused()).toBe("Skip to content");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Sign in with Slack");
    await Promise.all([page.waitForURL(`${w.base}/app/`), page.keyboard.press("Enter")]);
    expect(await page.textContent("h1")).toBe("Overview");
  });

  it("draws the coverage chart with the seeded numbers", async () => {
    await page.waitForSelector('#coverage-chart[data-drawn="26"]');
    const data = await page.evaluate<Array<Array<number | null>>>("tioChart.data.map((s) => [...s])");
    const [, coverage, planned, held] = data;
    expect(coverage).toHaveLength(26);
    expect(coverage?.at(-1)).toBe(50);
    expect(planned?.at(-1)).toBe(2);
    expect(held?.at(-1)).toBe(1);
    // Weeks W23–W34: one contact discussed, not met (0%); the rest: nothing to measure.
    expect(coverage?.filter((v) => v === 0)).toHaveLength(12);
    expect(coverage?.filter((v) => v === null)).toHaveLength(13);
    // Something was drawn on the canvas.
    const inked = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector("#coverage-chart canvas");
      const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    })()`);
    expect(inked).toBeGreaterThan(500);
    expect(await page.textContent("#coverage-now")).toBe("50%");
    expect(EXPECTED.lastWeek).toBe("2026-W46");
  });

  it("passes axe on every page, and reads on a phone", async () => {
    // axe is injected as an inline script, which the dashboard's CSP (rightly) forbids: these
    // checks run in a second context that bypasses it, signed in with the same cookies.
    const main = page;
    const axeContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      storageState: await context.storageState(),
    });
    await guard(axeContext);
    page = await axeContext.newPage();
    try {
      await checkPages();
    } finally {
      await axeContext.close();
      page = main;
    }
  });

  async function checkPages(): Promise<void> {
    for (const [name, path] of PAGES) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${w.base}${path}`);
      if (name === "overview") await page.waitForSelector('#coverage-chart[data-drawn="26"]');
      const bad = (await axe()).filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(bad, `${name}: ${JSON.stringify(bad)}`).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(100);
      // Nothing wider than the phone, except tables that scroll inside their own box.
      const overflow = await page.evaluate<number>("document.documentElement.scrollWidth");
      expect(overflow, name).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    }
  }

  it("bulk-reviews contacts; App Home and the next digest show the change", async () => {
    await page.goto(`${w.base}/app/contacts`);
    await page.check(`#sel-${seed.maybe.id}`);
    await Promise.all([page.waitForURL(/\/app\/contacts\?done=/), page.click('button[value="track"]')]);
    expect(await page.textContent(".notice")).toContain("Tracking 1 contact");
    expect((await w.h.app.store.getContact(seed.ws.id, seed.maybe.id))?.status).toBe("tracked");

    await w.h.event({
      type: "app_home_opened",
      user: "UCY",
      channel: "D0CY",
      tab: "home",
      event_ts: slackTs(w.h.clock.now().toISOString(), 2),
    });
    await w.h.settle();
    expect(JSON.stringify(w.h.fake.callsTo("views.publish").at(-1)?.args.view)).toContain("Maybe Person");
    const digest = await w.h.app.service.digestView(seed.ws, EXPECTED.lastWeek);
    expect(digest.topContacts.map((c) => c.displayName)).toContain("Maybe Person");

    // Sorting by name puts Ada first.
    await page.click('th:has(button:text("Name")) button');
    expect(await page.textContent("#contacts-table tbody tr:first-child th")).toContain("Ada Lovelace");
  });

  it("refuses an invalid setting with the form's message", async () => {
    await page.goto(`${w.base}/app/settings`);
    await page.fill("#f-mentionThreshold", "0");
    await page.click("button.primary");
    expect(await page.textContent("#f-mentionThreshold-err")).toMatch(/Enter a whole number from 1 to \d+\./);
    expect(await page.getAttribute("#f-mentionThreshold", "aria-invalid")).toBe("true");
    await page.screenshot({ path: join(SHOTS, "settings-error-desktop.png"), fullPage: true });
    expect((await w.h.app.store.getWorkspace(seed.ws.id))?.settings.mentionThreshold).toBe(
      seed.ws.settings.mentionThreshold,
    );
  });

  it("forgets me", async () => {
    await page.goto(`${w.base}/app/me`);
    await page.check('input[name="confirm"]');
    await Promise.all([page.waitForURL(/\/app\/me\?done=/), page.click("button.danger")]);
    expect(await page.textContent(".notice")).toContain("I deleted everything I had about you");
    expect(await page.textContent("#pause-state")).toContain("forget");
    expect(await w.h.app.store.getMember(seed.ws.id, "UANN")).toMatchObject({
      optedOut: true,
      displayName: "",
    });
    await page.screenshot({ path: join(SHOTS, "my-data-forgotten-desktop.png"), fullPage: true });
  });

  it("loaded nothing from another host, and nothing broke the Content-Security-Policy", () => {
    expect(foreign).toEqual([]);
    // (The refused settings form answers 400, which Chromium logs too: only CSP reports count here.)
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
