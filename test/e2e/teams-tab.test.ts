import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS } from "../../src/devtools/render/browser.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { MS_CLIENT, startWebHarness, type WebHarness } from "../helpers/web.ts";

// The Teams tab in Debian's Chromium, framed the way Teams frames it: a host page on
// https://teams.microsoft.com (served by the browser's request routing, nothing leaves the machine)
// puts our /app/teams in an iframe and answers the tab's teams-js over postMessage as Teams does:
// "initialize" with a context and runtime config, "authentication.getAuthToken" with a token the
// fake identity platform minted. The dashboard is served over https (a local TLS proxy with a
// throwaway certificate in front of the real server) because that is what makes the third-party
// iframe's session cookie possible at all: SameSite=None; Secure; Partitioned. The tab must end up
// on the overview signed in as the member; when Teams refuses the token, it must say so.

const provider = PROVIDERS[0] ?? "sqlite";
const HOST = "https://teams.microsoft.com";

/**
 * The Teams host stand-in: frames the tab and answers its requests, recording what it got. For
 * "authentication.authenticate" it opens the pop-up as Teams does, answers the pop-up's own
 * "initialize" (an authentication frame), and passes its notifySuccess result back to the tab.
 */
function hostPage(tabUrl: string, tokenReply: [boolean, string]): string {
  return `<!doctype html><html><head><title>Teams</title></head><body>
<iframe id="tab" title="Take It Offline" src="${tabUrl}" style="width:1000px;height:700px"></iframe>
<script>
window.received = [];
const reply = ${JSON.stringify(tokenReply)};
const runtime = JSON.stringify({ apiVersion: 4, hostVersionsInfo: {}, isLegacyTeams: false, supports: {} });
let popup = null;
let pending = null;
const answer = (to, request, origin, args) =>
  to.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, origin);
window.addEventListener("message", (e) => {
  const tab = document.getElementById("tab").contentWindow;
  if (!e.data || typeof e.data.func !== "string") return;
  if (e.source === tab) {
    window.received.push(e.data.func);
    if (e.data.func === "initialize")
      answer(tab, e.data, e.origin, ["content", "web", runtime, "2.58.0"]);
    else if (e.data.func === "authentication.getAuthToken") answer(tab, e.data, e.origin, reply);
    else if (e.data.func === "authentication.authenticate") {
      pending = { request: e.data, origin: e.origin };
      popup = window.open(e.data.args[0], "auth", "width=600,height=600");
    }
  } else if (popup && e.source === popup) {
    window.received.push("popup:" + e.data.func);
    if (e.data.func === "initialize")
      answer(popup, e.data, e.origin, ["authentication", "web", runtime, "2.58.0"]);
    else if (e.data.func === "authentication.authenticate.success" && pending) {
      answer(tab, pending.request, pending.origin, [true, e.data.args[0]]);
      pending = null;
    }
  }
});
</script></body></html>`;
}

describe(`Teams tab in Chromium (${provider})`, () => {
  let w: WebHarness;
  let tls: Server;
  let publicUrl: string;
  let certDir: string;
  let browser: Browser;
  const foreign: string[] = [];

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), "tio-tab-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(certDir, "key.pem"),
        "-out",
        join(certDir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    // https in front of the real server: every request and answer passed through as they are.
    tls = createHttpsServer(
      { key: readFileSync(join(certDir, "key.pem")), cert: readFileSync(join(certDir, "cert.pem")) },
      (req, res) => {
        const target = new URL(w.base);
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    publicUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    w = await startWebHarness(provider, { microsoft: true, env: { PUBLIC_URL: publicUrl } });
    const contoso = await w.h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-1",
      name: "Contoso",
    });
    await w.h.app.service.member(contoso, {
      platformUserId: "29:dana",
      displayName: "Dana Teams",
      external: false,
      aadObjectId: "oid-dana",
    });
    // Teams (a public site) framing a loopback address is what Local Network Access blocks; in
    // real life the tab's host is public, so the check is switched off for this stand-in only.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await new Promise((resolve) => tls?.close(resolve));
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  /** A fresh browser on the host page; only the host page and our server are reachable. */
  async function openTab(tokenReply: [boolean, string]): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 800 } });
    await ctx.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${HOST}/`))
        return route.fulfill({
          contentType: "text/html; charset=utf-8",
          body: hostPage(`${publicUrl}/app/teams`, tokenReply),
        });
      if (url.startsWith(publicUrl) || url.startsWith(w.oidc.url)) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const page = await ctx.newPage();
    await page.goto(`${HOST}/_#/apps/take-it-offline`);
    return { ctx, page };
  }

  function tabFrame(page: Page): Frame {
    const frame = page.frames().find((f) => f.url().startsWith(publicUrl));
    if (!frame) throw new Error(`the tab's frame is missing: ${page.frames().map((f) => f.url())}`);
    return frame;
  }

  it("signs in with the token Teams gives the tab and lands on the overview", async () => {
    const token = await w.oidc.teamsSsoToken({
      tenantId: "tenant-1",
      objectId: "oid-dana",
      audience: `api://127.0.0.1:${new URL(publicUrl).port}/${MS_CLIENT.clientId}`,
    });
    const { ctx, page } = await openTab([true, token]);
    try {
      await expect.poll(() => new URL(tabFrame(page).url()).pathname, { timeout: 15_000 }).toBe("/app/");
      const frame = tabFrame(page);
      await frame.waitForSelector("h1");
      expect(await frame.textContent("h1")).toBe("Overview");
      expect(await frame.textContent("header")).toContain("Contoso");
      expect(await frame.textContent("header")).toContain("Dana Teams");
      expect(await page.evaluate("window.received")).toEqual(
        expect.arrayContaining(["initialize", "authentication.getAuthToken"]),
      );
      // The session cookie the iframe keeps: third-party, so None, Secure and partitioned under
      // Teams' site (kept for our site framed by Teams only).
      const session = (await ctx.cookies()).find((c) => c.name === "tio_session");
      expect(session).toMatchObject({
        sameSite: "None",
        secure: true,
        httpOnly: true,
        partitionKey: "https://microsoft.com",
      });
      // A form in the tab still passes the CSRF check (our origin, the session's token).
      await frame.goto(`${publicUrl}/app/me`);
      await frame.click('button:has-text("Pause prompts")');
      await frame.waitForSelector(".notice.ok");
      expect(new URL(frame.url()).pathname).toBe("/app/me");
    } finally {
      await ctx.close();
    }
    expect(foreign).toEqual([]);
  }, 60_000);

  it("says why when Teams has no token for the app, and offers the way out", async () => {
    const { ctx, page } = await openTab([false, "resourceRequiresConsent"]);
    try {
      await expect.poll(() => page.frames().length, { timeout: 10_000 }).toBeGreaterThan(1);
      const frame = tabFrame(page);
      await frame.waitForSelector("#tab-failed:not([hidden])", { timeout: 15_000 });
      expect(await frame.textContent("#tab-status")).toBe("Couldn't sign you in.");
      expect(await frame.textContent("#tab-reason")).toContain("resourceRequiresConsent");
      expect(await frame.isVisible("#tab-retry")).toBe(true);
      expect(await frame.getAttribute("a[target=_blank]", "href")).toBe("/app/");
      expect((await ctx.cookies(publicUrl)).some((c) => c.name === "tio_session")).toBe(false);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  it("falls back to the Microsoft sign-in in Teams' pop-up, which hands the tab a one-time token", async () => {
    w.oidc.microsoftUser = { tenantId: "tenant-1", objectId: "oid-dana" };
    const { ctx, page } = await openTab([false, "resourceRequiresConsent"]);
    try {
      await expect.poll(() => page.frames().length, { timeout: 10_000 }).toBeGreaterThan(1);
      const frame = tabFrame(page);
      await frame.waitForSelector("#tab-failed:not([hidden])", { timeout: 15_000 });
      const popup = ctx.waitForEvent("page");
      await frame.click("#tab-popup");
      // The pop-up signs in and closes itself once it has handed over the token.
      await (await popup).waitForEvent("close", { timeout: 20_000 });
      await expect.poll(() => new URL(tabFrame(page).url()).pathname, { timeout: 15_000 }).toBe("/app/");
      const signedIn = tabFrame(page);
      await signedIn.waitForSelector("h1");
      expect(await signedIn.textContent("h1")).toBe("Overview");
      expect(await signedIn.textContent("header")).toContain("Dana Teams");
      expect(await page.evaluate("window.received")).toEqual(
        expect.arrayContaining([
          "authentication.authenticate",
          "popup:initialize",
          "popup:authentication.authenticate.success",
        ]),
      );
      const session = (await ctx.cookies()).find((c) => c.name === "tio_session" && c.partitionKey);
      expect(session).toMatchObject({ sameSite: "None", partitionKey: "https://microsoft.com" });
    } finally {
      await ctx.close();
    }
    expect(foreign).toEqual([]);
  }, 60_000);
});
