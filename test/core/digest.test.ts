import { describe, expect, it } from "vitest";
import {
  buildDigest,
  type CoverageContactInput,
  computeCoverage,
  DIGEST_HEADINGS,
  type DigestContactInput,
  type DigestInput,
  lastMetLabel,
  periodLabel,
  trendOf,
} from "../../src/core/digest.ts";
import { isoWeek } from "../../src/core/time.ts";

const NOW = new Date("2026-11-26T12:00:00Z"); // Thursday of 2026-W48
const daysAgo = (days: number, from: Date = NOW) => new Date(from.getTime() - days * 86_400_000);

function contact(overrides: Partial<DigestContactInput> & { contactId: string }): DigestContactInput {
  return {
    displayName: overrides.contactId,
    organization: null,
    mentions: 1,
    previousWeekMentions: 0,
    teammates: 1,
    lastMetAt: null,
    status: "tracked",
    ...overrides,
  };
}

function covered(overrides: Partial<CoverageContactInput> & { contactId: string }): CoverageContactInput {
  return {
    displayName: overrides.contactId,
    mentions: 1,
    lastMetAt: null,
    status: "tracked",
    ...overrides,
  };
}

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    workspaceName: "Acme",
    week: "2026-W48",
    now: NOW,
    timeZone: "UTC",
    settings: { digestTopN: 20, coverageDays: 90 },
    weekContacts: [],
    coverageContacts: [],
    lunchesPlanned: [],
    lunchesHeld: [],
    meetings: [],
    ...overrides,
  };
}

describe("buildDigest: title and period", () => {
  it("names the ISO week and its dates", () => {
    expect(isoWeek(NOW, "UTC")).toBe("2026-W48");
    const view = buildDigest(input());
    expect(view.title).toBe("Take it offline — week 48");
    expect(view.week).toBe("2026-W48");
    expect(view.periodLabel).toBe("23–29 Nov 2026");
  });

  it("handles week 53 spanning the new year", () => {
    const view = buildDigest(input({ week: "2026-W53", now: new Date("2026-12-31T12:00:00Z") }));
    expect(view.title).toBe("Take it offline — week 53");
    expect(view.periodLabel).toBe("28 Dec 2026 – 3 Jan 2027");
    expect(view.fallbackText.split("\n").slice(0, 2)).toEqual([
      "Take it offline — week 53",
      "Acme · This week so far, 28 Dec 2026 – 3 Jan 2027",
    ]);
  });

  it.each([
    [2026, 49, "30 Nov – 6 Dec 2026"],
    [2025, 1, "30 Dec 2024 – 5 Jan 2025"],
    [2020, 53, "28 Dec 2020 – 3 Jan 2021"],
    [2026, 1, "29 Dec 2025 – 4 Jan 2026"],
    [2026, 10, "2–8 Mar 2026"],
  ])("periodLabel(%i, %i) = %s", (year, week, label) => {
    expect(periodLabel(year, week)).toBe(label);
  });

  it("does not throw on a malformed week key", () => {
    const view = buildDigest(input({ week: "2026-48" }));
    expect(view.title).toBe("Take it offline — 2026-48");
    expect(view.periodLabel).toBe("");
    expect(view.fallbackText.startsWith("Take it offline — 2026-48\nAcme\n")).toBe(true);
  });
});

describe("buildDigest: top contacts", () => {
  it("sorts by mentions, then name case-insensitively, then id, and only shows tracked contacts", () => {
    const view = buildDigest(
      input({
        weekContacts: [
          contact({ contactId: "c1", displayName: "bob", mentions: 5 }),
          contact({ contactId: "c2", displayName: "Alice", mentions: 5 }),
          contact({ contactId: "c3", displayName: "Zed", mentions: 9 }),
          contact({ contactId: "c4", displayName: "Cand", mentions: 50, status: "candidate" }),
          contact({ contactId: "c5", displayName: "Ign", mentions: 50, status: "ignored" }),
          contact({ contactId: "c6", displayName: "Quiet", mentions: 0 }),
          contact({ contactId: "c8", displayName: "Alice", mentions: 5 }),
          contact({ contactId: "c7", displayName: "Alice", mentions: 5 }),
        ],
      }),
    );
    expect(view.topContacts.map((c) => c.contactId)).toEqual(["c3", "c2", "c7", "c8", "c1"]);
    expect(view.moreTopContacts).toBe(0);
  });

  it("limits the list and counts the rest", () => {
    const weekContacts = Array.from({ length: 14 }, (_, i) =>
      contact({ contactId: `c${i}`, displayName: `Person ${String(i).padStart(2, "0")}`, mentions: 100 - i }),
    );
    const view = buildDigest(input({ weekContacts }));
    expect(view.topContacts).toHaveLength(10);
    expect(view.topContacts[0]?.contactId).toBe("c0");
    expect(view.topContacts[9]?.contactId).toBe("c9");
    expect(view.moreTopContacts).toBe(4);
    expect(view.fallbackText).toContain("…and 4 more");

    const short = buildDigest(input({ weekContacts, listLimit: 3 }));
    expect(short.topContacts.map((c) => c.contactId)).toEqual(["c0", "c1", "c2"]);
    expect(short.moreTopContacts).toBe(11);
  });

  it("carries mentions, teammates, trend and a last-met label", () => {
    const view = buildDigest(
      input({
        weekContacts: [
          contact({
            contactId: "jane",
            displayName: "Jane Doe",
            organization: "Globex",
            mentions: 12,
            previousWeekMentions: 5,
            teammates: 3,
            lastMetAt: daysAgo(21),
          }),
        ],
      }),
    );
    expect(view.topContacts[0]).toMatchObject({
      displayName: "Jane Doe",
      organization: "Globex",
      mentions: 12,
      teammates: 3,
      trend: "up",
      daysSinceMet: 21,
      lastMet: "3 weeks ago",
    });
    expect(view.fallbackText).toContain(
      "- Jane Doe (Globex) — 12 mentions from 3 teammates, up from 5; last met 3 weeks ago",
    );
  });

  it.each([
    [5, 0, "new"],
    [5, 2, "up"],
    [2, 5, "down"],
    [4, 4, "flat"],
    [0, 0, "flat"],
  ] as const)("trendOf(%i, previous %i) = %s", (mentions, previous, trend) => {
    expect(trendOf(mentions, previous)).toBe(trend);
  });

  it("labels trends in the text", () => {
    const view = buildDigest(
      input({
        weekContacts: [
          contact({ contactId: "a", displayName: "A", mentions: 4, previousWeekMentions: 4, teammates: 1 }),
          contact({ contactId: "b", displayName: "B", mentions: 3, previousWeekMentions: 7, teammates: 2 }),
          contact({ contactId: "c", displayName: "C", mentions: 1, previousWeekMentions: 0, teammates: 1 }),
        ],
      }),
    );
    expect(view.topContacts.map((c) => c.trend)).toEqual(["flat", "down", "new"]);
    expect(view.fallbackText).toContain(
      "- A — 4 mentions from 1 teammate, same as the week before; never met",
    );
    expect(view.fallbackText).toContain("- B — 3 mentions from 2 teammates, down from 7; never met");
    expect(view.fallbackText).toContain("- C — 1 mention from 1 teammate, new this week; never met");
  });
});

describe("last met", () => {
  it.each([
    [0, "today"],
    [1, "yesterday"],
    [2, "2 days ago"],
    [13, "13 days ago"],
    [14, "2 weeks ago"],
    [59, "8 weeks ago"],
    [60, "2 months ago"],
    [364, "12 months ago"],
    [365, "over a year ago"],
    [800, "over 2 years ago"],
  ])("lastMetLabel(%i) = %s", (days, label) => {
    expect(lastMetLabel(days)).toBe(label);
  });

  it("counts calendar days in the workspace zone, not 24-hour periods", () => {
    const now = new Date("2026-11-26T08:00:00Z"); // 09:00 in Berlin
    const lateYesterday = new Date("2026-11-25T22:30:00Z"); // 23:30 the day before in Berlin
    const weekContacts = [contact({ contactId: "x", mentions: 1, lastMetAt: lateYesterday })];
    const berlin = buildDigest(input({ now, timeZone: "Europe/Berlin", weekContacts }));
    expect(berlin.topContacts[0]?.lastMet).toBe("yesterday");
    const tokyo = buildDigest(input({ now, timeZone: "Asia/Tokyo", weekContacts }));
    expect(tokyo.topContacts[0]?.lastMet).toBe("today");
  });

  it("treats an unknown time zone as UTC", () => {
    const weekContacts = [contact({ contactId: "x", lastMetAt: daysAgo(2) })];
    expect(buildDigest(input({ timeZone: "Mars/Olympus", weekContacts })).topContacts[0]?.lastMet).toBe(
      "2 days ago",
    );
  });
});

describe("buildDigest: online-only", () => {
  it("lists discussed contacts never met or not met within coverageDays", () => {
    const view = buildDigest(
      input({
        weekContacts: [
          contact({ contactId: "never", displayName: "Never Met", mentions: 3 }),
          contact({ contactId: "old", displayName: "Long Ago", mentions: 5, lastMetAt: daysAgo(91) }),
          contact({ contactId: "edge", displayName: "Exactly Ninety", mentions: 4, lastMetAt: daysAgo(90) }),
          contact({ contactId: "recent", displayName: "Recent", mentions: 9, lastMetAt: daysAgo(10) }),
          contact({ contactId: "cand", displayName: "Candidate", mentions: 9, status: "candidate" }),
        ],
      }),
    );
    expect(view.onlineOnly.map((c) => c.contactId)).toEqual(["old", "never"]);
    expect(view.onlineOnly[0]?.lastMet).toBe("3 months ago");
    expect(view.fallbackText).toContain(
      [
        DIGEST_HEADINGS.onlineOnly,
        "- Long Ago — 5 mentions from 1 teammate, new this week; last met 3 months ago",
        "- Never Met — 3 mentions from 1 teammate, new this week; never met",
      ].join("\n"),
    );
    // The rest of the ranking, each contact once: nobody in both lists.
    expect(view.metRecently.map((c) => c.contactId)).toEqual(["recent", "edge"]);
    expect(view.fallbackText.match(/Long Ago/g)).toHaveLength(1);
  });

  it("follows the workspace's coverageDays", () => {
    const weekContacts = [contact({ contactId: "x", lastMetAt: daysAgo(40) })];
    expect(buildDigest(input({ weekContacts })).onlineOnly).toHaveLength(0);
    const strict = buildDigest(input({ weekContacts, settings: { digestTopN: 20, coverageDays: 30 } }));
    expect(strict.onlineOnly.map((c) => c.contactId)).toEqual(["x"]);
  });

  it("says so when everyone discussed was met recently", () => {
    const view = buildDigest(input({ weekContacts: [contact({ contactId: "x", lastMetAt: daysAgo(3) })] }));
    expect(view.onlineOnly).toEqual([]);
    expect(view.fallbackText).toContain("Nobody: everyone discussed was met in person in the last 90 days.");
  });
});

describe("coverage", () => {
  it("is the share of top contacts met within coverageDays", () => {
    const contacts = [
      covered({ contactId: "a", mentions: 10, lastMetAt: daysAgo(5) }),
      covered({ contactId: "b", mentions: 8, lastMetAt: daysAgo(89) }),
      covered({ contactId: "c", mentions: 6, lastMetAt: daysAgo(91) }),
      covered({ contactId: "d", mentions: 4 }),
      covered({ contactId: "e", mentions: 2, lastMetAt: daysAgo(1), status: "candidate" }),
      covered({ contactId: "f", mentions: 2, lastMetAt: daysAgo(1), status: "ignored" }),
    ];
    const coverage = computeCoverage(contacts, NOW, 20, 90);
    expect(coverage).toMatchObject({ met: 2, total: 4, ratio: 0.5, percentLabel: "50%", topN: 20, days: 90 });
    expect(coverage.summary).toBe("2 of the top 4 discussed contacts met in person in the last 90 days.");
  });

  it("only looks at the top N by mentions when there are more", () => {
    const contacts = [
      ...Array.from({ length: 20 }, (_, i) => covered({ contactId: `top${i}`, mentions: 100 + i })),
      // Met recently, but outside the top 20: must not raise coverage.
      ...Array.from({ length: 5 }, (_, i) =>
        covered({ contactId: `tail${i}`, mentions: 10, lastMetAt: daysAgo(1) }),
      ),
    ];
    contacts[3] = covered({ contactId: "top3", mentions: 103, lastMetAt: daysAgo(2) });
    const coverage = computeCoverage(contacts, NOW, 20, 90);
    expect(coverage).toMatchObject({ met: 1, total: 20, ratio: 0.05, percentLabel: "5%" });

    const view = buildDigest(
      input({ coverageContacts: contacts, settings: { digestTopN: 5, coverageDays: 90 } }),
    );
    expect(view.coverage).toMatchObject({ met: 0, total: 5, ratio: 0, percentLabel: "0%" });
  });

  it("has no ratio and a clear label when there is nothing to measure", () => {
    const view = buildDigest(input({ coverageContacts: [covered({ contactId: "c", status: "candidate" })] }));
    expect(view.coverage).toEqual({
      met: 0,
      total: 0,
      ratio: null,
      percentLabel: "n/a",
      summary: "No tracked contacts were discussed in the last 90 days, so there is nothing to measure yet.",
      topN: 20,
      days: 90,
    });
    expect(view.fallbackText).not.toMatch(/NaN|undefined|Infinity/);
  });

  it.each([
    [1, 3, "33%"],
    [2, 3, "67%"],
    [1, 300, "1%"],
    [999, 1000, "99%"],
    [3, 3, "100%"],
  ])("%i of %i met is %s (never rounds to 0%% or 100%% falsely)", (met, total, label) => {
    const contacts = Array.from({ length: total }, (_, i) =>
      covered({ contactId: `c${i}`, mentions: 1, lastMetAt: i < met ? daysAgo(1) : null }),
    );
    const coverage = computeCoverage(contacts, NOW, total, 90);
    expect(coverage.percentLabel).toBe(label);
    expect(coverage.ratio).toBeCloseTo(met / total, 10);
  });

  it("words a single contact naturally", () => {
    const met = computeCoverage([covered({ contactId: "a", lastMetAt: daysAgo(1) })], NOW, 20, 90);
    expect(met.summary).toBe("The one discussed contact was met in person in the last 90 days.");
    const notMet = computeCoverage([covered({ contactId: "a" })], NOW, 20, 30);
    expect(notMet.summary).toBe("The one discussed contact was not met in person in the last 30 days.");
  });

  it("appears in the text", () => {
    const view = buildDigest(
      input({
        weekContacts: [contact({ contactId: "a" })],
        coverageContacts: [covered({ contactId: "a", lastMetAt: daysAgo(1) }), covered({ contactId: "b" })],
      }),
    );
    expect(view.fallbackText).toContain(
      "Offline coverage\n50%\n1 of the top 2 discussed contacts met in person in the last 90 days.",
    );
    expect(view.fallbackText.split("\n")[2]).toContain("offline coverage is 50%");
  });
});

describe("buildDigest: lunches and meetings", () => {
  const lunches = {
    lunchesPlanned: [
      {
        contactName: "Bob Roe",
        organizerName: "Ana",
        attendeeNames: ["Sam", "Ana", "Lee", "Sam"],
        scheduledFor: new Date("2026-12-03T11:30:00Z"),
        place: "  Cafe Nord ",
      },
      { contactName: "Zoe", organizerName: "Sam", attendeeNames: [], scheduledFor: null, place: "   " },
      {
        contactName: "Jane Doe",
        organizerName: "Lee",
        attendeeNames: [],
        scheduledFor: new Date("2026-11-27T12:00:00Z"),
      },
    ],
    lunchesHeld: [
      {
        contactName: "Kim",
        organizerName: "Ana",
        attendeeNames: ["Lee"],
        scheduledFor: new Date("2026-11-24T12:00:00Z"),
      },
    ],
  };

  it("sorts lunches by time (unscheduled last) and labels them in the workspace zone", () => {
    const view = buildDigest(input({ ...lunches, timeZone: "Europe/Berlin" }));
    expect(view.lunchesPlanned.map((l) => l.contactName)).toEqual(["Jane Doe", "Bob Roe", "Zoe"]);
    expect(view.lunchesPlanned[1]).toMatchObject({
      organizerName: "Ana",
      attendeeNames: ["Sam", "Lee"],
      when: "Thu 3 Dec, 12:30 CET",
      place: "Cafe Nord",
    });
    expect(view.lunchesPlanned[2]).toMatchObject({ when: null, place: null });
    expect(view.lunchesHeld).toHaveLength(1);
    expect(view.fallbackText).toContain(
      [
        DIGEST_HEADINGS.lunchesPlanned,
        "- Lee with Jane Doe — Fri 27 Nov, 13:00 CET",
        "- Ana, Sam and Lee with Bob Roe — Thu 3 Dec, 12:30 CET at Cafe Nord",
        "- Sam with Zoe",
      ].join("\n"),
    );
    expect(view.fallbackText).toContain(
      `${DIGEST_HEADINGS.lunchesHeld}\n- Ana and Lee with Kim — Tue 24 Nov, 13:00 CET`,
    );
    expect(view.isEmpty).toBe(false);
  });

  it("groups who took it offline by member", () => {
    const view = buildDigest(
      input({
        meetings: [
          { memberName: "Sam", contactNames: ["Kim"] },
          { memberName: "Ana", contactNames: ["Jane Doe"] },
          { memberName: "Ana", contactNames: ["bob Roe", "Jane Doe"] },
          { memberName: "Nobody", contactNames: [] },
        ],
      }),
    );
    expect(view.tookItOffline).toEqual([
      { memberName: "Ana", contactNames: ["bob Roe", "Jane Doe"] },
      { memberName: "Sam", contactNames: ["Kim"] },
    ]);
    expect(view.fallbackText).toContain(
      `${DIGEST_HEADINGS.tookItOffline}\n- Ana met bob Roe and Jane Doe\n- Sam met Kim`,
    );
    expect(view.isEmpty).toBe(false);
  });
});

describe("buildDigest: empty week", () => {
  it("is empty and still renders a complete message", () => {
    const view = buildDigest(
      input({
        weekContacts: [contact({ contactId: "cand", status: "candidate", mentions: 7 })],
      }),
    );
    expect(view.isEmpty).toBe(true);
    expect(view.topContacts).toEqual([]);
    expect(view.onlineOnly).toEqual([]);
    expect(view.fallbackText).toBe(
      [
        "Take it offline — week 48",
        "Acme · This week so far, 23–29 Nov 2026",
        "A quiet week: no tracked contacts were discussed, and no lunches were planned or held.",
        "",
        "Offline coverage",
        "n/a",
        "No tracked contacts were discussed in the last 90 days, so there is nothing to measure yet.",
        "Take It Offline counts who mentioned which external people, never message text. Type /offline help for commands.",
      ].join("\n"),
    );
  });
});

describe("buildDigest: full text", () => {
  it("renders every section in order", () => {
    const view = buildDigest(
      input({
        weekContacts: [contact({ contactId: "a", displayName: "Jane", mentions: 3 })],
        coverageContacts: [covered({ contactId: "a" })],
        lunchesPlanned: [
          { contactName: "Jane", organizerName: "Ana", attendeeNames: [], scheduledFor: null },
        ],
        lunchesHeld: [{ contactName: "Kim", organizerName: "Sam", attendeeNames: [], scheduledFor: null }],
        meetings: [
          { memberName: "Sam", contactNames: ["Kim"] },
          { memberName: "Ana", contactNames: ["Zed"] },
        ],
      }),
    );
    const headings = [
      DIGEST_HEADINGS.onlineOnly,
      DIGEST_HEADINGS.lunchesPlanned,
      DIGEST_HEADINGS.lunchesHeld,
      DIGEST_HEADINGS.tookItOffline,
      DIGEST_HEADINGS.coverage,
    ];
    const positions = headings.map((h) => view.fallbackText.indexOf(`\n${h}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Plain text: no Slack mrkdwn emphasis from the template itself.
    expect(view.fallbackText).not.toMatch(/[*_~`]/);
  });
});

describe("buildDigest: one thing once, and what is past is not planned", () => {
  it("shows a held lunch once: its meetings are not repeated under took it offline", () => {
    const view = buildDigest(
      input({
        lunchesHeld: [
          {
            contactName: "Kim",
            organizerName: "Sam",
            attendeeNames: ["Ana", "Lee"],
            scheduledFor: daysAgo(2),
          },
        ],
        meetings: [
          { memberName: "Sam", contactNames: ["Kim"] },
          { memberName: "Ana", contactNames: ["Kim", "Zed"] },
          { memberName: "Lee", contactNames: ["Kim"] },
        ],
      }),
    );
    expect(view.tookItOffline).toEqual([{ memberName: "Ana", contactNames: ["Zed"] }]);
    expect(view.fallbackText.match(/with Kim/g)).toHaveLength(2); // the lead and the held lunch
    expect(view.fallbackText).not.toMatch(/met Kim/);
  });

  it("does not call a lunch planned once its time has passed by the digest's end", () => {
    const view = buildDigest(
      input({
        lunchesPlanned: [
          { contactName: "Past", organizerName: "Ana", attendeeNames: [], scheduledFor: daysAgo(1) },
          { contactName: "Ahead", organizerName: "Ana", attendeeNames: [], scheduledFor: daysAgo(-1) },
          { contactName: "Undated", organizerName: "Ana", attendeeNames: [], scheduledFor: null },
        ],
      }),
    );
    expect(view.lunchesPlanned.map((l) => l.contactName)).toEqual(["Ahead", "Undated"]);
    expect(view.fallbackText).not.toContain("Past");
  });

  it("names the zone of every time it shows", () => {
    const at = new Date("2026-12-03T12:30:00Z");
    const lunch = { contactName: "K", organizerName: "A", attendeeNames: [], scheduledFor: at };
    const shown = (timeZone: string) =>
      buildDigest(input({ timeZone, now: daysAgo(30, at), lunchesPlanned: [lunch] })).lunchesPlanned[0]?.when;
    expect(shown("Europe/Lisbon")).toBe("Thu 3 Dec, 12:30 WET");
    expect(shown("America/Los_Angeles")).toBe("Thu 3 Dec, 04:30 PST");
    expect(shown("Asia/Kolkata")).toBe("Thu 3 Dec, 18:00 GMT+5:30");
  });
});

describe("buildDigest: the lead sentence", () => {
  const base = {
    weekContacts: [contact({ contactId: "a", displayName: "Jane" })],
    coverageContacts: [
      covered({ contactId: "a", lastMetAt: daysAgo(2) }),
      covered({ contactId: "b" }),
      covered({ contactId: "c" }),
      covered({ contactId: "d" }),
    ],
  };
  const lead = (overrides: Partial<DigestInput>) =>
    buildDigest(input({ ...base, ...overrides })).fallbackText.split("\n")[2];

  it("says who met whom and how coverage moved since the week before", () => {
    expect(
      lead({
        meetings: [{ memberName: "Ana", contactNames: ["Jane"] }],
        // The week before, Jane's meeting (2 days ago) hadn't happened yet: 0 of 4.
        previousCoverageContacts: base.coverageContacts,
      }),
    ).toBe("Ana met Jane; offline coverage is 25%, up from 0%.");
    expect(
      lead({
        previousCoverageContacts: base.coverageContacts.map((c) => ({ ...c, lastMetAt: daysAgo(10) })),
      }),
    ).toBe("Nobody met a discussed contact in person; offline coverage is 25%, down from 100%.");
    expect(lead({})).toBe("Nobody met a discussed contact in person; offline coverage is 25%.");
  });

  it("counts instead of naming when many met", () => {
    const meetings = ["Ana", "Bo", "Cy"].map((m, i) => ({ memberName: m, contactNames: [`C${i}`] }));
    expect(lead({ meetings })).toBe("3 teammates met 3 contacts in person; offline coverage is 25%.");
  });
});
