// The settings the nudge policy runs on: the workspace's own, with the mention window fitted to
// its pace (core/nudges.ts fittedWindowDays). The sweep and every prompt rebuilt later use these,
// so "you mentioned them 3 times in the last 60 days" is the window that actually decided.
import { FITTED_WINDOW_MENTIONS, fittedWindowDays } from "../core/nudges.ts";
import type { WorkspaceSettings } from "../core/settings.ts";
import type { Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export async function promptSettings(deps: AppDeps, ws: Workspace): Promise<WorkspaceSettings> {
  const nth = await deps.store.nthLatestMentionAt(ws.id, FITTED_WINDOW_MENTIONS);
  const days = fittedWindowDays(ws.settings.mentionWindowDays, nth, deps.clock.now());
  return days === ws.settings.mentionWindowDays ? ws.settings : { ...ws.settings, mentionWindowDays: days };
}
