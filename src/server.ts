import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatPort } from "./app/service.ts";
import type { AppContext } from "./app.ts";
import { BackgroundWork } from "./background.ts";
import { handleCalendarCallback } from "./calendars/index.ts";
import type { Workspace } from "./core/types.ts";
import { declaredLength, MAX_BODY_BYTES, refuseBody } from "./http-body.ts";
import { createPlatforms } from "./platforms/registry.ts";
import type { Platform } from "./platforms/types.ts";
import { createWebDashboard, type WebDashboard } from "./platforms/web/index.ts";
import type { Scheduler } from "./scheduler/index.ts";

// One HTTP server for everything: Slack at /slack/*, Teams at /api/messages, the dashboard at
// /app/ (when PUBLIC_URL is set), /healthz.

export interface RunningServer {
  server: Server;
  port: number;
  platforms: Platform[];
  /** The web dashboard, when PUBLIC_URL is set. */
  web: WebDashboard | null;
  background: BackgroundWork;
  chatFor(ws: Workspace): ChatPort | null;
  /** Stops taking requests, lets in-flight work finish, closes everything. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Run scheduled jobs in this process (default true). */
  scheduler?: boolean;
}

export async function startServer(app: AppContext, options: ServerOptions = {}): Promise<RunningServer> {
  const background = new BackgroundWork(app.log);
  const deps = { app, background };
  const platforms = await createPlatforms(deps);
  const web = createWebDashboard(deps);
  const chatFor = (ws: Workspace) => platforms.find((p) => p.name === ws.platform)?.chat ?? null;
  // A calendar connected, or one that stopped working, is told to the person in their DM.
  app.service.calendars?.setNotifier(async (ws, member, doc) => {
    await chatFor(ws)?.sendDoc?.(ws, member, doc);
  });
  let inFlight = 0;
  let closing = false;

  const server = createServer((req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    route(req, res).catch((err: unknown) => {
      app.log.error("request failed", { err, path: req.url });
      if (!res.headersSent) respond(res, 500, { ok: false, error: "internal error" });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    // No endpoint reads more than MAX_BODY_BYTES: a larger declared body is refused before routing,
    // whatever the path (the platforms also count what arrives chunked as they read it).
    const declared = declaredLength(req);
    if (declared !== null && declared > MAX_BODY_BYTES) {
      app.log.debug("request body too large", { path, declared });
      refuseBody(req, res, 413, { ok: false, error: "body too large" });
      return;
    }
    if (path === "/healthz") {
      const db = await app.store.ping().then(
        () => true,
        () => false,
      );
      respond(res, db && !closing ? 200 : 503, {
        ok: db && !closing,
        db,
        platforms: platforms.map((p) => p.name),
        closing,
      });
      return;
    }
    if (closing) {
      // Tell Slack/Teams to retry elsewhere rather than half-handle a request while shutting down.
      respond(res, 503, { ok: false, error: "shutting down" });
      return;
    }
    if (await handleCalendarCallback(app.service.calendars, app.log, req, res)) return;
    if (web && (await web.handle(req, res))) return;
    for (const p of platforms) if (await p.handle(req, res)) return;
    respond(res, 404, { ok: false, error: "not found" });
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? app.config.PORT, options.host ?? app.config.HOST, resolve),
  );
  for (const p of platforms) await p.start();
  // The scheduler's modules load once the server listens: /healthz doesn't wait for them.
  const scheduler: Scheduler | null =
    options.scheduler === false
      ? null
      : await (await import("./scheduler/index.ts")).startScheduler(app, chatFor);
  const port = (server.address() as AddressInfo).port;
  app.log.info("server listening", { port, platforms: platforms.map((p) => p.name) });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await scheduler?.stop();
      for (const p of platforms) await p.stop();
      const drained = await background.drain(15_000);
      if (!drained || inFlight > 0)
        app.log.warn("shutdown timed out with work in flight", { background: background.size, inFlight });
      await app.close();
      app.log.info("server stopped");
    })();
    return stopping;
  };
  return { server, port, platforms, web, background, chatFor, stop };
}

export function respond(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
