// Use case: track a message. A message posted or edited in a channel the bot reads becomes mentions
// of the contacts in it (core/tracking.ts decides; live messages arriving together are detected and
// written as one batch there); a deleted message takes its mentions with it.
import type { ProcessResult } from "../core/tracking.ts";
import type { IncomingMessage, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export function trackMessage(deps: AppDeps, ws: Workspace, msg: IncomingMessage): Promise<ProcessResult> {
  return deps.tracker.processMessage(ws, msg);
}

/** The message was deleted: its mentions go. Returns how many. */
export function untrackMessage(deps: AppDeps, ws: Workspace, messageId: string): Promise<number> {
  return deps.tracker.removeMessage(ws, messageId);
}
