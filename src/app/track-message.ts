// Use case: track a message. A message posted or edited in a channel the bot reads becomes mentions
// of the contacts in it (core/tracking.ts decides; live messages arriving together are detected and
// written as one batch there); a deleted message takes its mentions with it.
import type { ProcessResult } from "../core/tracking.ts";
import type { IncomingMessage, Workspace } from "../core/types.ts";
import { askAboutMeetingsInChat } from "./noticed-meetings.ts";
import type { AppDeps, ChatPort } from "./ports.ts";

/**
 * With `chat`, a live message whose author says they met a contact in it ("had lunch with Jane
 * yesterday") also gets them a DM asking whether to record it (app/noticed-meetings.ts).
 */
export async function trackMessage(
  deps: AppDeps,
  ws: Workspace,
  msg: IncomingMessage,
  chat?: ChatPort,
): Promise<ProcessResult & { asked?: number }> {
  const result = await deps.tracker.processMessage(ws, msg);
  if (!chat || !result.spans) return result;
  return { ...result, asked: await askAboutMeetingsInChat(deps, ws, msg, result, chat) };
}

/** The message was deleted: its mentions go. Returns how many. */
export function untrackMessage(deps: AppDeps, ws: Workspace, messageId: string): Promise<number> {
  return deps.tracker.removeMessage(ws, messageId);
}
