import { describe, expect, it } from "vitest";
import { formatContactsTable, parseContactsArgs } from "../../src/contacts-command.ts";
import { isValidTimeZone } from "../../src/core/time.ts";
import {
  exportTimeZone,
  exportWorkspaceName,
  SlackChannel,
  SlackUser,
} from "../../src/import/slack-export.ts";

// The shapes older Slack exports really have, and the command line's table, without a database.

const user = (raw: Record<string, unknown>) => SlackUser.parse({ team_id: "T1", ...raw });

describe("older exports' metadata", () => {
  it("reads numbers and flags written as strings, and missing members, topic and purpose", () => {
    const c = SlackChannel.parse({
      id: "C1",
      name: "general",
      created: "1443636473",
      is_archived: "false",
      is_general: "true",
      purpose: "a plain string, as the oldest exports have it",
    });
    expect(c).toMatchObject({
      created: 1443636473,
      is_archived: false,
      is_general: true,
      members: [],
      purpose: "a plain string, as the oldest exports have it",
    });
    expect(c.topic).toBeUndefined();
    expect(SlackChannel.parse({ id: "C2", is_archived: 1, created: 1443636473.5 })).toMatchObject({
      is_archived: true,
      created: 1443636473.5,
    });
  });

  it("still rejects what isn't a number or a flag", () => {
    expect(SlackChannel.safeParse({ id: "C1", created: "yesterday" }).success).toBe(false);
    expect(SlackChannel.safeParse({ id: "C1", is_archived: "maybe" }).success).toBe(false);
  });

  it("takes the most common member time zone, ignoring bots, strangers and invalid zones", () => {
    const users = [
      user({ id: "U1", tz: "America/Los_Angeles" }),
      user({ id: "U2", tz: "America/Los_Angeles" }),
      user({ id: "U3", tz: "Europe/London" }),
      user({ id: "U4" }),
      user({ id: "U5", tz: "Not/AZone" }),
      user({ id: "B1", tz: "Asia/Tokyo", is_bot: true }),
      user({ id: "B2", tz: "Asia/Tokyo", is_bot: "true" }),
      user({ id: "B3", tz: "Asia/Tokyo", is_bot: "true" }),
      user({ id: "X1", tz: "Asia/Tokyo", team_id: "T2", is_stranger: true }),
    ];
    expect(exportTimeZone(users, isValidTimeZone)).toEqual({
      timezone: "America/Los_Angeles",
      members: 2,
      of: 5,
    });
    // A tie goes the same way whatever the order of users.json.
    const tie = [user({ id: "U1", tz: "Europe/Berlin" }), user({ id: "U2", tz: "America/Chicago" })];
    expect(exportTimeZone(tie, isValidTimeZone)?.timezone).toBe("America/Chicago");
    expect(exportTimeZone([...tie].reverse(), isValidTimeZone)?.timezone).toBe("America/Chicago");
    expect(exportTimeZone([user({ id: "U1" })], isValidTimeZone)).toBeUndefined();
  });

  it("names the workspace from the organization, else the download's name without Slack's suffix", () => {
    const members = [user({ id: "U1" })];
    expect(exportWorkspaceName(members, "/tmp/PyData SF Slack export Oct 1 2015 - Mar 31 2016.zip")).toEqual({
      name: "PyData SF",
      from: "file name",
    });
    expect(exportWorkspaceName(members, "/exports/acme-history/")).toEqual({
      name: "acme-history",
      from: "file name",
    });
    const grid = [
      user({ id: "U1", enterprise_user: { id: "W1", enterprise_id: "E1", enterprise_name: "Globex" } }),
    ];
    expect(exportWorkspaceName(grid, "/tmp/export.zip")).toEqual({ name: "Globex", from: "enterprise" });
  });
});

describe("contacts table", () => {
  const row = (name: string, mentions: number, last: string | null) => ({
    id: name,
    name,
    status: "candidate" as const,
    kind: "person" as const,
    aliases: [],
    mentions,
    teammates: 1,
    lastMentionedAt: last,
  });

  it("aligns columns, right-aligns numbers and dates each row in the workspace's zone", () => {
    const out = formatContactsTable(
      [row("Priya Shah", 12, "2026-03-01T02:00:00Z"), row("x.com/janesmith", 3, null)],
      "America/Los_Angeles",
    ).split("\n");
    expect(out).toEqual([
      "NAME             STATUS     KIND    MENTIONS  TEAMMATES  LAST MENTIONED",
      "Priya Shah       candidate  person        12          1  2026-02-28",
      "x.com/janesmith  candidate  person         3          1  never",
    ]);
  });

  it("keeps names from message text from reaching the terminal as control characters, and shortens long ones", () => {
    const out = formatContactsTable([row(`Evil\u001b[2J\u0007Name ${"x".repeat(60)}`, 1, null)], "UTC");
    const line = out.split("\n")[1] ?? "";
    expect(line).not.toMatch(/\p{Cc}/u);
    expect(line.startsWith("Evil [2J Name xxx")).toBe(true);
    expect(line.indexOf("…")).toBe(39);
  });
});

describe("contacts arguments", () => {
  it("defaults, and the values zod turns them into", () => {
    expect(parseContactsArgs([])).toEqual({ all: false, json: false });
    const parsed = parseContactsArgs([
      "--status",
      "ignored",
      "--since",
      "2025-01-31",
      "--json",
      "--workspace",
      "T1",
    ]);
    expect(parsed).toEqual({
      status: "ignored",
      since: new Date("2025-01-31T00:00:00Z"),
      all: false,
      json: true,
      workspace: "T1",
    });
  });
});
