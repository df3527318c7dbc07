// Card renderers and the submit parser agree: every button a card renders parses back into the
// action it stands for, and hostile or malformed payloads are rejected.
import { describe, expect, it } from "vitest";
import type { Prompt } from "../../../src/app/service.ts";
import { parseLunchForm } from "../../../src/core/forms/lunch.ts";
import { parseSettingsForm } from "../../../src/core/forms/settings.ts";
import { defaultSettings } from "../../../src/core/settings.ts";
import type { Workspace } from "../../../src/core/types.ts";
import { cardProblems } from "../../../src/devtools/render/card-schema.ts";
import {
  type CardElement,
  channelLabel,
  lunchFormCard,
  promptCard,
  settingsCard,
} from "../../../src/platforms/teams/cards.ts";
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

const errorsOf = (r: ReturnType<typeof parseLunchForm>) => (r.ok ? {} : r.errors);

describe("the lunch form card", () => {
  const form = {
    nudgeId: "n1",
    contactId: "c1",
    contactName: "Jane",
    teammates: [],
    today: "2026-03-04",
    initialDate: "2026-03-05",
  };
  const input = (card: { body: CardElement[] }, id: string) => card.body.find((e) => e.id === id);

  it("opens with a date and a time, both required with the parser's own message", () => {
    const card = lunchFormCard(form);
    expect(input(card, "date")).toMatchObject({
      value: "2026-03-05",
      isRequired: true,
      errorMessage: errorsOf(parseLunchForm({ time: "12:00" })).date,
    });
    expect(input(card, "time")).toMatchObject({
      value: "12:30",
      isRequired: true,
      errorMessage: errorsOf(parseLunchForm({ date: "2026-03-05", time: "99" })).time,
    });
    // Submitted as shown, the form is valid.
    const shown = { date: String(input(card, "date")?.value), time: String(input(card, "time")?.value) };
    expect(parseLunchForm(shown).ok).toBe(true);
    expect(cardProblems(card)).toEqual([]);
  });

  it("has a Cancel that sends no inputs and parses back to the prompt it came from", () => {
    const card = lunchFormCard(form);
    const cancel = (card.actions ?? []).find((a) => a.title === "Cancel");
    expect(cancel).toMatchObject({ type: "Action.Submit", associatedInputs: "none" });
    expect(parseCardSubmit(cancel?.data)).toEqual({ tio: "lunch-cancel", nudgeId: "n1", contactId: "c1" });
    const fromDigest = lunchFormCard({ ...form, nudgeId: null });
    const back = (fromDigest.actions ?? []).find((a) => a.title === "Cancel");
    expect(parseCardSubmit(back?.data)).toEqual({ tio: "lunch-cancel", nudgeId: null, contactId: "c1" });
  });

  it("shows what was typed again, with each error under its field", () => {
    const card = lunchFormCard(form, {
      values: { date: "", time: "13:15", place: "Cafe Nord" },
      errors: { date: "Pick a date." },
    });
    expect(input(card, "date")).not.toHaveProperty("value");
    expect(input(card, "time")).toMatchObject({ value: "13:15" });
    expect(input(card, "place")).toMatchObject({ value: "Cafe Nord" });
    const i = card.body.findIndex((e) => e.id === "date");
    expect(card.body[i + 1]).toMatchObject({ type: "TextBlock", text: "Pick a date.", color: "Attention" });
  });
});

describe("the settings card", () => {
  const channels = [
    { channelId: "19:general", name: "General" },
    { channelId: "19:c0ffee0123456789abcdef@thread.tacv2", name: "" },
    { channelId: "19:team1@thread.skype", name: "", teamId: "19:team1@thread.skype" },
  ];
  const input = (card: { body: CardElement[] }, id: string) =>
    card.body.find((e) => e.id === id) as CardElement & {
      value?: string;
      style?: string;
      choices: Array<{ title: string; value: string }>;
    };

  it("offers choices for the channel, the hours and the zone, none with an empty value", () => {
    const card = settingsCard(ws, channels);
    const channel = input(card, "digestChannel");
    expect(channel.choices.map((c) => c.title)).toEqual([
      "Nowhere (no digest)",
      "General",
      "A channel (id 19:c0ffee012345…)",
      "General",
    ]);
    for (const el of card.body)
      for (const c of (el.choices as Array<{ value: string }> | undefined) ?? [])
        expect(c.value).not.toBe("");
    for (const id of ["digestHour", "workingHourStart", "workingHourEnd"]) {
      expect(input(card, id)).toMatchObject({ type: "Input.ChoiceSet" });
      expect(input(card, id).choices.map((c) => c.title)).toContain("09:00");
    }
    expect(input(card, "digestHour").choices).toHaveLength(24);
    expect(input(card, "digestHour").value).toBe("9");
    const zone = input(card, "timezone");
    expect(zone).toMatchObject({ type: "Input.ChoiceSet", style: "filtered", value: "Europe/Berlin" });
    expect(zone.choices.map((c) => c.value)).toContain("America/New_York");
    expect(cardProblems(card)).toEqual([]);
    // Teams' message limit is counted in UTF-16 (recommended under 80 KB): 400 zones fit.
    expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
  });

  it("reads 'Nowhere' back as no digest", () => {
    const card = settingsCard({ ...ws, digestChannel: null }, channels);
    expect(input(card, "digestChannel").value).toBe("none");
    const data = actionsOf(card)[0] as object;
    const raw = settingsFormRaw(settingsSubmitSchema.parse({ ...data, digestChannel: "none" }));
    expect(parseSettingsForm(raw, ws)).toMatchObject({ ok: true, value: { digestChannel: null } });
  });

  it("names channels by name, a team's first channel General, and only otherwise by a short id", () => {
    expect(channelLabel({ channelId: "19:x", name: " Sales " })).toBe("Sales");
    expect(channelLabel({ channelId: "19:t@thread.skype", name: "", teamId: "19:t@thread.skype" })).toBe(
      "General",
    );
    expect(channelLabel({ channelId: "19:abc@thread.tacv2", name: "" })).toBe("A channel (id 19:abc)");
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
        slot: null,
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
        timezone: "Nowhere/City is not a time zone I know. Pick one from the list, like Europe/Berlin.",
        digestChannel: "Pick a channel from the list.",
        workingHourEnd: "Working hours must start before they end.",
        mentionThreshold: "Enter a whole number from 1 to 1000.",
      },
    });
  });
});
