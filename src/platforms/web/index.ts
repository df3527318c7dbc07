import type { IncomingMessage, ServerResponse } from "node:http";
import { DASHBOARD_PREFIX } from "../../app/dashboard.ts";
import type { ReviewAction } from "../../app/service.ts";
import { parseCommand } from "../../core/commands.ts";
import { markupToPlain } from "../../core/format.ts";
import { type RawSettingsForm, SETTINGS_FORM, type SettingsField } from "../../core/forms/settings.ts";
import { memberTimeZone } from "../../core/nudges.ts";
import { withoutTrailingSlashes } from "../../core/text.ts";
import type { Member, Workspace } from "../../core/types.ts";
import { BodyTooLarge, readBody, refuseBody } from "../../http-body.ts";
import type { PlatformDeps } from "../types.ts";
import { type Assets, loadAssets } from "./assets.ts";
import { type Html, join as htmlJoin, type NavItem, page } from "./html.ts";
import { type OidcProvider, oidcProviders, SignInError, teamsSsoVerifier } from "./oidc.ts";
import {
  contactsBody,
  lunchesBody,
  myDataBody,
  notice,
  overviewBody,
  type PageContext,
  settingsBody,
  signInBody,
  teamsPopupBody,
  teamsTabBody,
} from "./pages.ts";
import {
  CookieSigner,
  LOGIN_COOKIE,
  LOGIN_MINUTES,
  randomToken,
  readCookies,
  SESSION_COOKIE,
  SESSION_HOURS,
  type Session,
  sameToken,
  sessionKey,
  setCookie,
} from "./session.ts";

// The web dashboard: one more adapter of the same use cases (DESIGN.md §1), served by the one HTTP
// server under PREFIX. Server-rendered HTML with a small bundled script (the chart, table sorting);
// sign-in with Slack or Microsoft (oidc.ts); sessions in signed cookies (session.ts). It reads and
// changes nothing except through the service.

export const PREFIX = DASHBOARD_PREFIX;
const FORM_LIMIT = 64 * 1024;
/**
 * Who may frame the pages: the Microsoft 365 hosts of a Teams tab, as Microsoft lists them for
 * tab pages (Teams, the Microsoft 365 app, Outlook; *.cloud.microsoft, where they all move).
 * Every page, since the tab navigates from its sign-in to the rest of the dashboard.
 */
const FRAME_ANCESTORS = [
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://*.cloud.microsoft",
  "https://*.microsoft365.com",
  "https://*.office.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook-sdf.office.com",
  "https://outlook-sdf.office365.com",
].join(" ");

export interface WebDashboard {
  /** Handles the request when its path is under PREFIX. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The dashboard's address (PUBLIC_URL + PREFIX). */
  url: string;
}

interface Viewer {
  session: Session;
  workspace: Workspace;
  member: Member;
  isAdmin: boolean;
}

/** The dashboard when PUBLIC_URL is set (redirects are built from it); null otherwise. */
export function createWebDashboard(deps: PlatformDeps): WebDashboard | null {
  const { app } = deps;
  const config = app.config;
  if (!config.PUBLIC_URL) return null;
  const log = app.log.child({ platform: "web" });
  const base = `${withoutTrailingSlashes(config.PUBLIC_URL)}${PREFIX}`;
  const origin = new URL(config.PUBLIC_URL).origin;
  const secure = config.PUBLIC_URL.startsWith("https:");
  const key = sessionKey(config.SESSION_SECRET, config.TOKEN_ENCRYPTION_KEY);
  if (!key)
    log.warn(
      "no SESSION_SECRET or TOKEN_ENCRYPTION_KEY: dashboard sessions are signed with a key of this process only",
    );
  const signer = new CookieSigner(key ?? Buffer.from(randomToken() + randomToken()));
  const providers = oidcProviders(config, base);
  const teamsSso = teamsSsoVerifier(config);
  const service = app.service;
  let assets: Promise<Assets> | null = null;

  const cookie = (name: string, value: string, maxAgeSeconds: number, path = PREFIX, framed = false) =>
    setCookie(name, value, { path, maxAgeSeconds, secure, framed });

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      // Nothing loads from another host; no inline script runs (the chart's data is a JSON block).
      // (teams-js asks a Microsoft CDN for its list of host origins; refused, it uses its own.)
      "content-security-policy": `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors ${FRAME_ANCESTORS}; form-action 'self' https:; base-uri 'none'`,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "cache-control": "no-store",
      ...headers,
    });
    res.end(body);
  }

  function redirect(res: ServerResponse, to: string, cookies: string[] = []): void {
    res.writeHead(303, {
      location: to,
      "cache-control": "no-store",
      ...(cookies.length ? { "set-cookie": cookies } : {}),
    });
    res.end();
  }

  const withNotice = (path: string, kind: "done" | "error", text: string) =>
    `${PREFIX}${path}?${kind}=${encodeURIComponent(text)}`;

  async function viewer(req: IncomingMessage): Promise<Viewer | null> {
    const session = signer.session(readCookies(req).get(SESSION_COOKIE), app.clock.now());
    if (!session) return null;
    const found = await service.sessionMember(session.p, session.w, session.u);
    if (!found) return null;
    const { workspace, member } = found;
    const isAdmin = await service.viewerAdministers(workspace, member, config.TEAMS_ADMIN_IDS);
    return { session, workspace, member, isAdmin };
  }

  function navFor(v: Viewer): NavItem[] {
    return [
      { href: `${PREFIX}/`, label: "Overview" },
      ...(v.isAdmin ? [{ href: `${PREFIX}/contacts`, label: "Contacts" }] : []),
      { href: `${PREFIX}/lunches`, label: "Lunches" },
      ...(v.isAdmin ? [{ href: `${PREFIX}/settings`, label: "Settings" }] : []),
      { href: `${PREFIX}/me`, label: "My data" },
    ];
  }

  function render(
    res: ServerResponse,
    v: Viewer,
    path: string,
    title: string,
    body: Html,
    status = 200,
  ): void {
    send(
      res,
      status,
      page({
        title,
        prefix: PREFIX,
        path,
        nav: navFor(v),
        workspaceName: v.workspace.name,
        who: v.member.displayName || v.member.realName,
        csrf: v.session.csrf,
        body,
      }),
    );
  }

  function ctx(v: Viewer): PageContext {
    return {
      prefix: PREFIX,
      csrf: v.session.csrf,
      timeZone: memberTimeZone(v.member.tz, v.workspace.timezone),
      isAdmin: v.isAdmin,
    };
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("application/x-www-form-urlencoded")) return new URLSearchParams();
    return new URLSearchParams((await readBody(req, FORM_LIMIT)).toString("utf8"));
  }

  function sessionCookie(ws: Workspace, member: Member, framed: boolean): string {
    const session: Session = {
      p: ws.platform,
      w: ws.externalId,
      u: member.platformUserId,
      csrf: randomToken(),
      exp: app.clock.now().getTime() + SESSION_HOURS * 3600_000,
    };
    return cookie(SESSION_COOKIE, signer.seal(session), SESSION_HOURS * 3600, PREFIX, framed);
  }

  function startSession(res: ServerResponse, ws: Workspace, member: Member, framed = false): void {
    redirect(res, `${PREFIX}/`, [
      sessionCookie(ws, member, framed),
      cookie(LOGIN_COOKIE, "", 0, `${PREFIX}/auth`),
    ]);
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, cookies: string[] = []): void {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...(cookies.length ? { "set-cookie": cookies } : {}),
    });
    res.end(JSON.stringify(body));
  }

  /**
   * The Teams tab's sign-in: its script (client/teams-tab.ts) posts the token Teams gave it.
   * No session exists yet to carry a CSRF token, so the Origin must be ours (a browser always
   * sends it with a POST); the token itself is the proof of who. Answers JSON for the script.
   */
  async function teamsSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!teamsSso)
      return sendJson(res, 404, {
        ok: false,
        error: "Teams sign-in is not configured here (MICROSOFT_APP_ID).",
      });
    if (req.headers.origin !== origin)
      return sendJson(res, 403, { ok: false, error: "This sign-in came from another site." });
    const token = (await readForm(req)).get("token") ?? "";
    if (token.length < 10 || token.length > 20_000)
      return sendJson(res, 400, { ok: false, error: "No Teams token came with the sign-in." });
    let result: Awaited<ReturnType<typeof service.signInAs>>;
    try {
      result = await service.signInAs(await teamsSso(token));
    } catch (err) {
      if (!(err instanceof SignInError) && !(err instanceof TypeError)) throw err;
      log.warn("Teams tab sign-in refused", { reason: (err as Error).message });
      return sendJson(res, 401, { ok: false, error: "Teams' sign-in token didn't check out." });
    }
    if (!result.ok)
      return sendJson(res, 403, {
        ok: false,
        error:
          result.reason === "no-workspace"
            ? "Take It Offline isn't installed in your organization's Teams."
            : "I don't know you yet: send the bot a message in Teams first, then open this tab again.",
      });
    sendJson(res, 200, { ok: true, to: `${PREFIX}/` }, [
      sessionCookie(result.workspace, result.member, true),
    ]);
  }

  function signInPage(res: ServerResponse, error: string | null, status = 200): void {
    send(
      res,
      status,
      page({
        title: "Sign in",
        prefix: PREFIX,
        path: "",
        nav: [],
        body: signInBody(providers, PREFIX, error),
      }),
    );
  }

  async function authRoute(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
  ): Promise<boolean> {
    const m = /^\/auth\/(slack|microsoft)(\/callback)?$/.exec(path);
    if (path === "/auth/link") {
      const found = await service.useSignInLink(url.searchParams.get("token") ?? "");
      if (!found) {
        signInPage(res, "That sign-in link was used already or has expired.", 400);
        return true;
      }
      // From the Teams tab's pop-up sign-in (below): the session is for Teams' frame.
      startSession(res, found.workspace, found.member, url.searchParams.get("tab") === "1");
      return true;
    }
    if (!m || req.method !== "GET") return false;
    const provider: OidcProvider | undefined = providers.find((p) => p.name === m[1]);
    if (!provider) {
      signInPage(res, "That sign-in is not configured here.", 404);
      return true;
    }
    if (!m[2]) {
      const attempt = {
        provider: provider.name,
        state: randomToken(),
        nonce: randomToken(),
        exp: app.clock.now().getTime() + LOGIN_MINUTES * 60_000,
        ...(url.searchParams.get("tab") === "1" ? { tab: true } : {}),
      };
      redirect(res, provider.authorizeUrl(attempt.state, attempt.nonce), [
        cookie(LOGIN_COOKIE, signer.seal(attempt), LOGIN_MINUTES * 60, `${PREFIX}/auth`),
      ]);
      return true;
    }
    const attempt = signer.login(readCookies(req).get(LOGIN_COOKIE), app.clock.now());
    const code = url.searchParams.get("code");
    if (
      !attempt ||
      attempt.provider !== provider.name ||
      !sameToken(url.searchParams.get("state") ?? undefined, attempt.state)
    ) {
      signInPage(res, "That sign-in didn't start here or took too long. Please try again.", 400);
      return true;
    }
    if (!code || code.length > 2000) {
      signInPage(
        res,
        `${provider.label} didn't sign you in (${url.searchParams.get("error") ?? "no code"}).`,
        400,
      );
      return true;
    }
    let result: Awaited<ReturnType<typeof service.signInAs>>;
    try {
      result = await service.signInAs(await provider.identify(code, attempt.nonce));
    } catch (err) {
      if (!(err instanceof SignInError) && !(err instanceof TypeError)) throw err;
      log.warn("dashboard sign-in refused", { provider: provider.name, reason: (err as Error).message });
      signInPage(res, `${provider.label} sign-in didn't check out. Please try again.`, 400);
      return true;
    }
    if (!result.ok) {
      signInPage(
        res,
        result.reason === "no-workspace"
          ? "Take It Offline isn't installed in your workspace."
          : "I don't know you yet: send the bot a message in Teams first, then sign in again.",
        403,
      );
      return true;
    }
    if (attempt.tab) {
      // The Teams tab's fallback runs this sign-in in Teams' pop-up (authentication.authenticate),
      // a window whose cookies the tab's frame never sees: the pop-up hands the tab a one-time
      // sign-in link token instead (authentication.notifySuccess), which the tab redeems.
      const token = await service.createSignInLink(result.workspace, result.member, LOGIN_MINUTES);
      send(
        res,
        200,
        page({
          title: "Signed in",
          prefix: PREFIX,
          path,
          nav: [],
          body: teamsPopupBody(token),
          script: "teams",
        }),
        { "set-cookie": cookie(LOGIN_COOKIE, "", 0, `${PREFIX}/auth`) },
      );
      return true;
    }
    startSession(res, result.workspace, result.member);
    return true;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.slice(PREFIX.length) || "/";
    const method = req.method ?? "GET";

    if (path.startsWith("/assets/")) {
      assets ??= loadAssets();
      const a = (await assets).get(path.slice("/assets/".length));
      if (!a) return send(res, 404, "not found", { "content-type": "text/plain" });
      res.writeHead(200, {
        "content-type": a.type,
        "cache-control": "public, max-age=300",
        "x-content-type-options": "nosniff",
      });
      res.end(a.body);
      return;
    }
    if (path === "/auth/teams-sso" && method === "POST") return teamsSignIn(req, res);
    if (path.startsWith("/auth/") && (await authRoute(req, res, path, url))) return;
    if (path === "/sign-in") return signInPage(res, null);
    if (path === "/teams")
      return send(
        res,
        200,
        page({
          title: "Take It Offline",
          prefix: PREFIX,
          path,
          nav: [],
          body: teamsTabBody(
            PREFIX,
            teamsSso !== null,
            providers.some((p) => p.name === "microsoft"),
          ),
          script: "teams",
        }),
      );

    const v = await viewer(req);
    if (!v) {
      if (method === "GET") return redirect(res, `${PREFIX}/sign-in`);
      return send(res, 401, "Sign in first.", { "content-type": "text/plain" });
    }

    if (method === "POST") {
      // CSRF: the form's token must be the session's, and a browser's Origin (when sent) ours.
      const from = req.headers.origin;
      const form = await readForm(req);
      if ((from && from !== origin) || !sameToken(form.get("_csrf") ?? undefined, v.session.csrf)) {
        return send(res, 403, "This form expired or came from elsewhere. Reload the page and try again.", {
          "content-type": "text/plain",
        });
      }
      return post(res, v, path, form);
    }
    if (method !== "GET") return send(res, 405, "method not allowed", { "content-type": "text/plain" });

    const c = ctx(v);
    const shown = notice(
      url.searchParams.has("error") ? "error" : url.searchParams.has("done") ? "done" : null,
      url.searchParams.get("error") ?? url.searchParams.get("done"),
    );
    switch (path) {
      case "/":
        return render(
          res,
          v,
          `${PREFIX}/`,
          "Overview",
          htmlJoin(shown, overviewBody(await service.overview(v.workspace), c)),
        );
      case "/contacts": {
        if (!v.isAdmin) return forbidden(res, v);
        const status = url.searchParams.get("status") ?? "";
        const query = (url.searchParams.get("q") ?? "").slice(0, 200);
        const rows = await service.contactsTable(v.workspace, {
          query,
          ...(status === "tracked" || status === "candidate" || status === "ignored" ? { status } : {}),
        });
        return render(
          res,
          v,
          `${PREFIX}/contacts`,
          "Contacts",
          htmlJoin(shown, contactsBody(rows, c, { query, status })),
        );
      }
      case "/lunches": {
        const rows = await service.lunchesTable(v.workspace, v.isAdmin ? {} : { memberId: v.member.id });
        return render(
          res,
          v,
          `${PREFIX}/lunches`,
          "Lunches and meetings",
          htmlJoin(shown, lunchesBody(rows, c)),
        );
      }
      case "/settings":
        if (!v.isAdmin) return forbidden(res, v);
        return render(
          res,
          v,
          `${PREFIX}/settings`,
          "Settings",
          htmlJoin(shown, settingsBody(v.workspace, c, await channels(v.workspace), null, {})),
        );
      case "/me":
        return render(
          res,
          v,
          `${PREFIX}/me`,
          "My data",
          htmlJoin(shown, myDataBody(await service.myData(v.workspace, v.member, v.isAdmin), c)),
        );
      case "/me.json": {
        const data = await service.myData(v.workspace, v.member, v.isAdmin);
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-disposition": 'attachment; filename="take-it-offline-my-data.json"',
          "cache-control": "no-store",
        });
        res.end(JSON.stringify(data, null, 2));
        return;
      }
      default:
        return send(
          res,
          404,
          page({
            title: "Not found",
            prefix: PREFIX,
            path,
            nav: navFor(v),
            csrf: v.session.csrf,
            body: htmlJoin(),
          }),
        );
    }
  }

  async function channels(ws: Workspace): Promise<Array<{ id: string; name: string }>> {
    return (await service.channels.list(ws.id)).map((ch) => ({ id: ch.channelId, name: ch.name }));
  }

  function forbidden(res: ServerResponse, v: Viewer): void {
    render(res, v, "", "Admins only", htmlJoin(notice("error", "This page is for workspace admins.")), 403);
  }

  async function post(res: ServerResponse, v: Viewer, path: string, form: URLSearchParams): Promise<void> {
    switch (path) {
      case "/sign-out":
        // Both kinds, since a browser keeps a tab's partitioned cookie apart from a plain one.
        return redirect(res, `${PREFIX}/sign-in`, [
          cookie(SESSION_COOKIE, "", 0),
          ...(secure ? [cookie(SESSION_COOKIE, "", 0, PREFIX, true)] : []),
        ]);
      case "/contacts/review": {
        if (!v.isAdmin) return forbidden(res, v);
        const ids = form.getAll("id").slice(0, 1000);
        const action = form.get("action");
        if (ids.length === 0)
          return redirect(res, withNotice("/contacts", "error", "Select at least one contact."));
        if (action === "merge") {
          const merged = await service.mergeContacts(v.workspace, ids);
          return redirect(
            res,
            merged.ok
              ? withNotice("/contacts", "done", `Merged ${merged.merged + 1} contacts into one.`)
              : withNotice("/contacts", "error", merged.message),
          );
        }
        if (action !== "track" && action !== "not-external" && action !== "ignore")
          return redirect(
            res,
            withNotice("/contacts", "error", "Pick what to do with the selected contacts."),
          );
        const n = await service.reviewContacts(v.workspace, ids, action as ReviewAction);
        const what = action === "track" ? "Tracking" : "Hidden for everyone on the team:";
        return redirect(
          res,
          withNotice("/contacts", "done", `${what} ${n} ${n === 1 ? "contact" : "contacts"}.`),
        );
      }
      case "/settings": {
        if (!v.isAdmin) return forbidden(res, v);
        const raw: RawSettingsForm = {};
        const submitted: Partial<Record<SettingsField, string>> = {};
        for (const f of SETTINGS_FORM) {
          const all = form.getAll(f.name);
          if (f.kind === "weekdays") {
            if (form.has(`${f.name}__present`)) raw[f.name] = all;
            submitted[f.name] = all.join(",");
          } else if (form.has(f.name)) {
            raw[f.name] = all[0] ?? "";
            submitted[f.name] = all[0] ?? "";
          }
        }
        const known = await channels(v.workspace);
        const result = await service.saveSettingsForm(v.workspace, raw, {
          isChannel: (id) => known.some((ch) => ch.id === id) || id === v.workspace.digestChannel,
        });
        if (!result.ok)
          return render(
            res,
            v,
            `${PREFIX}/settings`,
            "Settings",
            settingsBody(v.workspace, ctx(v), known, submitted, result.errors),
            400,
          );
        return redirect(res, withNotice("/settings", "done", "Settings saved."));
      }
      case "/me/pause":
      case "/me/resume":
      case "/me/forget": {
        if (path === "/me/forget" && form.get("confirm") !== "yes")
          return redirect(
            res,
            withNotice("/me", "error", "Tick the box to confirm, then press Delete my data."),
          );
        const days = Number(form.get("days"));
        const text =
          path === "/me/pause"
            ? form.get("days")
              ? `pause ${Number.isInteger(days) && days > 0 && days <= 365 ? days : 14}d`
              : "pause"
            : path === "/me/resume"
              ? "resume"
              : "forget-me confirm";
        const reply = await service.execute(v.workspace, v.member, parseCommand(text), {
          isAdmin: v.isAdmin,
        });
        const message = "text" in reply ? markupToPlain(reply.text) : "Done.";
        return redirect(res, withNotice("/me", reply.kind === "error" ? "error" : "done", message));
      }
      default:
        return send(res, 404, "not found", { "content-type": "text/plain" });
    }
  }

  return {
    url: base,
    async handle(req, res) {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
      if (path === PREFIX) {
        redirect(res, `${PREFIX}/`);
        return true;
      }
      try {
        await route(req, res);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          refuseBody(req, res, 413, { ok: false, error: "body too large" });
          return true;
        }
        throw err;
      }
      return true;
    },
  };
}
