import type { AliasInput, ContactInput } from "../core/ports.ts";
import type { Contact } from "../core/types.ts";
import { type Database, pgPrepared, pgTimestamp } from "./db.ts";
import { timeOrderedId } from "./ids.ts";

// A new contact with its aliases, on PostgreSQL as one statement straight through pg: Prisma's
// nested create is five round trips (BEGIN, two INSERTs, a SELECT, COMMIT). Live traffic creates
// contacts as people are first talked about, and in a busy workspace's first hours those were
// half of all its queries. Atomic all the same: a data-modifying CTE is one statement, so an alias
// another replica took a moment ago fails the whole of it (unique_violation, SQLSTATE 23505).

const INSERT_CONTACT_SQL = `WITH c AS (
     INSERT INTO "Contact" ("id", "workspaceId", "displayName", "status", "organization", "platformUserId", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     RETURNING "id"
   )
   INSERT INTO "ContactAlias" ("id", "workspaceId", "contactId", "kind", "normalized", "display")
   SELECT a.id, $2, c.id, a.kind, a.normalized, a.display
   FROM c, unnest($8::text[], $9::text[], $10::text[], $11::text[]) AS a(id, kind, normalized, display)`;

/** The contact as stored; `aliases` must already be free of duplicates. */
export async function insertContactPg(
  database: Database,
  workspaceId: string,
  input: ContactInput,
  aliases: readonly AliasInput[],
): Promise<Contact> {
  const contact: Contact = {
    id: timeOrderedId(),
    workspaceId,
    displayName: input.displayName,
    status: input.status,
    organization: input.organization ?? null,
    lastMetAt: null,
    platformUserId: input.platformUserId ?? null,
  };
  await pgPrepared(database, "contact-insert", INSERT_CONTACT_SQL, [
    contact.id,
    workspaceId,
    contact.displayName,
    contact.status,
    contact.organization,
    contact.platformUserId,
    pgTimestamp(new Date()),
    aliases.map(() => timeOrderedId()),
    aliases.map((a) => a.kind),
    aliases.map((a) => a.normalized),
    aliases.map((a) => a.display),
  ]);
  return contact;
}
