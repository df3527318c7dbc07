// Card renderers and the submit parser agree: every button a card renders parses back into the
// action it stands for, and hostile or malformed payloads are rejected.
import { describe, expect, it } from "vitest";
import type { Prompt } from "../../../src/app/service.ts";
import { parseLunchForm } from "../../../src/core/forms/lunch.ts";
import { parseSettingsForm } from "../../../src/core/forms/settings.ts";
import { defaultSettings } from "../../../src/core/settings.ts";
import type { Workspace } from "../../../src/core/types.ts";
import { lunchFormCard, promptCard, settingsCard } from "../../../src/platforms/teams/cards.ts";
import {
  lunchFormRaw,
  lunchSubmitSchema,
  parseCardSubmit,
  settingsFormRaw,
  settingsSubmitSchema,
} from "../../../src/platforms/teams/submit.ts";

const ws: Workspace = {
  id: "ws1",
  platform: "teams",
  externalId: "t1",
  name: "Acme",
  timezone: "Europe/Berlin",
  digestChannel: "19:general",
  digestDay: 1,
  digestHour: 9,
  settings: defaultSettings,
  uninstalledAt: null,
};

function actionsOf(card: { actions?: Array<{ type: string; data?: unknown }> }) {
  return (card.actions ?? []).map((a) => a.data);
}

describe("prompt cards", () => {
  const prompts: Prompt[] = [
    {
      kind: "lunch",
      nudgeId: "n1",
      contactId: "c1",
      contactName: "Jane",
      organization: "Globex",
      reason: "r",
      teammateNames: ["Bo"],
      mentionCount: 3,
    },
    {
      kind: "candidate",
      nudgeId: "n2",
      contactId: "c2",
      contactName: "Kim",
      question: "Is Kim external?",
      reason: "r",
    },
    { kind: "follow-up", lunchId: "l1", contactName: "Jane", when: "Tue 10 Mar, 12:30", place: "Cafe" },
  ];

  it("are Adaptive Cards 1.5 whose every button parses back", () => {
    for (const p of prompts) {
      const card = promptCard(p);
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
      const data = actionsOf(card);
      expect(data.length).toBeGreaterThan(0);
      for (const d of data) expect(parseCardSubmit(d)).not.toBeNull();
    }
    expect(actionsOf(promptCard(prompts[0] as Prompt))).toEqual(
      ["plan", "snooze", "met", "not-contact"].map((action) => ({ tio: "nudge", nudgeId: "n1", action })),
    );
    expect(actionsOf(promptCard(prompts[1] as Prompt))).toEqual(
      ["track", "ignore"].map((action) => ({ tio: "nudge", nudgeId: "n2", action })),
    );
  });

  it("the lunch form and the settings form submit what the parser expects", () => {
    const form = lunchFormCard({
      nudgeId: "n1",
      contactId: "c1",
      contactName: "Jane",
      teammates: [],
      today: "2026-03-04",
    });
    const data = actionsOf(form)[0] as Record<string, unknown>;
    // Teams merges the inputs into the button data.
    expect(
      parseCardSubmit({ ...data, date: "2026-03-10", time: "12:30", place: "Cafe", with: "29:a,29:b" }),
    ).toMatchObject({ tio: "lunch", nudgeId: "n1" });
    const settings = settingsCard(ws, [{ channelId: "19:general", name: "General" }]);
    expect(parseCardSubmit({ ...(actionsOf(settings)[0] as object), digestDay: "3" })).toMatchObject({
      tio: "settings",
      digestDay: "3",
    });
  });
});

describe("parseCardSubmit", () => {
  it("rejects unknown kinds, unknown actions and oversized values", () => {
    expect(parseCardSubmit(null)).toBeNull();
    expect(parseCardSubmit("plan")).toBeNull();
    expect(parseCardSubmit({ tio: "nudge", nudgeId: "n1", action: "delete-everything" })).toBeNull();
    expect(parseCardSubmit({ tio: "nudge", nudgeId: "x".repeat(101), action: "met" })).toBeNull();
    expect(parseCardSubmit({ tio: "followup", lunchId: "l1", happened: "yes" })).toBeNull();
    expect(parseCardSubmit({ tio: "admin" })).toBeNull();
  });
});

// Teams' submissions go through the core's form parsers (core/forms); these check the adapter's
// side: what a card sends is read into the fields the parser expects, with per-field errors.
describe("lunch card submission → core lunch form", () => {
  const base = { tio: "lunch" as const, contactId: "c1" };
  const parse = (v: Record<string, unknown>) =>
    parseLunchForm(lunchFormRaw(lunchSubmitSchema.parse({ ...base, ...v })));
  it("reads date, time, place and teammates", () => {
    expect(
      parse({ date: "2026-03-10", time: "12:30", place: " Cafe Nord ", with: "29:a, 29:b,29:a" }),
    ).toEqual({
      ok: true,
      value: {
        on: { year: 2026, month: 3, day: 10, hour: 12, minute: 30 },
        place: "Cafe Nord",
        withUserIds: ["29:a", "29:b"],
      },
    });
  });
  it("explains what is wrong, under the field", () => {
    expect(parse({ date: "2026-02-30" })).toEqual({
      ok: false,
      errors: { date: "2026-02-30 is not a real date: February 2026 has 28 days." },
    });
    expect(parse({ date: "10/03/2026" })).toMatchObject({ ok: false, errors: { date: expect.any(String) } });
    expect(parse({ date: "2026-03-10", time: "25:00" })).toEqual({
      ok: false,
      errors: { time: "Pick a time." },
    });
    // The form needs a date (it opens with one); a time alone is not a plan.
    expect(parse({ time: "12:00" })).toEqual({ ok: false, errors: { date: "Pick a date." } });
  });
});

describe("settings card submission → core settings form", () => {
  const parse = (v: Record<string, unknown>) =>
    parseSettingsForm(settingsFormRaw(settingsSubmitSchema.parse({ tio: "settings", ...v })), ws, {
      isChannel: (id) => id === "19:general",
    });

  it("builds a patch from the filled inputs and keeps the rest", () => {
    const r = parse({
      digestDay: "5",
      digestHour: 8,
      workingDays: "4,2",
      internalDomains: "Acme.com @acme.de",
      digestChannel: "",
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ digestDay: 5, digestHour: 8, digestChannel: null });
    expect(r.value.settings).toMatchObject({
      workingDays: [2, 4],
      internalDomains: ["acme.com", "acme.de"],
      mentionThreshold: 3,
    });
  });

  it("rejects out-of-range numbers, unknown zones and channels, and inverted hours, each under its field", () => {
    const r = parse({
      digestDay: "8",
      timezone: "Nowhere/City",
      digestChannel: "19:other",
      workingHourStart: "16",
      workingHourEnd: "10",
      mentionThreshold: "0",
    });
    expect(r).toEqual({
      ok: false,
      errors: {
        digestDay: "Pick a day.",
        timezone: "Nowhere/City is not a time zone I know. Use an IANA name, like Europe/Berlin.",
        digestChannel: "Pick a channel from the list.",
        workingHourEnd: "Working hours must start before they end.",
        mentionThreshold: "Enter a whole number from 1 to 1000.",
      },
    });
  });
});
