import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatPort } from "../app/service.ts";
import type { AppContext } from "../app.ts";
import type { BackgroundWork } from "../background.ts";

/**
 * The application as an adapter sees it: the use cases (`service`), clock, config and log, but
 * not the store or the database. Adapters translate; what they store goes through a use case.
 */
export type AdapterApp = Omit<AppContext, "store" | "database">;

/** What server.ts gives each platform adapter. */
export interface PlatformDeps {
  app: AdapterApp;
  background: BackgroundWork;
}

/** A chat platform plugged into the one HTTP server. */
export interface Platform {
  name: "slack" | "teams";
  /** Handles the request if it is this platform's (by path); returns false to let others try. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Outbound messages for workspaces of this platform. */
  chat: ChatPort;
  /**
   * Re-runs deliveries its durable inbox stored but never finished (older than `olderThan`, default
   * a minute ago); returns how many. start() schedules it; tests and operators may call it.
   */
  replayPending(olderThan?: Date): Promise<number>;
  /** Starts long-lived connections (Slack Socket Mode) and the inbox's replay loop. */
  start(): Promise<void>;
  stop(): Promise<void>;
}
