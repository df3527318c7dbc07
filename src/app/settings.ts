// Use case: save a workspace's settings (already validated by core/forms/settings.ts). The caches
// that read settings are dropped here, so no caller has to remember it.
import type { FormResult } from "../core/forms/result.ts";
import {
  parseSettingsForm,
  type RawSettingsForm,
  type SettingsField,
  type SettingsFormOptions,
} from "../core/forms/settings.ts";
import type { WorkspacePatch } from "../core/ports.ts";
import type { Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export async function saveSettings(deps: AppDeps, ws: Workspace, patch: WorkspacePatch): Promise<Workspace> {
  const saved = await deps.store.updateWorkspace(ws.id, patch);
  // Internal domains and thresholds feed detection: the tracker's cached context must go.
  deps.tracker.invalidate(ws.id);
  return saved;
}

/** A raw settings form (the dashboard's), checked by the one settings parser, saved when valid. */
export async function saveSettingsForm(
  deps: AppDeps,
  ws: Workspace,
  raw: RawSettingsForm,
  options: SettingsFormOptions,
): Promise<FormResult<Workspace, SettingsField>> {
  const parsed = parseSettingsForm(raw, ws, options);
  if (!parsed.ok) return parsed;
  return { ok: true, value: await saveSettings(deps, ws, parsed.value) };
}
