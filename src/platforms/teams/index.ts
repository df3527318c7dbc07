// Microsoft Teams: botbuilder's CloudAdapter behind POST /api/messages on the shared server.
// Requests are authenticated (Bot Framework JWT) whenever MICROSOFT_APP_ID is set; without it the
// platform only starts when TEAMS_ALLOW_UNAUTHENTICATED is on, for local development and tests.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
} from "botbuilder";
import type { PendingDelivery } from "../../app/inbox.ts";
import {
  BodyTooLarge,
  MAX_BODY_BYTES,
  nestsDeeperThan,
  readBody,
  refuseBody,
  sendJson,
} from "../../http-body.ts";
import type { Platform, PlatformDeps } from "../types.ts";
import { activitySchema } from "./activity.ts";
import { InboxWriteError, TeamsBot } from "./bot.ts";
import { TEAMS_ENDPOINT } from "./capabilities.ts";
import { TeamsChat } from "./chat.ts";
import { TeamsDirectory } from "./directory.ts";
import { authFailureStatus, checkBearer } from "./edge.ts";
import { Proactive } from "./proactive.ts";
import { ChannelRefs } from "./refs.ts";

// Each request, in this order: no valid-looking token → 401 before the body is read (edge.ts);
// body over the limit → 413; not a JSON object → 400; botbuilder's token validation → 401 (503
// when it can't fetch the signing keys); an activity that doesn't parse (activity.ts) → 400; then
// the turn. Junk is answered with a 4xx and an info line, never a 500 and an error line.

/** Deeper than any activity Teams sends; deeper JSON is refused before anything walks it. */
const MAX_DEPTH = 64;

/** How often stored-but-unfinished activities are retried, and how old they must be first (as Slack). */
const REPLAY_EVERY_MS = 60_000;
const REPLAY_AFTER_MS = 60_000;

type AuthResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>>;

/** CloudAdapter.process authenticates, validates and runs in one step; we authenticate first. */
class EdgeAdapter extends CloudAdapter {
  runAuthenticated(auth: AuthResult, activity: Activity, logic: (ctx: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/** The Teams platform, or null when Teams is not configured. */
export async function createTeamsPlatform(deps: PlatformDeps): Promise<Platform | null> {
  const { app } = deps;
  const config = app.config;
  const appId = config.MICROSOFT_APP_ID ?? "";
  if (!appId && !config.TEAMS_ALLOW_UNAUTHENTICATED) return null;
  const log = app.log.child({ platform: "teams" });
  if (!appId)
    log.warn("Teams is running WITHOUT request authentication (TEAMS_ALLOW_UNAUTHENTICATED); local use only");

  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD ?? "",
    MicrosoftAppType: config.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID ?? "",
  });
  const adapter = new EdgeAdapter(auth);
  adapter.onTurnError = async (_ctx, err) => {
    // The activity could not be stored: no 200, so the Bot Framework delivers it again.
    if (err instanceof InboxWriteError) throw err;
    log.error("teams turn error", { err });
  };

  const directory = new TeamsDirectory(log);
  const channels = new ChannelRefs(app.service.channels);
  const chat = new TeamsChat(app.service, channels, new Proactive(adapter, appId), log);
  const inbox = app.service.inbox(log, "teams:");
  const bot = new TeamsBot({
    app,
    log,
    directory,
    channels,
    chat,
    adminIds: config.TEAMS_ADMIN_IDS,
    inbox,
    allowLocalUploads: !appId,
  });

  /**
   * Runs a stored activity again, outside any request. Its conversation reference opens a turn with
   * continueConversationAsync (CloudAdapter's; it sets up the connector client for the activity's
   * serviceUrl), and the stored activity gets a TurnContext of its own carrying that turn's state:
   * the bot then runs exactly as it did live (replies are replies to the same message, card
   * updates replace the same card), for commands and card submits as for tracking-only
   * activities, with one code path instead of a second, turn-less one for the latter.
   */
  async function replayOne(delivery: PendingDelivery): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(delivery.payload);
    } catch {
      raw = null;
    }
    if (!activitySchema.safeParse(raw).success || typeof raw !== "object" || raw === null)
      throw new Error("stored payload is not a Teams activity");
    const activity = withDates(raw as Record<string, unknown>) as unknown as Activity;
    // The adapter hands errors thrown in a turn to onTurnError; carry them out so the inbox counts them.
    const failed: { error: unknown } = { error: null };
    await adapter.continueConversationAsync(
      appId,
      TurnContext.getConversationReference(activity),
      async (ctx) => {
        const turn = new TurnContext(ctx.adapter, activity);
        for (const [k, v] of ctx.turnState) turn.turnState.set(k, v);
        try {
          await bot.replay(turn);
        } catch (err) {
          failed.error = err;
        }
      },
    );
    if (failed.error) throw failed.error;
  }

  let timer: NodeJS.Timeout | null = null;
  let replaying: Promise<number> | null = null;
  const replay = (olderThan = new Date(Date.now() - REPLAY_AFTER_MS)): Promise<number> => {
    replaying ??= inbox.replay(olderThan, replayOne).finally(() => {
      replaying = null;
    });
    return replaying;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== TEAMS_ENDPOINT) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { ok: false, error: "use POST" });
      return true;
    }
    const authorization = req.headers.authorization;
    if (appId) {
      const bearer = checkBearer(authorization, appId, Date.now());
      if (!bearer.ok) {
        log.info("teams request refused", { reason: bearer.reason });
        refuseBody(req, res, 401, { ok: false, error: "unauthorized" });
        return true;
      }
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString("utf8"));
    } catch (err) {
      const tooLarge = err instanceof BodyTooLarge;
      log.info("teams request refused", { reason: tooLarge ? "body too large" : "body is not JSON" });
      refuseBody(req, res, tooLarge ? 413 : 400, {
        ok: false,
        error: tooLarge ? "body too large" : "body is not JSON",
      });
      return true;
    }
    if (
      typeof body !== "object" ||
      body === null ||
      Array.isArray(body) ||
      nestsDeeperThan(body, MAX_DEPTH)
    ) {
      log.info("teams request refused", { reason: "body is not an activity object" });
      sendJson(res, 400, { ok: false, error: "body must be a JSON object" });
      return true;
    }
    const fields = body as Record<string, unknown>;
    let authResult: AuthResult;
    try {
      // Only channelId and serviceUrl are read (they pick the validation rules and must match claims).
      authResult = await auth.authenticateRequest(
        {
          channelId: typeof fields.channelId === "string" ? fields.channelId : "",
          serviceUrl: typeof fields.serviceUrl === "string" ? fields.serviceUrl : "",
        } as Activity,
        authorization ?? "",
      );
    } catch (err) {
      const status = authFailureStatus(err);
      if (status === 401) log.info("teams request refused", { reason: "token rejected" });
      else log.warn("could not verify a Bot Framework token; answering 503 so the channel retries", { err });
      sendJson(res, status, { ok: false, error: status === 401 ? "unauthorized" : "cannot verify now" });
      return true;
    }
    const parsed = activitySchema.safeParse(body);
    if (!parsed.success) {
      log.info("teams activity refused", {
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      });
      sendJson(res, 400, { ok: false, error: "malformed activity" });
      return true;
    }
    const activity = withDates(fields) as unknown as Activity;
    let result: Awaited<ReturnType<EdgeAdapter["runAuthenticated"]>>;
    try {
      result = await adapter.runAuthenticated(authResult, activity, (ctx) => bot.run(ctx));
    } catch (err) {
      log.error("teams activity could not be stored; answering 500 so the channel retries", { err });
      sendJson(res, 500, { ok: false, error: "try again" });
      return true;
    }
    // An invoke nobody answered is 501 in botbuilder; the ones we act on (file consent) want a
    // plain 200 too, so every invoke is acknowledged.
    const status = result?.status === 501 && activity.type === "invoke" ? 200 : (result?.status ?? 200);
    if (result?.body !== undefined && status === result.status) sendJson(res, status, result.body);
    else {
      res.writeHead(status);
      res.end();
    }
    return true;
  }

  return {
    name: "teams",
    handle,
    chat,
    replayPending: replay,
    // Same schedule as Slack's inbox: at start-up (activities left by a process that died), then
    // every minute (failed turns, and rows another replica claimed and never finished).
    start: async () => {
      deps.background.run("teams:replay", replay);
      timer = setInterval(() => deps.background.run("teams:replay", replay), REPLAY_EVERY_MS);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      directory.clear();
    },
  };
}

/** As botbuilder's validateAndFixActivity: its date fields become Dates, their strings kept as raw*. */
function withDates(a: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [field, raw] of [
    ["timestamp", "rawTimestamp"],
    ["localTimestamp", "rawLocalTimestamp"],
    ["expiration", "rawExpiration"],
  ] as const) {
    const v = a[field];
    if (typeof v === "string") {
      out[raw] = v;
      out[field] = new Date(v);
    }
  }
  return out;
}
