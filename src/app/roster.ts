// Use case: sync a platform's roster (Slack's users.list, a Teams team's members) so that a
// teammate's name is never taken for an outside contact just because they haven't written yet.
// Outsiders listed there (Slack Connect, guests) may become contacts by identity up front, so their
// email or name showing up in text first can't split them in two.
import type { Workspace } from "../core/types.ts";
import { noteTeammate, type TeammateRef } from "./members.ts";
import type { AppDeps } from "./ports.ts";
import { adoptTimezone } from "./workspaces.ts";

export type RosterPerson = TeammateRef & { external: boolean };

export interface RosterResult {
  teammates: number;
  contacts: number;
  /** The zone the workspace took from an admin's profile, if it had none yet. */
  adoptedTimezone: string | null;
}

/**
 * Records one page of a roster. Teammates' rows are upserted (an admin's zone becomes the
 * workspace's while it has none); outsiders become contacts when `outsiders` is "contacts".
 * The tracker's cache is dropped once, at the end, if anything was added.
 */
export async function syncRoster(
  deps: AppDeps,
  ws: Workspace,
  people: Iterable<RosterPerson>,
  opts: { outsiders: "contacts" | "skip" },
): Promise<RosterResult> {
  const result: RosterResult = { teammates: 0, contacts: 0, adoptedTimezone: null };
  for (const person of people) {
    if (person.external) {
      if (opts.outsiders === "skip") continue;
      await deps.tracker.contactForUser(ws, person);
      result.contacts++;
      continue;
    }
    await noteTeammate(deps, ws, person);
    result.teammates++;
    if (person.isAdmin && person.tz && (await adoptTimezone(deps, ws, person.tz)))
      result.adoptedTimezone = person.tz;
  }
  if (result.teammates || result.contacts) deps.tracker.invalidate(ws.id);
  return result;
}
