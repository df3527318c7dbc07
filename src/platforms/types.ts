import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatPort } from "../app/service.ts";
import type { AppContext } from "../app.ts";
import type { BackgroundWork } from "../background.ts";

/** What server.ts gives each platform adapter. */
export interface PlatformDeps {
  app: AppContext;
  background: BackgroundWork;
}

/** A chat platform plugged into the one HTTP server. */
export interface Platform {
  name: "slack" | "teams";
  /** Handles the request if it is this platform's (by path); returns false to let others try. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Outbound messages for workspaces of this platform. */
  chat: ChatPort;
  /** Starts long-lived connections (Slack Socket Mode). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
