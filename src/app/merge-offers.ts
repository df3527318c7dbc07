import type { Store } from "../core/ports.ts";
import { type ContactWithAliases, mergeOfferLine, mergeOffers } from "../core/same-person.ts";
import type { Contact } from "../core/types.ts";

/**
 * The merges to offer among `contacts` (one person known by a name and by a handle or link, see
 * core/same-person.ts), as lines for a contact list. A person merges with `track`, which joins
 * every contact the aliases belong to.
 */
export async function mergeOfferLines(
  store: Pick<Store, "listAliases" | "coMentioned">,
  workspaceId: string,
  contacts: readonly Contact[],
): Promise<string[]> {
  if (contacts.length < 2) return [];
  const ids = new Set(contacts.map((c) => c.id));
  const [aliases, together] = await Promise.all([
    store.listAliases(workspaceId),
    store.coMentioned(workspaceId, [...ids]),
  ]);
  const withAliases: ContactWithAliases[] = contacts.map((c) => ({
    ...c,
    aliases: aliases.filter((a) => a.contactId === c.id),
  }));
  const nameOf = new Map(contacts.map((c) => [c.id, c.displayName]));
  return mergeOffers(withAliases, together).map((o) => mergeOfferLine(o, nameOf.get(o.otherId) ?? o.alias));
}
