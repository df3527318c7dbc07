import type { AppContext } from "../../src/app.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";
import { TEAM_ID } from "./slack-signing.ts";

// One small history for the dashboard's tests, with its week-by-week numbers worked out by hand
// (the clock stands at Wed 18 Nov 2026, so the chart's last week is 2026-W46, 9–15 Nov, UTC;
// coverage looks at the top 20 tracked contacts of the 90 days before each week's end):
// - Ada Lovelace (tracked): 3 mentions on 10 Nov; met in person on 1 Oct.
// - Grace Hopper (tracked): 2 mentions on 12 Nov (Bo and Cy); never met.
// - Alan Turing (tracked): 1 mention on Mon 1 Jun, so in the windows of the weeks ending 8 Jun
//   (W23) to 24 Aug (W34): 12 weeks at 0 of 1.
// - Maybe Person (candidate): 4 mentions, never in the coverage.
// - Lunches: one held on 11 Nov (Ada), one planned for 12 Nov (Grace): W46 has 2 planned, 1 held.
// So W46 is 1 of 2 (50%), W23–W34 0 of 1, every other week nothing to measure.

export const EXPECTED = {
  lastWeek: "2026-W46",
  firstWeek: "2026-W21",
  lastWeekCoverage: { met: 1, total: 2 },
  aloneWeeks: ["2026-W23", "2026-W34"],
};

export interface Seeded {
  ws: Workspace;
  ann: Member;
  bo: Member;
  cy: Member;
  ada: Contact;
  grace: Contact;
  alan: Contact;
  maybe: Contact;
}

export async function seedHistory(app: AppContext): Promise<Seeded> {
  const s = app.store;
  const ws = await s.upsertWorkspace({
    platform: "slack",
    externalId: TEAM_ID,
    name: "Northwind",
    timezone: "UTC",
  });
  await s.saveChannel(ws.id, "C0SALES", "sales", "");
  const member = (id: string, name: string, isAdmin = false) =>
    s.upsertMember(ws.id, { platformUserId: id, displayName: name, realName: name, isAdmin, tz: "UTC" });
  const ann = await member("UANN", "Ann Smith", true);
  const bo = await member("UBO", "Bo Chen");
  const cy = await member("UCY", "Cy Park");
  const contact = (name: string, status: Contact["status"]) =>
    s.createContact(ws.id, { displayName: name, status }, [
      { kind: "name", normalized: name.toLowerCase(), display: name },
    ]);
  const ada = await contact("Ada Lovelace", "tracked");
  const grace = await contact("Grace Hopper", "tracked");
  const alan = await contact("Alan Turing", "tracked");
  const maybe = await contact("Maybe Person", "candidate");
  let n = 0;
  const mention = (who: Member, c: Contact, at: string) =>
    s.replaceMentions(
      ws.id,
      `C0SALES:${++n}`,
      { memberId: who.id, channelId: "C0SALES", at: new Date(at), source: "message" },
      [c.id],
    );
  for (const at of ["2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z", "2026-11-10T12:00:00Z"])
    await mention(bo, ada, at);
  await mention(bo, grace, "2026-11-12T10:00:00Z");
  await mention(cy, grace, "2026-11-12T11:00:00Z");
  await mention(bo, alan, "2026-06-01T10:00:00Z");
  for (const at of [
    "2026-11-10T09:00:00Z",
    "2026-11-11T09:00:00Z",
    "2026-11-12T09:00:00Z",
    "2026-11-13T09:00:00Z",
  ])
    await mention(cy, maybe, at);
  await s.recordMeeting(ws.id, {
    contactId: ada.id,
    memberId: bo.id,
    metAt: new Date("2026-10-01T12:00:00Z"),
    source: "command",
  });
  await s.createLunch(ws.id, {
    contactId: ada.id,
    organizerId: bo.id,
    attendeeIds: [cy.id],
    scheduledFor: new Date("2026-11-11T12:00:00Z"),
    place: "Cafe Nord",
    status: "met",
    followUpAt: null,
  });
  await s.createLunch(ws.id, {
    contactId: grace.id,
    organizerId: cy.id,
    attendeeIds: [],
    scheduledFor: new Date("2026-11-12T12:30:00Z"),
    place: null,
    status: "scheduled",
    followUpAt: null,
  });
  return { ws, ann, bo, cy, ada, grace, alan, maybe };
}

/** The chart's data block of an overview page. */
export function chartData(page: string): {
  weeks: Array<{
    week: string;
    coverage: number | null;
    met: number;
    total: number;
    planned: number;
    held: number;
  }>;
} {
  const m = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(page);
  if (!m?.[1]) throw new Error("no chart data on the page");
  return JSON.parse(m[1]);
}
