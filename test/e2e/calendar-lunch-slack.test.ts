// Free lunch slots, booking and the .ics on Slack, through the real Bolt app: signed block actions
// and view submissions into the real server, against the fake Slack Web API, a real database and
// the in-memory Calendar port.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Contact, Member, Nudge, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";
import {
  blockAction,
  type SlackHarness,
  startSlackHarness,
  viewSubmission,
} from "../helpers/slack-signing.ts";

type View = {
  private_metadata: string;
  blocks: Array<{
    type: string;
    block_id?: string;
    elements?: Array<{ text?: string }>;
    element?: {
      type: string;
      options?: Array<{ value: string; text: { text: string } }>;
      initial_option?: { value: string };
    };
  }>;
};

describe.each(PROVIDERS)("calendar lunches on Slack on %s", (provider) => {
  let h: SlackHarness;
  let ws: Workspace;
  let bo: Member;
  let cy: Member;
  let jane: Contact;
  let nudge: Nudge;
  const calendars = new MemoryCalendars();
  const db = () => h.app.database.db;

  beforeAll(async () => {
    h = await startSlackHarness(provider, { calendars });
  });
  beforeEach(async () => {
    await h.reset();
    calendars.byMember.clear();
    ws = await h.workspace();
    await h.app.store.updateWorkspace(ws.id, { timezone: "America/New_York" });
    ws = (await h.app.store.getWorkspace(ws.id)) as Workspace;
    bo = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
      tz: "America/New_York",
      email: "bo@northwind.example",
    });
    cy = await h.app.service.member(ws, {
      platformUserId: "UCY",
      displayName: "Cy Park",
      external: false,
      tz: "Europe/Berlin",
      email: "cy@northwind.example",
    });
    jane = await h.app.store.createContact(ws.id, { displayName: "Jane Doe", status: "tracked" }, [
      { kind: "name", normalized: "jane doe", display: "Jane Doe" },
      { kind: "email", normalized: "jane@acme.example", display: "jane@acme.example" },
    ]);
    const n = await h.app.store.createNudge(ws.id, { memberId: bo.id, contactId: jane.id, kind: "lunch" });
    nudge = (await h.app.store.transitionNudge(ws.id, n.id, ["pending"], { status: "sent" })) as Nudge;
  });
  afterAll(async () => {
    await h.close();
  });

  /** Bo presses Plan lunch on his prompt: the modal Slack was asked to open. */
  async function openModal(): Promise<View> {
    const before = h.fake.callsTo("views.open").length;
    const res = await h.interaction(
      blockAction({
        userId: "UBO",
        actionId: "prompt_plan",
        value: JSON.stringify({ n: nudge.id }),
        channel: "DUBO",
        messageTs: "1700000000.000100",
      }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    const opens = h.fake.callsTo("views.open");
    expect(opens).toHaveLength(before + 1);
    return opens.at(-1)?.args.view as View;
  }
  const submit = (view: View, slot: string | null) =>
    h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: view.private_metadata,
        values: {
          ...(slot ? { slot: { slot: { type: "radio_buttons", selected_option: { value: slot } } } } : {}),
          date: { date: { type: "datepicker", selected_date: "2026-11-24" } },
          time: { time: { type: "timepicker", selected_time: "12:30" } },
          with: { with: { type: "multi_users_select", selected_users: ["UCY"] } },
        },
      }),
    );
  const slotOptions = (view: View) => view.blocks.find((b) => b.block_id === "slot")?.element;
  const uploads = () => h.fake.callsTo("files.completeUploadExternal");

  it("offers the free slots in the modal and books the one picked, inviting by email", async () => {
    const own = calendars.connect(bo.id);
    calendars.connect(cy.id);
    // Bo's Thursday lunch hour is taken in New York.
    own.busy.push({ start: new Date("2026-11-19T16:30:00Z"), end: new Date("2026-11-19T19:00:00Z") });
    const view = await openModal();
    const radio = slotOptions(view);
    // Now is Wed 10:00 in New York: Wednesday's noon is the first slot two hours ahead.
    expect(radio?.type).toBe("radio_buttons");
    expect(radio?.options?.map((o) => o.text.text)).toEqual([
      "Wed 18 Nov, 12:00–13:00",
      "Fri 20 Nov, 12:00–13:00",
      "Mon 23 Nov, 12:00–13:00",
      "Tue 24 Nov, 12:00–13:00",
      "Another time (pick it below)",
    ]);
    expect(radio?.initial_option?.value).toBe(radio?.options?.[0]?.value);

    const res = await submit(view, radio?.options?.[1]?.value ?? null);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await h.settle();
    const lunch = await db().lunch.findFirstOrThrow();
    expect(lunch.scheduledFor?.toISOString()).toBe("2026-11-20T17:00:00.000Z");
    expect(own.created).toMatchObject([
      {
        start: new Date("2026-11-20T17:00:00Z"),
        end: new Date("2026-11-20T18:00:00Z"),
        attendeeEmails: ["cy@northwind.example", "jane@acme.example"],
        timeZone: "America/New_York",
      },
    ]);
    // Both have calendars: no .ics for anyone; Cy is told, with where the invitation comes from.
    expect(uploads()).toEqual([]);
    const toCy = h.fake.postsTo("DUCY")[0];
    expect(String(toCy?.args.text)).toContain(
      "Bo Chen planned lunch with Jane Doe on Fri 20 Nov, 18:00 and added you. The invitation comes from Bo Chen's calendar.",
    );
  });

  it("doesn't double-book a slot that filled after the form offered it: the .ics and why instead", async () => {
    const own = calendars.connect(bo.id);
    const view = await openModal();
    const first = slotOptions(view)?.options?.[0]?.value ?? null;
    // While the modal is open, Bo accepts a meeting over Wednesday's noon slot.
    own.busy.push({ start: new Date("2026-11-18T17:30:00Z"), end: new Date("2026-11-18T18:00:00Z") });
    const res = await submit(view, first);
    expect(res.text).toBe("");
    await h.settle();
    expect((await db().lunch.findFirstOrThrow()).scheduledFor?.toISOString()).toBe(
      "2026-11-18T17:00:00.000Z",
    );
    expect(own.created).toEqual([]);
    const toBo = uploads().find((c) => c.args.channel_id === "DUBO");
    expect(String(toBo?.args.initial_comment)).toBe(
      "Something else is in your calendar at that time now (it was free when I suggested it), so I didn't add the lunch there. Here is the invite to add yourself.",
    );
  });

  it("opens as before (with a hint) without a connected calendar, and sends the .ics", async () => {
    const view = await openModal();
    expect(slotOptions(view)).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain("Connect your calendar with `/offline connect calendar`");
    await submit(view, null);
    await h.settle();
    expect((await db().lunch.findFirstOrThrow()).scheduledFor?.toISOString()).toBe(
      "2026-11-24T17:30:00.000Z",
    );
    expect(
      uploads()
        .map((c) => c.args.channel_id)
        .sort(),
    ).toEqual(["DUBO", "DUCY"]);
  });

  it('"another time" uses the date and time fields', async () => {
    calendars.connect(bo.id);
    const view = await openModal();
    await submit(view, "other");
    await h.settle();
    expect((await db().lunch.findFirstOrThrow()).scheduledFor?.toISOString()).toBe(
      "2026-11-24T17:30:00.000Z",
    );
    // No slot picked: nothing goes into the calendar, the .ics goes out as before.
    expect(calendars.byMember.get(bo.id)?.created).toEqual([]);
    expect(uploads()).toHaveLength(2);
  });

  it("opens without slots when the calendar fails, and still plans when booking fails", async () => {
    const own = calendars.connect(bo.id);
    own.failure = { kind: "unavailable", retryAfterMs: null, detail: "HTTP 503" };
    const failing = await openModal();
    expect(slotOptions(failing)).toBeUndefined();
    expect(JSON.stringify(failing.blocks)).toContain("I couldn't read the calendars just now");

    own.failure = null;
    const view = await openModal();
    const first = slotOptions(view)?.options?.[0]?.value ?? null;
    own.failure = { kind: "revoked" };
    const res = await submit(view, first);
    expect(res.text).toBe("");
    await h.settle();
    expect((await db().lunch.findFirstOrThrow()).scheduledFor?.toISOString()).toBe(
      "2026-11-18T17:00:00.000Z",
    );
    const toBo = uploads().find((c) => c.args.channel_id === "DUBO");
    expect(String(toBo?.args.initial_comment)).toBe(
      "I couldn't add the lunch to your calendar: its connection was revoked or expired (reconnect with `/offline connect calendar`). Here is the invite to add yourself.",
    );
    expect(
      uploads()
        .map((c) => c.args.channel_id)
        .sort(),
    ).toEqual(["DUBO", "DUCY"]);
  });
});
