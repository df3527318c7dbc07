// Use cases on contacts from commands: track (with aliases, merging what was seen separately),
// untrack / ignore, find one named in a command, list the most discussed.
import type { ContactRef, TrackAlias, UserRef } from "../core/commands.ts";
import { nameOnlyCandidates, normalizeAlias } from "../core/contacts.ts";
import { ago, escapeMarkup, plural } from "../core/format.ts";
import type { AliasInput } from "../core/ports.ts";
import { command } from "../core/prompt-text.ts";
import { addDays } from "../core/time.ts";
import type { Contact, ContactStatus, Workspace } from "../core/types.ts";
import { mergeOfferLines } from "./merge-offers.ts";
import type { AppDeps } from "./ports.ts";
import type { CommandContext, Reply } from "./run-command.ts";

const CONTACT_LIST_DAYS = 90;

export async function trackContact(
  deps: AppDeps,
  ws: Workspace,
  name: string,
  aliases: TrackAlias[],
  userRef: UserRef | undefined,
  ctx: CommandContext,
): Promise<Reply> {
  let displayName = name;
  const inputs: AliasInput[] = [];
  if (userRef) {
    const ref = (await ctx.resolveUser?.(userRef.id)) ?? null;
    if (ref && !ref.external)
      return {
        kind: "error",
        text: `${escapeMarkup(ref.displayName || "That person")} is on your team. I only track people outside it.`,
      };
    const contact = await deps.tracker.contactForUser(
      ws,
      ref ?? { platformUserId: userRef.id, displayName: userRef.name ?? name, external: true },
    );
    displayName ||= contact.displayName;
    inputs.push({
      kind: "platform",
      normalized: normalizeAlias("platform", userRef.id),
      display: displayName,
    });
  }
  if (displayName)
    inputs.push({ kind: "name", normalized: normalizeAlias("name", displayName), display: displayName });
  for (const a of aliases)
    inputs.push({ kind: a.kind, normalized: normalizeAlias(a.kind, a.value), display: a.value });
  if (inputs.length === 0)
    return {
      kind: "error",
      text: `Tell me who to track, e.g. ${command("track Jane Doe, jane@acme.com")}.`,
    };

  const members = await deps.store.listMembers(ws.id);
  const teammate = members.find((m) =>
    [m.displayName, m.realName, m.email ?? ""].some(
      (n) =>
        n && inputs.some((i) => i.normalized === normalizeAlias(i.kind === "email" ? "email" : "name", n)),
    ),
  );
  if (teammate)
    return {
      kind: "error",
      text: `${escapeMarkup(teammate.displayName || teammate.realName)} is on your team. I only track people outside it.`,
    };

  // Every alias that already belongs to a contact pulls that contact into this one.
  const owners: Contact[] = [];
  for (const a of inputs) {
    const c = await deps.store.findContactByAlias(ws.id, a.normalized);
    if (c && !owners.some((o) => o.id === c.id)) owners.push(c);
  }
  let contact: Contact;
  const [first, ...rest] = owners;
  if (!first) {
    contact = await deps.store.createContact(
      ws.id,
      { displayName: displayName || inputs[0]!.display, status: "tracked" },
      inputs,
    );
  } else {
    if (rest.length)
      await deps.store.mergeContacts(
        ws.id,
        first.id,
        rest.map((c) => c.id),
      );
    await deps.store.addAliases(ws.id, first.id, inputs);
    contact = await deps.store.updateContact(ws.id, first.id, {
      status: "tracked",
      ...(displayName ? { displayName } : {}),
    });
  }
  deps.tracker.invalidate(ws.id);
  const shown = inputs.filter((i) => i.kind !== "platform").map((i) => i.display);
  const also = shown.filter((s) => s !== contact.displayName).map(escapeMarkup);
  const merged = rest.length ? ` Merged ${plural(rest.length + 1, "entry", "entries")} into one.` : "";
  return {
    kind: "text",
    text: `Tracking ${escapeMarkup(contact.displayName)}${shown.length > 1 ? ` (also as ${also.join(", ")})` : ""}.${merged} Mentions of any of these count for them.`,
  };
}

export async function dropContact(
  deps: AppDeps,
  ws: Workspace,
  ref: ContactRef,
  kind: "untrack" | "ignore",
  ctx: CommandContext,
): Promise<Reply> {
  const contact = await findContact(deps, ws, ref, ctx);
  if (!contact) return notFound(ref);
  await deps.store.updateContact(ws.id, contact.id, { status: "ignored" });
  deps.tracker.invalidate(ws.id);
  return {
    kind: "text",
    text:
      // Both hide the contact for the whole team, so the reply says so and how to undo it.
      kind === "ignore"
        ? `Hidden for everyone on the team: nobody will be prompted about ${escapeMarkup(contact.displayName)}, and I won't count mentions of them any more. Undo with ${command("track")} and their name.`
        : `Stopped tracking ${escapeMarkup(contact.displayName)} for everyone on the team: nobody will be prompted about them. Start again with ${command("track")} and their name.`,
  };
}

/** A contact named in a command: by platform user, or by any alias / name. */
export async function findContact(
  deps: AppDeps,
  ws: Workspace,
  ref: ContactRef,
  ctx: CommandContext,
): Promise<Contact | null> {
  if (ref.kind === "user") {
    const existing = await deps.store.findContactByPlatformUser(ws.id, ref.id);
    if (existing) return existing;
    const user = await ctx.resolveUser?.(ref.id);
    return user?.external ? deps.tracker.contactForUser(ws, user) : null;
  }
  const text = ref.text.trim();
  for (const kind of ["name", "email", "handle", "url"] as const) {
    if (kind === "email" && !text.includes("@")) continue;
    if (kind === "handle" && !text.startsWith("@")) continue;
    const c = await deps.store.findContactByAlias(ws.id, normalizeAlias(kind, text));
    if (c) return c;
  }
  return null;
}

export async function listContacts(
  deps: AppDeps,
  ws: Workspace,
  filter: ContactStatus | "all",
): Promise<Reply> {
  const since = addDays(deps.clock.now(), -CONTACT_LIST_DAYS);
  const stats = await deps.store.listContactStats(ws.id, {
    since,
    limit: 25,
    ...(filter === "all" ? {} : { status: filter }),
  });
  const label = filter === "all" ? "contacts" : filter === "candidate" ? "candidates" : `${filter} contacts`;
  if (stats.length === 0) {
    return {
      kind: "text",
      text: `No ${label} mentioned in the last ${CONTACT_LIST_DAYS} days.${filter === "tracked" ? ` Add one with ${command("track Jane Doe, jane@acme.com")}.` : ""}`,
    };
  }
  const now = deps.clock.now();
  const lines = stats.map((s, i) => {
    const c = s.contact;
    const met = c.lastMetAt ? `met ${ago(c.lastMetAt, now)}` : "never met in person";
    const org = c.organization ? ` (${escapeMarkup(c.organization)})` : "";
    const status = filter === "all" ? ` [${c.status}]` : "";
    return `${i + 1}. ${escapeMarkup(c.displayName)}${org}${status}: ${plural(s.mentions, "mention")} by ${plural(s.teammates, "teammate")}, ${met}`;
  });
  const offers = await mergeOfferLines(
    deps.store,
    ws.id,
    stats.map((s) => s.contact),
  );
  return {
    kind: "text",
    text: `Most discussed ${label}, last ${CONTACT_LIST_DAYS} days:\n${[...lines, ...offers].join("\n")}`,
  };
}

export function notFound(ref: ContactRef): Reply {
  const what = ref.kind === "user" ? `<@${escapeMarkup(ref.id)}>` : `“${escapeMarkup(ref.text)}”`;
  return {
    kind: "error",
    text: `I don't know ${what} as an external contact. See ${command("contacts all")}, or add them with ${command("track")}.`,
  };
}

/** A contact by id, scoped to the workspace (a form sends the id back: never trusted). */
export function getContact(deps: AppDeps, ws: Workspace, contactId: string): Promise<Contact | null> {
  return deps.store.getContact(ws.id, contactId);
}

/**
 * The contacts, each marked whether only the name tagger vouches for it (core/contacts.ts): such a
 * candidate is asked about as "someone outside the team?" and never promoted on mentions alone.
 */
export async function markNameOnly(
  deps: AppDeps,
  ws: Workspace,
  contacts: Contact[],
): Promise<Array<Contact & { nameOnly: boolean }>> {
  const nameOnly = contacts.some((c) => c.status === "candidate")
    ? nameOnlyCandidates(contacts, await deps.store.listAliases(ws.id))
    : new Set<string>();
  return contacts.map((c) => ({ ...c, nameOnly: nameOnly.has(c.id) }));
}
