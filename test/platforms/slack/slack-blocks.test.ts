import type { types } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { buildDigest, DIGEST_HEADINGS } from "../../../src/core/digest.ts";
import { homeDoc } from "../../../src/core/messages/home.ts";
import { defaultSettings } from "../../../src/core/settings.ts";
import type { Workspace } from "../../../src/core/types.ts";
import { parseMessageRef } from "../../../src/platforms/slack/chat.ts";
import { nextWeekday } from "../../../src/platforms/slack/listeners/actions.ts";
import { withoutMentionLabels } from "../../../src/platforms/slack/listeners/commands.ts";
import {
  nudgeButtonValue,
  parseLunchValue,
  parseMoreValue,
  parseNudgeValue,
} from "../../../src/platforms/slack/payloads.ts";
import { digestBlocks } from "../../../src/platforms/slack/render/digest.ts";
import { homeView } from "../../../src/platforms/slack/render/home.ts";
import {
  parseLunchSubmission,
  parseSettingsSubmission,
  settingsModal,
} from "../../../src/platforms/slack/render/modals.ts";
import { escapeMrkdwn } from "../../../src/platforms/slack/render/mrkdwn.ts";
import { blocksToText } from "../../../src/platforms/slack/render/plain-text.ts";
import { promptMessage } from "../../../src/platforms/slack/render/prompt.ts";

// Block Kit rendering and the parsing of what comes back from it, without Slack.

const now = new Date("2026-11-27T21:00:00Z");
const digest = buildDigest({
  workspaceName: "Northwind <Labs>",
  week: "2026-W48",
  now,
  timeZone: "America/New_York",
  settings: defaultSettings,
  weekContacts: [
    {
      contactId: "c1",
      displayName: "Jane <!channel> Doe",
      organization: "Acme & Sons",
      mentions: 7,
      previousWeekMentions: 2,
      teammates: 3,
      lastMetAt: null,
      status: "tracked",
    },
    {
      contactId: "c2",
      displayName: "Omar Haddad",
      organization: null,
      mentions: 3,
      previousWeekMentions: 0,
      teammates: 1,
      lastMetAt: new Date("2026-11-20T12:00:00Z"),
      status: "tracked",
    },
    {
      contactId: "c3",
      displayName: "Maybe Person",
      organization: null,
      mentions: 9,
      previousWeekMentions: 0,
      teammates: 2,
      lastMetAt: null,
      status: "candidate",
    },
  ],
  coverageContacts: [
    { contactId: "c1", displayName: "Jane <!channel> Doe", mentions: 20, lastMetAt: null, status: "tracked" },
    {
      contactId: "c2",
      displayName: "Omar Haddad",
      mentions: 5,
      lastMetAt: new Date("2026-11-20T12:00:00Z"),
      status: "tracked",
    },
  ],
  lunchesPlanned: [
    {
      contactName: "Jane <!channel> Doe",
      organizerName: "Ann",
      attendeeNames: ["Bo"],
      scheduledFor: new Date("2026-12-03T17:30:00Z"),
      place: "Cafe <Nord>",
    },
  ],
  lunchesHeld: [],
  meetings: [{ memberName: "Cy", contactNames: ["Omar Haddad"] }],
});

describe("digest blocks", () => {
  const blocks = digestBlocks(digest);
  const json = JSON.stringify(blocks);

  it("has a header, the sections in DIGEST_HEADINGS order, coverage and a context line", () => {
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Take it offline — week 48", emoji: true },
    });
    // The call to action (still online-only) first, then the rest of the ranking.
    const order = [
      DIGEST_HEADINGS.onlineOnly,
      DIGEST_HEADINGS.metRecently,
      DIGEST_HEADINGS.lunchesPlanned,
      DIGEST_HEADINGS.tookItOffline,
      DIGEST_HEADINGS.coverage,
    ].map((h) => json.indexOf(`*${h}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(json).not.toContain(DIGEST_HEADINGS.lunchesHeld);
    expect(blocks.at(-1)?.type).toBe("context");
  });

  it("escapes &, < and > in names and places, so nothing pings or links", () => {
    expect(json).not.toContain("<!channel>");
    expect(json).toContain("Jane &lt;!channel&gt; Doe");
    expect(json).toContain("Acme &amp; Sons");
    expect(json).toContain("Cafe &lt;Nord&gt;");
    expect(json).toContain("Northwind &lt;Labs&gt;");
  });

  it("leaves candidates out and reads like the fallback text", () => {
    expect(json).not.toContain("Maybe Person");
    const text = blocksToText(blocks);
    // Trends in words, never arrows; the same line in the blocks and the fallback text.
    const line = "Jane <!channel> Doe (Acme & Sons) — 7 mentions from 3 teammates, up from 2; never met";
    expect(text).toContain(line);
    expect(text).not.toMatch(/[↑↓→]/);
    expect(text).toContain("Offline coverage\n50%");
    expect(digest.fallbackText).toContain(`- ${line}`);
    // Each still-online-only contact has its own Plan lunch button carrying the contact id.
    const planButtons = blocks.flatMap((b) =>
      b.type === "section" && b.accessory?.type === "button" ? [b.accessory] : [],
    );
    expect(planButtons.map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      ["digest_plan_lunch", "c1", "Plan lunch"],
    ]);
  });

  it("says so in a quiet week", () => {
    const quiet = digestBlocks(
      buildDigest({
        workspaceName: "N",
        week: "2026-W48",
        now,
        settings: defaultSettings,
        weekContacts: [],
        coverageContacts: [],
        lunchesPlanned: [],
        lunchesHeld: [],
        meetings: [],
      }),
    );
    expect(blocksToText(quiet)).toContain("A quiet week");
  });
});

describe("prompt messages", () => {
  it("puts the nudge id in every button and escapes the contact", () => {
    const m = promptMessage({
      kind: "lunch",
      nudgeId: "nud_1",
      contactId: "c",
      contactName: "A <b>",
      organization: "X&Y",
      reason: "You mentioned them 4 times.",
      teammateNames: ["Bo", "Cy"],
      mentionCount: 4,
    });
    expect(m.text).toBe("Take A &lt;b&gt; to lunch? You mentioned them 4 times.");
    const text = blocksToText(m.blocks);
    expect(text).toContain("Take A <b> to lunch?\nX&Y\nYou mentioned them 4 times.");
    // One button in view; the rarer answers in the overflow menu, so nothing is cut off.
    expect(text).toContain("[Plan lunch] [⋯ Snooze 2 weeks | Already met | Not an external contact]");
    expect(text).toContain("Only who mentioned whom is stored, never messages. Pause with `/offline pause`.");
    expect(JSON.stringify(m.blocks)).toContain("A &lt;b&gt;");
    const values = m.blocks.flatMap((b) =>
      b.type === "actions"
        ? b.elements.flatMap((e) =>
            "value" in e ? [e.value] : "options" in e ? (e.options ?? []).map((o) => o.value) : [],
          )
        : [],
    );
    expect(values.map((v) => parseNudgeValue(v))).toEqual(Array(4).fill("nud_1"));
    expect(values.slice(1).map((v) => parseMoreValue(v)?.action)).toEqual(["snooze", "met", "not-contact"]);
  });

  it("asks follow-up questions with the time and place", () => {
    const m = promptMessage({
      kind: "follow-up",
      lunchId: "l1",
      contactName: "Jane",
      when: "Thu 3 Dec, 12:30",
      place: "Cafe Nord",
    });
    expect(blocksToText(m.blocks)).toBe(
      "Did your lunch with Jane happen?\nThu 3 Dec, 12:30 at Cafe Nord\n[Yes, we met] [Not yet] [It's off]",
    );
  });
});

describe("button values", () => {
  it("round-trips ids and rejects anything else", () => {
    expect(parseNudgeValue(nudgeButtonValue("cmabc123"))).toBe("cmabc123");
    expect(parseNudgeValue("cmabc123")).toBeNull();
    expect(parseNudgeValue('{"n":"a b"}')).toBeNull();
    expect(parseNudgeValue(`{"n":"${"x".repeat(65)}"}`)).toBeNull();
    expect(parseNudgeValue(undefined)).toBeNull();
    expect(parseLunchValue('{"l":"lunch_1"}')).toBe("lunch_1");
    expect(parseLunchValue('{"n":"lunch_1"}')).toBeNull();
  });
});

describe("lunch form", () => {
  const v = (date: string | null, time?: string, place?: string, users?: string[]) => ({
    date: { date: { type: "datepicker", selected_date: date } },
    ...(time ? { time: { time: { type: "timepicker", selected_time: time } } } : {}),
    ...(place !== undefined ? { place: { place: { type: "plain_text_input", value: place } } } : {}),
    ...(users ? { with: { with: { type: "multi_users_select", selected_users: users } } } : {}),
  });

  it("parses a complete submission", () => {
    expect(parseLunchSubmission(v("2026-12-03", "12:30", "  Cafe Nord ", ["UBO"]))).toEqual({
      ok: true,
      value: {
        slot: null,
        on: { year: 2026, month: 12, day: 3, hour: 12, minute: 30 },
        place: "Cafe Nord",
        withUserIds: ["UBO"],
      },
    });
  });

  it("defaults the time to noon and an empty place to none", () => {
    expect(parseLunchSubmission(v("2026-12-03", undefined, ""))).toMatchObject({
      ok: true,
      value: { on: { hour: 12, minute: 0 }, place: null, withUserIds: [] },
    });
  });

  it("reports problems per field", () => {
    expect(parseLunchSubmission(v(null))).toEqual({ ok: false, errors: { date: "Pick a date." } });
    expect(parseLunchSubmission(v("2026-12-03", "25:00", "x".repeat(201), ["not-a-user"]))).toEqual({
      ok: false,
      errors: {
        time: "Pick a time.",
        place: "Keep the place under 200 characters.",
        with: "Pick teammates from the list.",
      },
    });
  });
});

describe("settings form", () => {
  const ws: Workspace = {
    id: "w1",
    platform: "slack",
    externalId: "T1",
    name: "N",
    timezone: "America/New_York",
    digestChannel: "C0GEN",
    digestDay: 1,
    digestHour: 9,
    settings: defaultSettings,
    uninstalledAt: null,
  };

  /** Submitted state for the form as opened (Slack echoes the initial values). */
  function submitted(overrides: Record<string, Record<string, unknown>> = {}) {
    const values: Record<string, Record<string, unknown>> = {};
    for (const b of settingsModal(ws).blocks as types.KnownBlock[]) {
      if (b.type !== "input") continue;
      const e = b.element as unknown as Record<string, unknown> & { type: string };
      const state: Record<string, unknown> = { type: e.type };
      if (e.type === "static_select") state.selected_option = e.initial_option;
      if (e.type === "checkboxes") state.selected_options = e.initial_options;
      if (e.type === "conversations_select") state.selected_conversation = e.initial_conversation;
      if (e.type === "timepicker") state.selected_time = e.initial_time ?? null;
      if (e.type === "plain_text_input" || e.type === "number_input") state.value = e.initial_value ?? null;
      values[b.block_id!] = { value: { ...state, ...overrides[b.block_id!] } };
    }
    return values;
  }

  it("round-trips the current settings unchanged", () => {
    expect(parseSettingsSubmission(submitted(), ws)).toEqual({
      ok: true,
      value: {
        digestChannel: "C0GEN",
        digestDay: 1,
        digestHour: 9,
        timezone: "America/New_York",
        settings: defaultSettings,
      },
    });
  });

  it("keeps an explicit UTC choice distinguishable from the unset default", () => {
    const utc = { selected_option: { text: { type: "plain_text", text: "UTC" }, value: "UTC" } };
    const r = parseSettingsSubmission(submitted({ timezone: utc }), ws);
    expect(r).toMatchObject({ ok: true, value: { timezone: "Etc/UTC" } });
  });

  it("offers the time zones as a select grouped by region, the current one chosen", () => {
    const block = (settingsModal({ ...ws, timezone: "UTC" }).blocks as types.KnownBlock[]).find(
      (b) => b.type === "input" && b.block_id === "timezone",
    ) as types.InputBlock;
    const select = block.element as types.StaticSelect;
    // The unset default ("UTC") shows as the UTC choice, which saves as Etc/UTC.
    expect(select.initial_option?.value).toBe("Etc/UTC");
    const groups = select.option_groups ?? [];
    expect(groups.length).toBeLessThanOrEqual(100);
    for (const g of groups) expect(g.options.length).toBeLessThanOrEqual(100);
    const values = groups.flatMap((g) => g.options.map((o) => o.value));
    expect(values).toContain("Europe/Berlin");
    expect(values).toContain("America/New_York");
    expect(new Set(values).size).toBe(values.length);
    expect(groups.map((g) => g.label.text)).toContain("Europe");
    // Zones by their current names (the runtime still lists Asia/Calcutta); an old name selects the new one.
    expect(values).toContain("Asia/Kolkata");
    expect(values).not.toContain("Asia/Calcutta");
    const alias = (settingsModal({ ...ws, timezone: "Asia/Calcutta" }).blocks as types.KnownBlock[]).find(
      (b) => b.type === "input" && b.block_id === "timezone",
    ) as types.InputBlock;
    expect((alias.element as types.StaticSelect).initial_option?.value).toBe("Asia/Kolkata");
    // A valid zone no list holds (a link like US/Eastern) is still offered when it is current.
    const link = (settingsModal({ ...ws, timezone: "US/Eastern" }).blocks as types.KnownBlock[]).find(
      (b) => b.type === "input" && b.block_id === "timezone",
    ) as types.InputBlock;
    expect((link.element as types.StaticSelect).initial_option?.value).toBe("US/Eastern");
  });

  it("normalises internal domains and rejects bad ones", () => {
    expect(
      parseSettingsSubmission(
        submitted({ internalDomains: { value: "@Northwind.example;\n nw.example , northwind.example" } }),
        ws,
      ),
    ).toMatchObject({
      ok: true,
      value: { settings: { internalDomains: ["northwind.example", "nw.example"] } },
    });
    expect(parseSettingsSubmission(submitted({ internalDomains: { value: "localhost" } }), ws)).toMatchObject(
      { ok: false, errors: { internalDomains: expect.stringContaining("localhost") } },
    );
  });

  it("rejects out-of-range numbers and an empty week", () => {
    const r = parseSettingsSubmission(
      submitted({
        weeklyCapPerMember: { value: "51" },
        mentionWindowDays: { value: "1.5" },
        workingDays: { selected_options: [] },
      }),
      ws,
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        weeklyCapPerMember: "Enter a whole number from 0 to 50.",
        mentionWindowDays: "Enter a whole number from 1 to 365.",
        workingDays: "Pick at least one day.",
      },
    });
  });
});

describe("App Home", () => {
  const numbers = {
    days: 30,
    team: { contacts: 12, met: 3, lunchesPlanned: 4, lunchesHeld: 2 },
    mine: { contacts: 2, prompts: 3 },
  };
  const home = (state: { paused?: boolean; pausedUntil?: Date | null; optedOut?: boolean }) =>
    blocksToText(
      homeView(
        homeDoc(
          {
            paused: false,
            pausedUntil: null,
            optedOut: false,
            contacts: [
              {
                contact: { displayName: "Jane Doe", organization: null, lastMetAt: null },
                mentions: 9,
                teammates: 27,
              },
            ],
            prompts: [],
            lunches: [],
            numbers,
            ...state,
          },
          { now: new Date("2026-12-01T10:00:00Z"), timeZone: "Europe/Lisbon" },
        ),
      ).blocks as never,
    );

  it("offers pause durations and always says when a pause ends", () => {
    const on = home({});
    expect(on).toContain("[Pause 1 week]");
    expect(on).toContain("Pause 4 weeks");
    expect(on).toContain("Pause until I resume");
    const paused = home({ paused: true, pausedUntil: new Date("2027-01-04T09:00:00Z") });
    expect(paused).toContain("paused until Mon 4 Jan, 09:00");
    expect(paused).toContain("[Resume]");
    expect(home({ paused: true })).toContain("paused until you resume");
    expect(home({ optedOut: true })).toContain("[Opt back in]");
  });

  it("labels the person's own numbers apart from the team's", () => {
    const text = home({});
    expect(text).toContain("9 mentions by you; 27 teammates on the team discuss them");
    expect(text).toMatch(/You: .*2 contacts discussed, 3 prompts received/);
    expect(text).toMatch(/Whole team: .*12 contacts discussed, 3 met in person within 90 days/);
  });
});

describe("small helpers", () => {
  it("drops mention labels, which are handles rather than names", () => {
    expect(withoutMentionLabels("lunch <@U123|jane.doe> with <@W9|bo> <#C1|general>")).toBe(
      "lunch <@U123> with <@W9> <#C1|general>",
    );
  });

  it("parses message refs", () => {
    expect(parseMessageRef("D0BO:1700000001.000100")).toEqual({ channel: "D0BO", ts: "1700000001.000100" });
    expect(parseMessageRef("demo:1")).toBeNull();
    expect(parseMessageRef(null)).toBeNull();
  });

  it("escapes mrkdwn control characters", () => {
    expect(escapeMrkdwn("a & <b> <@U1>")).toBe("a &amp; &lt;b&gt; &lt;@U1&gt;");
  });

  it("defaults the lunch date to the next weekday in the organizer's zone", () => {
    expect(nextWeekday(new Date("2026-11-20T15:00:00Z"), "America/New_York")).toBe("2026-11-23");
    expect(nextWeekday(new Date("2026-11-18T15:00:00Z"), "America/New_York")).toBe("2026-11-19");
    // 23:30 in New York on Thursday is already Friday in Tokyo; the next weekday there is Monday.
    expect(nextWeekday(new Date("2026-11-20T04:30:00Z"), "Asia/Tokyo")).toBe("2026-11-23");
  });
});
