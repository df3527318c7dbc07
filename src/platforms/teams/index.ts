// Microsoft Teams: botbuilder's CloudAdapter behind POST /api/messages on the shared server.
// Requests are authenticated (Bot Framework JWT) whenever MICROSOFT_APP_ID is set; without it the
// platform only starts when TEAMS_ALLOW_UNAUTHENTICATED is on, for local development and tests.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { Platform, PlatformDeps } from "../types.ts";
import { TeamsBot } from "./bot.ts";
import { TEAMS_ENDPOINT } from "./capabilities.ts";
import { TeamsChat } from "./chat.ts";
import { TeamsDirectory } from "./directory.ts";
import { Proactive } from "./proactive.ts";
import { ChannelRefs } from "./refs.ts";

/** Bot Framework activities are small; this bounds what one request can make us buffer. */
const MAX_BODY_BYTES = 1024 * 1024;

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
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_ctx, err) => {
    log.error("teams turn error", { err });
  };

  const directory = new TeamsDirectory(log);
  const channels = new ChannelRefs(app.store);
  const chat = new TeamsChat(app.store, channels, new Proactive(adapter, appId), log);
  const bot = new TeamsBot({ app, log, directory, channels, chat, adminIds: config.TEAMS_ADMIN_IDS });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== TEAMS_ENDPOINT) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { ok: false, error: "use POST" });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
    } catch (err) {
      const tooLarge = err instanceof BodyTooLarge;
      sendJson(res, tooLarge ? 413 : 400, {
        ok: false,
        error: tooLarge ? "body too large" : "body is not JSON",
      });
      return true;
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      sendJson(res, 400, { ok: false, error: "body must be a JSON object" });
      return true;
    }
    // The adapter authenticates (401 on a missing/invalid token), runs the turn, then answers.
    await adapter.process(
      { body: body as Record<string, unknown>, headers: req.headers, method: req.method },
      adapterResponse(res),
      (ctx) => bot.run(ctx),
    );
    return true;
  }

  return {
    name: "teams",
    handle,
    chat,
    start: async () => {},
    stop: async () => {
      directory.clear();
    },
  };
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLarge("body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The restify/express-style response object CloudAdapter.process writes to. */
function adapterResponse(res: ServerResponse) {
  let body: string | null = null;
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(value: unknown) {
      body = typeof value === "string" ? value : JSON.stringify(value);
      if (typeof value !== "string") res.setHeader("content-type", "application/json");
    },
    end() {
      if (!res.writableEnded) res.end(body ?? undefined);
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
