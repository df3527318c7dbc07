import { followUpTime } from "../../src/core/lunches.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import type { PrismaStore } from "../../src/store/prisma-store.ts";

// Data that makes every scheduled job have something to do: a workspace with a digest channel,
// teammates who keep mentioning a tracked external contact (→ a nudge each, once), and a lunch
// whose follow-up falls due (→ one "did it happen?").

export interface SeededWorkspace {
  ws: Workspace;
  members: Member[];
  contactId: string;
  lunchId: string | null;
}

export interface SeedOptions {
  externalId: string;
  name?: string;
  timezone: string;
  digestDay: number;
  digestHour: number;
  channel?: string | null;
  /** Slack user ids of teammates (each gets mentions of the contact → one nudge). */
  memberIds?: string[];
  /** When the mentions happened (before the sweep, inside the 14-day window). */
  mentionsAt?: Date;
  /** Schedule a lunch at this instant (its follow-up is due 10:00 the next local day). */
  lunchAt?: Date | null;
  /** Install time (the row's default is the real "now", later than any fake clock in the tests). */
  installedAt?: Date;
}

export async function seedWorkspace(store: PrismaStore, o: SeedOptions): Promise<SeededWorkspace> {
  let ws = await store.upsertWorkspace({
    platform: "slack",
    externalId: o.externalId,
    name: o.name ?? o.externalId,
    timezone: o.timezone,
  });
  ws = await store.updateWorkspace(ws.id, {
    timezone: o.timezone,
    digestChannel: o.channel === undefined ? `C${o.externalId}` : o.channel,
    digestDay: o.digestDay,
    digestHour: o.digestHour,
  });
  await store.database.db.workspace.update({
    where: { id: ws.id },
    data: { installedAt: o.installedAt ?? new Date("2026-01-01T00:00:00Z") },
  });
  const members: Member[] = [];
  for (const id of o.memberIds ?? []) {
    const m = await store.upsertMember(ws.id, {
      platformUserId: id,
      displayName: `User ${id}`,
      tz: o.timezone,
    });
    members.push(await store.updateMember(ws.id, m.id, { dmRef: `D${id}` }));
  }
  const contact = await store.createContact(
    ws.id,
    { displayName: `Jane of ${o.externalId}`, status: "tracked", organization: "Acme" },
    [
      {
        kind: "name",
        normalized: `jane of ${o.externalId.toLowerCase()}`,
        display: `Jane of ${o.externalId}`,
      },
    ],
  );
  const at = o.mentionsAt ?? new Date();
  for (const m of members) {
    for (let i = 0; i < 4; i++) {
      await store.replaceMentions(
        ws.id,
        `${o.externalId}:${m.platformUserId}:${i}`,
        {
          memberId: m.id,
          channelId: `C${o.externalId}-general`,
          at: new Date(at.getTime() + i * 60_000),
          source: "message",
        },
        [contact.id],
      );
    }
  }
  let lunchId: string | null = null;
  const organizer = members[0];
  if (o.lunchAt && organizer) {
    const lunch = await store.createLunch(ws.id, {
      contactId: contact.id,
      organizerId: organizer.id,
      attendeeIds: [],
      scheduledFor: o.lunchAt,
      place: "Noodle Bar",
      status: "scheduled",
      followUpAt: followUpTime(o.lunchAt, o.timezone),
    });
    lunchId = lunch.id;
  }
  return { ws, members, contactId: contact.id, lunchId };
}
