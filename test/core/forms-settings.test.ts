// The one settings form (core/forms/settings.ts): its field list covers every setting, its limits are
// SETTINGS_LIMITS, and its parser turns raw strings into a patch or one message per field.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hourChoices,
  parseSettingsForm,
  SETTINGS_FIELD_NAMES,
  SETTINGS_FORM,
  type SettingsField,
  type SettingsFormCurrent,
  settingsFormValues,
  timeZoneChoices,
  timeZoneChoiceValue,
} from "../../src/core/forms/settings.ts";
import { defaultSettings, SETTINGS_LIMITS, workspaceSettingsSchema } from "../../src/core/settings.ts";
import { isValidTimeZone } from "../../src/core/time.ts";

const current: SettingsFormCurrent = {
  digestChannel: "C0GEN",
  digestDay: 1,
  digestHour: 9,
  timezone: "America/New_York",
  settings: defaultSettings,
};

const NUMERIC = Object.keys(defaultSettings).filter(
  (k) => typeof defaultSettings[k as keyof typeof defaultSettings] === "number",
) as Array<keyof typeof SETTINGS_LIMITS & SettingsField>;

describe("the settings field list", () => {
  it("has every workspace setting and the digest columns, once each", () => {
    expect([...SETTINGS_FIELD_NAMES].sort()).toEqual(
      [
        ...Object.keys(workspaceSettingsSchema.shape),
        "digestChannel",
        "digestDay",
        "digestHour",
        "timezone",
      ].sort(),
    );
    expect(new Set(SETTINGS_FIELD_NAMES).size).toBe(SETTINGS_FIELD_NAMES.length);
  });

  it("takes every numeric field's range from SETTINGS_LIMITS", () => {
    for (const f of SETTINGS_FORM) {
      if (f.kind !== "number" && f.kind !== "hour") continue;
      expect({ min: f.min, max: f.max }).toEqual(SETTINGS_LIMITS[f.name]);
    }
    for (const name of NUMERIC) {
      const { min, max } = SETTINGS_LIMITS[name];
      const base = { ...defaultSettings };
      expect(workspaceSettingsSchema.safeParse({ ...base, [name]: min }).success).toBe(true);
      expect(workspaceSettingsSchema.safeParse({ ...base, [name]: max }).success).toBe(true);
      expect(workspaceSettingsSchema.safeParse({ ...base, [name]: max + 1 }).success).toBe(false);
      expect(workspaceSettingsSchema.safeParse({ ...base, [name]: min - 1 }).success).toBe(false);
    }
  });

  it("has a label for every field", () => {
    for (const f of SETTINGS_FORM) expect(f.label.trim()).not.toBe("");
  });
});

describe("parseSettingsForm", () => {
  it("round-trips the values it prefills", () => {
    expect(parseSettingsForm(settingsFormValues(current), current)).toEqual({
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

  it("keeps what the submission doesn't carry", () => {
    expect(parseSettingsForm({}, current)).toMatchObject({
      ok: true,
      value: { digestChannel: "C0GEN", settings: defaultSettings },
    });
    expect(parseSettingsForm({ retentionDays: "30" }, current)).toMatchObject({
      ok: true,
      value: { digestDay: 1, settings: { ...defaultSettings, retentionDays: 30 } },
    });
  });

  it.each(NUMERIC)("accepts %s at its limits and refuses just outside them, under the field", (name) => {
    const { min, max } = SETTINGS_LIMITS[name];
    // Working hours are checked against each other too; test them apart from that rule.
    const other =
      name === "workingHourStart"
        ? { workingHourEnd: "24" }
        : name === "workingHourEnd"
          ? { workingHourStart: "0" }
          : name === "lunchMinutes"
            ? { lunchStart: "00:00", lunchEnd: "23:59" }
            : {};
    for (const ok of [min, max]) {
      const r = parseSettingsForm({ ...other, [name]: String(ok) }, current);
      expect(r).toMatchObject({ ok: true, value: { settings: { [name]: ok } } });
    }
    for (const bad of [String(min - 1), String(max + 1), "1.5", "", "ten", "1e2", " "]) {
      const r = parseSettingsForm({ ...other, [name]: bad }, current);
      expect(r).toEqual({ ok: false, errors: { [name]: `Enter a whole number from ${min} to ${max}.` } });
    }
  });

  it("reads days as a list or a comma-separated string, sorted without duplicates", () => {
    expect(parseSettingsForm({ workingDays: ["5", "1", "5"] }, current)).toMatchObject({
      ok: true,
      value: { settings: { workingDays: [1, 5] } },
    });
    expect(parseSettingsForm({ workingDays: "4,2" }, current)).toMatchObject({
      ok: true,
      value: { settings: { workingDays: [2, 4] } },
    });
    for (const bad of ["", [], "0", "8", "mon", ["1", "x"]])
      expect(parseSettingsForm({ workingDays: bad }, current)).toEqual({
        ok: false,
        errors: { workingDays: "Pick at least one day." },
      });
  });

  it("checks the digest day, hour and channel", () => {
    expect(parseSettingsForm({ digestDay: "7", digestHour: "0" }, current)).toMatchObject({
      ok: true,
      value: { digestDay: 7, digestHour: 0 },
    });
    expect(parseSettingsForm({ digestDay: "8", digestHour: "24" }, current)).toEqual({
      ok: false,
      errors: { digestDay: "Pick a day.", digestHour: "Enter a whole number from 0 to 23." },
    });
    expect(parseSettingsForm({ digestChannel: "" }, current)).toMatchObject({
      ok: true,
      value: { digestChannel: null },
    });
    const isChannel = (id: string) => id === "C0GEN";
    expect(parseSettingsForm({ digestChannel: "C0OTHER" }, current, { isChannel })).toEqual({
      ok: false,
      errors: { digestChannel: "Pick a channel from the list." },
    });
  });

  it("checks the time zone, and keeps an explicit UTC apart from the unset default", () => {
    expect(parseSettingsForm({ timezone: " Europe/Berlin " }, current)).toMatchObject({
      ok: true,
      value: { timezone: "Europe/Berlin" },
    });
    expect(parseSettingsForm({ timezone: "utc" }, current)).toMatchObject({
      ok: true,
      value: { timezone: "Etc/UTC" },
    });
    expect(parseSettingsForm({ timezone: "Mars/Olympus" }, current)).toEqual({
      ok: false,
      errors: {
        timezone: "Mars/Olympus is not a time zone I know. Pick one from the list, like Europe/Berlin.",
      },
    });
    expect(parseSettingsForm({ timezone: "" }, current)).toEqual({
      ok: false,
      errors: { timezone: "Pick a time zone from the list." },
    });
  });

  it("wants working hours that start before they end", () => {
    expect(parseSettingsForm({ workingHourStart: "15", workingHourEnd: "9" }, current)).toEqual({
      ok: false,
      errors: { workingHourEnd: "Working hours must start before they end." },
    });
    // Only the start moved past the stored end: the message goes where the change was.
    expect(parseSettingsForm({ workingHourStart: "17" }, current)).toEqual({
      ok: false,
      errors: { workingHourStart: "Working hours must start before they end." },
    });
  });

  it("reads lunch hours as HH:MM (seconds and one-digit hours too) and keeps the defaults otherwise", () => {
    expect(defaultSettings).toMatchObject({
      lunchStart: "11:30",
      lunchEnd: "14:00",
      lunchMinutes: 60,
      lunchDays: [1, 2, 3, 4, 5],
    });
    expect(
      parseSettingsForm(
        { lunchStart: "9:30", lunchEnd: "13:00:00", lunchMinutes: "45", lunchDays: ["2", "4"] },
        current,
      ),
    ).toMatchObject({
      ok: true,
      value: { settings: { lunchStart: "09:30", lunchEnd: "13:00", lunchMinutes: 45, lunchDays: [2, 4] } },
    });
    for (const bad of ["", "noon", "24:00", "12:60", "12"])
      expect(parseSettingsForm({ lunchStart: bad }, current)).toEqual({
        ok: false,
        errors: { lunchStart: "Enter a time like 11:30." },
      });
    expect(parseSettingsForm({ lunchDays: [] }, current)).toEqual({
      ok: false,
      errors: { lunchDays: "Pick at least one day." },
    });
  });

  it("wants lunch hours that start before they end and fit the lunch, said under the field changed", () => {
    expect(parseSettingsForm({ lunchStart: "14:00", lunchEnd: "12:00" }, current)).toEqual({
      ok: false,
      errors: { lunchEnd: "Lunch hours must start before they end." },
    });
    expect(parseSettingsForm({ lunchStart: "14:30" }, current)).toEqual({
      ok: false,
      errors: { lunchStart: "Lunch hours must start before they end." },
    });
    expect(parseSettingsForm({ lunchMinutes: "180" }, current)).toEqual({
      ok: false,
      errors: { lunchMinutes: "A 180-minute lunch doesn't fit between 11:30 and 14:00." },
    });
    expect(parseSettingsForm({ lunchEnd: "12:00" }, current)).toEqual({
      ok: false,
      errors: { lunchEnd: "A 60-minute lunch doesn't fit between 11:30 and 12:00." },
    });
  });

  it("normalises internal domains with one rule on every platform", () => {
    expect(
      parseSettingsForm({ internalDomains: "@Northwind.example;\n nw.example , northwind.example" }, current),
    ).toMatchObject({
      ok: true,
      value: { settings: { internalDomains: ["northwind.example", "nw.example"] } },
    });
    expect(parseSettingsForm({ internalDomains: "" }, current)).toMatchObject({
      ok: true,
      value: { settings: { internalDomains: [] } },
    });
    for (const bad of ["localhost", "acme", "-acme.com", "acme.c", "acme..com", "ex ample.com!"])
      expect(parseSettingsForm({ internalDomains: bad }, current)).toMatchObject({
        ok: false,
        errors: { internalDomains: expect.stringContaining("is not a domain name like example.com") },
      });
    const many = Array.from({ length: 51 }, (_, i) => `d${i}.example`).join(",");
    expect(parseSettingsForm({ internalDomains: many }, current)).toEqual({
      ok: false,
      errors: { internalDomains: "List at most 50 domains." },
    });
    expect(parseSettingsForm({ internalDomains: "a.example ".repeat(300) }, current)).toEqual({
      ok: false,
      errors: { internalDomains: "Keep the list under 2000 characters." },
    });
  });

  it("turns calendars off and on (a choice of two), and refuses anything else", () => {
    expect(defaultSettings.calendarsEnabled).toBe(true);
    const off = parseSettingsForm({ calendarsEnabled: "false" }, current);
    expect(off.ok && off.value.settings?.calendarsEnabled).toBe(false);
    const on = parseSettingsForm(
      { calendarsEnabled: "true" },
      { ...current, settings: { ...defaultSettings, calendarsEnabled: false } },
    );
    expect(on.ok && on.value.settings?.calendarsEnabled).toBe(true);
    const bad = parseSettingsForm({ calendarsEnabled: "maybe" }, current);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.calendarsEnabled).toBe("Pick one of the choices.");
    // A stored workspace from before the setting existed reads as on.
    expect(workspaceSettingsSchema.parse({}).calendarsEnabled).toBe(true);
  });

  it("reports several fields at once", () => {
    const r = parseSettingsForm(
      {
        mentionThreshold: "0",
        recentlyMetDays: "-1",
        digestTopN: "101",
        retentionDays: "6",
        coverageDays: "x",
      },
      current,
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(Object.keys(r.errors).sort()).toEqual([
        "coverageDays",
        "digestTopN",
        "mentionThreshold",
        "recentlyMetDays",
        "retentionDays",
      ]);
  });

  it("never throws, and what it accepts always loads with the stored schema (seeded property run)", () => {
    const raw = fc.option(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer({ min: -5, max: 4000 }).map(String),
        fc.array(fc.constantFrom("1", "2", "7", "9", "x"), { maxLength: 8 }),
      ),
      {
        nil: undefined,
      },
    );
    const form = fc.record(
      Object.fromEntries(SETTINGS_FIELD_NAMES.map((n) => [n, raw])) as Record<SettingsField, typeof raw>,
    );
    fc.assert(
      fc.property(form, (values) => {
        const r = parseSettingsForm(values, current);
        if (r.ok) expect(workspaceSettingsSchema.safeParse(r.value.settings).success).toBe(true);
        else for (const k of Object.keys(r.errors)) expect(SETTINGS_FIELD_NAMES).toContain(k);
      }),
      { seed: 1206, numRuns: 400 },
    );
  });
});

describe("the settings form's pick lists", () => {
  it("offers whole hours as 00:00…23:00, each parsing back to its hour", () => {
    const hours = hourChoices(0, 23);
    expect(hours).toHaveLength(24);
    expect(hours[0]).toEqual({ label: "00:00", value: "0" });
    expect(hours[23]).toEqual({ label: "23:00", value: "23" });
    for (const h of hours) {
      const r = parseSettingsForm({ digestHour: h.value }, current);
      expect(r.ok && r.value.digestHour).toBe(Number(h.value));
    }
  });

  it("offers every zone once, UTC first, each one the parser accepts", () => {
    const zones = timeZoneChoices();
    expect(zones[0]).toEqual({ label: "UTC", value: "Etc/UTC" });
    expect(zones.length).toBeGreaterThan(300);
    expect(new Set(zones.map((z) => z.value)).size).toBe(zones.length);
    for (const z of zones) {
      expect(isValidTimeZone(z.value), z.value).toBe(true);
      expect(z.label).not.toContain("_");
      expect(parseSettingsForm({ timezone: z.value }, current).ok, z.value).toBe(true);
    }
    expect(zones.find((z) => z.value === "America/New_York")?.label).toBe("America/New York");
  });

  it("selects the stored zone: the unset UTC as Etc/UTC, old names by their new ones, a link as itself", () => {
    expect(timeZoneChoiceValue("UTC")).toBe("Etc/UTC");
    expect(timeZoneChoiceValue("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(timeZoneChoices("Europe/Kiev").filter((z) => z.value.startsWith("Europe/Ky"))).toHaveLength(1);
    expect(timeZoneChoices("US/Eastern").map((z) => z.value)).toContain("US/Eastern");
    // Something that isn't a zone is never offered.
    expect(timeZoneChoices("Lisbon").map((z) => z.value)).not.toContain("Lisbon");
  });
});
