import type { IncomingMessage, ServerResponse } from "node:http";
import {
  App,
  type AppOptions,
  type AuthorizeResult,
  ErrorCode,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type Installation,
  webApi,
} from "@slack/bolt";
import { decodeKey } from "../../config.ts";
import { BodyTooLarge, MAX_BODY_BYTES, readBody, refuseBody, sendJson } from "../../http-body.ts";
import type { Platform, PlatformDeps } from "../types.ts";
import type { SlackChat } from "./chat.ts";
import { checkSignature, isFormBody, isSslCheck, parseSlackBody, routeSlackBody } from "./edge.ts";
import { BOT_SCOPES } from "./ids.ts";
import { type InboxOptions, inboxMiddleware, RAW_BODY, replayPending } from "./inbox.ts";
import { externalIdOf, SlackInstallationStore } from "./installation-store.ts";
import { registerActions } from "./listeners/actions.ts";
import { registerCommands } from "./listeners/commands.ts";
import { eventHandlers, wantedEvent } from "./listeners/events.ts";
import { registerViews } from "./listeners/views.ts";
import { boltLogger } from "./logger.ts";
import { type SlackMode, SlackRuntime } from "./runtime.ts";
import { DeferredAckSocketModeReceiver } from "./socket-receiver.ts";

// The Slack app: Bolt 5 mounted on our one HTTP server.
//
// - HTTP mode: Bolt's HTTPReceiver is never started (it would open its own port); server.ts hands
//   POST /slack/events and the OAuth pages to this platform. Events API deliveries, once the edge
//   has checked them, go straight to App.processEvent and are answered when it returns (after the
//   inbox has stored them); commands, interactivity and the OAuth pages go to the receiver's
//   requestListener, where processBeforeResponse likewise holds every ack until the middleware and
//   the listeners' synchronous part have run.
// - Socket Mode (SLACK_APP_TOKEN): a receiver with the same deferred ack over Slack's WebSocket.
// - Auth: one workspace with SLACK_BOT_TOKEN, or any number through OAuth (/slack/install →
//   /slack/oauth_redirect) with installations encrypted in the database.

export const PATHS = {
  events: "/slack/events",
  install: "/slack/install",
  redirect: "/slack/oauth_redirect",
} as const;

/** How often stored-but-unfinished events are retried, and how old they must be first. */
const REPLAY_EVERY_MS = 60_000;
const REPLAY_AFTER_MS = 60_000;

export interface SlackPlatform extends Platform {
  name: "slack";
  chat: SlackChat;
  bolt: App;
  runtime: SlackRuntime;
  socketMode: boolean;
  /** Re-runs stored events older than `olderThan` that were never finished; returns how many. */
  replayPending(olderThan?: Date): Promise<number>;
}

export async function createSlackPlatform(deps: PlatformDeps): Promise<SlackPlatform | null> {
  const config = deps.app.config;
  const log = deps.app.log.child({ platform: "slack" });
  const oauth = Boolean(config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET && config.SLACK_STATE_SECRET);
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  if (!oauth && !config.SLACK_BOT_TOKEN) {
    if (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN) {
      log.warn(
        "Slack is half configured: set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (OAuth)",
      );
    }
    return null;
  }
  if (!socketMode && !config.SLACK_SIGNING_SECRET) {
    throw new Error("Slack over HTTP needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN to use Socket Mode)");
  }
  if (oauth && config.SLACK_BOT_TOKEN)
    log.warn("SLACK_BOT_TOKEN is ignored: OAuth is configured, so tokens come from installations");

  const logger = boltLogger(log, config.LOG_LEVEL);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    // Rate limits are honoured separately (the client waits for Retry-After); this bounds retries of
    // network errors so a dead connection can't hold a background task (or shutdown) for half an hour.
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true },
    timeout: 20_000,
  };

  // The Web API hands retryConfig to p-retry as is; its type just doesn't list p-retry's hooks.
  const postOnceRetry: webApi.RetryOptions = Object.assign(
    { ...clientOptions.retryConfig },
    { onFailedAttempt: onlyRetryRateLimits },
  );

  let installations: SlackInstallationStore | null = null;
  if (oauth) {
    const key = config.TOKEN_ENCRYPTION_KEY ? decodeKey(config.TOKEN_ENCRYPTION_KEY) : null;
    if (!key) throw new Error("Slack OAuth needs TOKEN_ENCRYPTION_KEY to encrypt installation tokens");
    installations = new SlackInstallationStore(deps.app.service.installations(deps.app.sealer(key)));
  }
  const mode: SlackMode = installations
    ? { kind: "oauth", installations }
    : { kind: "single", token: config.SLACK_BOT_TOKEN as string };
  const rt = new SlackRuntime(
    deps.app,
    deps.background,
    log,
    mode,
    (token, once) =>
      new webApi.WebClient(token, {
        ...clientOptions,
        logger,
        // Prompts and digests must not appear twice. A timeout or a 5xx may come after Slack
        // accepted the post, so such a client retries only rate limits (Slack took nothing) and
        // leaves the rest to the callers' protocols (pending nudges, the digest claim).
        ...(once ? { retryConfig: postOnceRetry } : {}),
      }),
  );

  // The HTTP receiver serves events in HTTP mode and the OAuth pages in both modes.
  const installerOptions: HTTPReceiverOptions["installerOptions"] = {
    directInstall: true,
    installPath: PATHS.install,
    redirectUriPath: PATHS.redirect,
    clientOptions,
    callbackOptions: {
      successAsync: async (installation, _options, _req, res) => {
        await onInstalled(rt, installation);
        sendHtml(
          res,
          200,
          "Take It Offline is installed",
          "Invite <b>@Take It Offline</b> to the channels where your team talks about customers and partners. Type <code>/offline help</code> to see what it does.",
        );
      },
      failureAsync: async (error, _options, _req, res) => {
        log.warn("slack installation failed", { code: error.code, err: error });
        sendHtml(
          res,
          400,
          "Installation failed",
          `Reason: ${escapeHtml(error.code ?? "unknown error")}. Please start again from the install link.`,
        );
      },
    },
  };
  const httpReceiver =
    socketMode && !oauth
      ? null
      : new HTTPReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET ?? "",
          // In Socket Mode this receiver only serves the OAuth pages; events never reach it.
          signatureVerification: !socketMode,
          endpoints: PATHS.events,
          processBeforeResponse: true,
          logger,
          ...(installations
            ? {
                clientId: config.SLACK_CLIENT_ID,
                clientSecret: config.SLACK_CLIENT_SECRET,
                stateSecret: config.SLACK_STATE_SECRET,
                installationStore: installations,
                scopes: [...BOT_SCOPES],
                installerOptions,
              }
            : {}),
        });
  const socketReceiver = socketMode
    ? new DeferredAckSocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN as string,
        clientOptions,
        logger,
        log,
      })
    : null;

  const appOptions: AppOptions = {
    receiver: socketReceiver ?? (httpReceiver as HTTPReceiver),
    clientOptions,
    logger,
    convoStore: false,
    extendedErrorHandler: true,
  };
  // With OAuth over HTTP, Bolt takes authorize() from the receiver's installer by itself.
  if (mode.kind === "single")
    appOptions.authorize = singleWorkspaceAuthorize(rt.client(mode.token), mode.token);
  else if (socketMode && httpReceiver?.installer) appOptions.authorize = httpReceiver.installer.authorize;
  const bolt = new App(appOptions);
  // Rethrowing makes the receiver answer 500 (HTTP) or withhold the ack (Socket Mode): Slack retries.
  bolt.error(async ({ error, body }: { error: Error; body: unknown }) => {
    const fields = { err: error, type: (body as { type?: unknown } | null)?.type };
    // A workspace without an installation (answered 401) is not a fault of ours.
    if ((error as { code?: unknown }).code === "slack_bolt_authorization_error")
      log.warn("slack request from a workspace that isn't installed", fields);
    else log.error("slack request failed", fields);
    throw error;
  });

  const inbox: InboxOptions = {
    inbox: rt.inbox,
    background: deps.background,
    log,
    wanted: wantedEvent,
    handlers: eventHandlers(rt),
    workspaceId: async (ctx) => (await rt.eventWorkspace(ctx))?.id ?? null,
  };
  bolt.use(inboxMiddleware(inbox));
  registerCommands(bolt, rt);
  registerActions(bolt, rt);
  registerViews(bolt, rt);

  /**
   * The edge of POST /slack/events (see edge.ts): reads the body (bounded), checks the signature and
   * the body's shape, and answers whatever Bolt shouldn't see. Returns what Bolt takes: an Events
   * API delivery with its parsed body (dispatchEvent), or anything else for Bolt's HTTPReceiver (the
   * body it reads is the one read here: it reuses `rawBody`); null when answered here.
   */
  async function admitEvent(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<
    { kind: "event"; body: Record<string, unknown>; raw: string | null } | { kind: "receiver" } | null
  > {
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        log.info("slack request refused: body too large", { limit: err.limit });
        refuseBody(req, res, 413, { ok: false, error: "body too large" });
      } else {
        log.debug("slack request aborted while reading the body", { err });
        if (!res.headersSent) refuseBody(req, res, 400, { ok: false, error: "body could not be read" });
      }
      return null;
    }
    const contentType = req.headers["content-type"];
    if (!isSslCheck(raw, contentType)) {
      const signature = checkSignature(config.SLACK_SIGNING_SECRET ?? "", req.headers, raw, Date.now());
      if (!signature.ok) {
        log.info("slack request refused", { reason: signature.reason });
        sendJson(res, 401, { ok: false, error: "invalid signature" });
        return null;
      }
      const text = raw.toString("utf8");
      const parsed = parseSlackBody(text, contentType);
      const routing = routeSlackBody(parsed);
      if (!routing.pass) {
        if (routing.expected) log.debug("slack request answered at the edge", { reason: routing.reason });
        else log.warn("malformed slack request skipped", { reason: routing.reason, status: routing.status });
        if (routing.status === 200) {
          res.writeHead(200);
          res.end();
        } else sendJson(res, routing.status, { ok: false, error: routing.reason });
        return null;
      }
      if (routing.kind === "event")
        return {
          kind: "event",
          body: parsed as Record<string, unknown>,
          // The inbox stores these bytes (see RAW_BODY); a form-encoded body isn't the JSON it parsed to.
          raw: isFormBody(contentType) ? null : text,
        };
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    return { kind: "receiver" };
  }

  /**
   * An Events API delivery whose signature and shape the edge has checked, handed to Bolt the way
   * its own receivers do (App.processEvent), and answered when Bolt is done: the inbox middleware
   * has stored it by then (Bolt acknowledges events itself, before the middleware). Going through
   * HTTPReceiver instead would read, verify and parse the same bytes a second time, which measured
   * about a tenth of an event's CPU time in the ingestion benchmark. Errors are answered as
   * HTTPReceiver answers them: 401 when the workspace isn't installed, 500 (Slack retries) otherwise.
   */
  async function dispatchEvent(
    req: IncomingMessage,
    res: ServerResponse,
    body: Record<string, unknown>,
    raw: string | null,
  ) {
    const retryNum = Number(req.headers["x-slack-retry-num"]);
    const retryReason = req.headers["x-slack-retry-reason"];
    let status = 200;
    try {
      await bolt.processEvent({
        body,
        ack: async () => {},
        ...(raw !== null ? { customProperties: { [RAW_BODY]: raw } } : {}),
        ...(Number.isInteger(retryNum) ? { retryNum } : {}),
        ...(typeof retryReason === "string" ? { retryReason } : {}),
      });
    } catch (err) {
      status = (err as { code?: unknown }).code === ErrorCode.AuthorizationError ? 401 : 500;
    }
    if (res.headersSent) return;
    res.writeHead(status);
    res.end();
  }

  let timer: NodeJS.Timeout | null = null;
  let replaying: Promise<number> | null = null;
  const replay = (olderThan = new Date(Date.now() - REPLAY_AFTER_MS)): Promise<number> => {
    replaying ??= replayPending(bolt, inbox, olderThan).finally(() => {
      replaying = null;
    });
    return replaying;
  };

  return {
    name: "slack",
    chat: rt.chat,
    bolt,
    runtime: rt,
    socketMode,
    replayPending: replay,
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      if (!httpReceiver) return false;
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const events = !socketMode && req.method === "POST" && path === PATHS.events;
      const oauthPage =
        installations !== null && req.method === "GET" && (path === PATHS.install || path === PATHS.redirect);
      if (!events && !oauthPage) return false;
      if (events) {
        const admitted = await admitEvent(req, res);
        if (!admitted) return true;
        if (admitted.kind === "event") {
          await dispatchEvent(req, res, admitted.body, admitted.raw);
          return true;
        }
      }
      httpReceiver.requestListener(req, res);
      return true;
    },
    async start(): Promise<void> {
      if (mode.kind === "single")
        await identifySingleWorkspace(rt).catch((err: unknown) =>
          log.warn("auth.test failed; the workspace will be set up on its first event", { err }),
        );
      if (socketReceiver) await socketReceiver.start();
      deps.background.run("slack:replay", replay);
      timer = setInterval(() => deps.background.run("slack:replay", replay), REPLAY_EVERY_MS);
      timer.unref();
      log.info("slack ready", { mode: mode.kind, transport: socketMode ? "socket" : "http" });
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      if (socketReceiver) await socketReceiver.stop();
    },
  };
}

/** Single-workspace mode: learn the team from the token, make sure its row exists, load the teammates. */
async function identifySingleWorkspace(rt: SlackRuntime): Promise<void> {
  if (rt.mode.kind !== "single") return;
  const client = rt.client(rt.mode.token);
  const res = await client.auth.test();
  const externalId = res.enterprise_id && res.is_enterprise_install ? res.enterprise_id : res.team_id;
  if (!externalId) return;
  const ws = await rt.service.ensureWorkspace({
    platform: "slack",
    externalId,
    ...(res.team ? { name: res.team } : {}),
  });
  const home = { teamId: res.team_id, enterpriseId: res.enterprise_id };
  rt.background.run("slack:sync-members", () => rt.syncMembers(ws, client, home));
}

/**
 * After OAuth: the installer administers the workspace from now on (even when Slack doesn't call
 * them an admin), and their time zone becomes the workspace's unless it has one.
 */
async function onInstalled(rt: SlackRuntime, installation: Installation): Promise<void> {
  const externalId = externalIdOf(installation);
  const ws = externalId ? await rt.service.findWorkspace("slack", externalId) : null;
  rt.log.info("slack workspace installed", { workspace: externalId });
  const token = installation.bot?.token;
  if (!ws || !token || !installation.user.id) return;
  const client = rt.client(token);
  const home = { teamId: installation.team?.id, enterpriseId: installation.enterprise?.id };
  const installerId = installation.user.id;
  try {
    // Marked before the success page: their first /offline settings already finds them an admin.
    const installer = await rt.actor(client, ws, home, installerId);
    if (installer) await rt.service.markInstaller(ws, installer.member);
    if (installer?.person.tz) await rt.adoptTimezone(ws, installer.person.tz);
  } catch (err) {
    // The install itself went through; the next install (or a platform admin) can fix this.
    rt.log.warn("could not record the installer", { err });
  }
  rt.background.run("slack:sync-members", async () => {
    await rt.syncMembers(ws, client, home);
    // With the roster known (who the admins are), the review of who was found, if there is any.
    const installer = await rt.actor(client, ws, home, installerId);
    await rt.service.reviewAfterInstall(ws, installer?.member ?? null, rt.chat, (member, err) =>
      rt.log.warn("review not sent", { workspaceId: ws.id, memberId: member.id, err }),
    );
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${body}</p></body></html>`,
  );
}

/**
 * p-retry hook: rethrowing aborts the retries. After waiting out a 429 the Web API throws an error
 * (wrapped as a request error) whose message says so; that one alone is safe to retry.
 */
function onlyRetryRateLimits(error: Error): void {
  if (!error.message.includes("A rate limit was exceeded (url:")) throw error;
}

/**
 * Single-workspace authorize. Bolt's own (from `token`) calls auth.test once in its constructor; if
 * Slack is unreachable at that moment the rejection is unhandled (the process dies) and every later
 * event fails. This asks lazily, caches success, and asks again after a failure.
 */
function singleWorkspaceAuthorize(client: webApi.WebClient, token: string): () => Promise<AuthorizeResult> {
  let identity: Promise<AuthorizeResult> | null = null;
  return () => {
    identity ??= client.auth
      .test()
      .then((r) => ({
        botToken: token,
        ...(r.bot_id ? { botId: r.bot_id } : {}),
        ...(r.user_id ? { botUserId: r.user_id } : {}),
        ...(r.team_id ? { teamId: r.team_id } : {}),
        ...(r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}),
      }))
      .catch((err: unknown) => {
        identity = null;
        throw err;
      });
    return identity;
  };
}
