import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppStore } from "../../src/core/ports.ts";
import type { Contact, Workspace } from "../../src/core/types.ts";
import { type ContractStore, openContractStore, STORE_KINDS } from "../helpers/store-kinds.ts";

// DigestStore.coverageSeries on every store: per window, the top N tracked contacts by mentions in
// [since, until) (ties by id, as the digest ranks them) and how many of those have a meeting in
// that window. Windows overlap, share edges, and one is empty; another workspace's rows and
// candidates never count; the one-time sign-in tokens are used once.

const day = (d: string) => new Date(`${d}T12:00:00Z`);
const at = (d: string) => new Date(`${d}T00:00:00Z`);

describe.each(STORE_KINDS)("coverageSeries on %s", (kind) => {
  let t: ContractStore;
  let s: AppStore;
  let ws: Workspace;
  let c: Record<string, Contact>;
  beforeAll(async () => {
    t = await openContractStore(kind);
    s = t.store;
    ws = await s.upsertWorkspace({ platform: "slack", externalId: "T1", name: "One" });
    const other = await s.upsertWorkspace({ platform: "slack", externalId: "T2", name: "Two" });
    const m = await s.upsertMember(ws.id, { platformUserId: "U1", displayName: "Uma" });
    const om = await s.upsertMember(other.id, { platformUserId: "U1", displayName: "Olga" });
    c = {};
    for (const [name, status] of [
      ["a", "tracked"],
      ["b", "tracked"],
      ["c", "tracked"],
      ["cand", "candidate"],
    ] as const)
      c[name] = await s.createContact(ws.id, { displayName: name, status }, [
        { kind: "name", normalized: name, display: name },
      ]);
    const theirs = await s.createContact(other.id, { displayName: "x", status: "tracked" }, []);
    let n = 0;
    const mention = (contact: Contact, when: string, times = 1, wsId = ws.id, memberId = m.id) =>
      Promise.all(
        Array.from({ length: times }, () =>
          s.replaceMentions(wsId, `m${++n}`, { memberId, channelId: "C", at: day(when), source: "message" }, [
            contact.id,
          ]),
        ),
      );
    await mention(c.a as Contact, "2026-01-05", 3);
    await mention(c.b as Contact, "2026-01-06", 2);
    await mention(c.c as Contact, "2026-01-12", 2);
    await mention(c.cand as Contact, "2026-01-06", 9);
    await mention(theirs, "2026-01-06", 9, other.id, om.id);
    await s.recordMeeting(ws.id, {
      contactId: (c.b as Contact).id,
      memberId: m.id,
      metAt: day("2026-01-08"),
      source: "command",
    });
    await s.recordMeeting(ws.id, {
      contactId: (c.c as Contact).id,
      memberId: m.id,
      metAt: day("2025-12-01"),
      source: "command",
    });
    await s.recordMeeting(other.id, {
      contactId: theirs.id,
      memberId: om.id,
      metAt: day("2026-01-07"),
      source: "command",
    });
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it("counts the top N and the met among them, per window", async () => {
    const series = await s.coverageSeries(
      ws.id,
      [
        { since: at("2026-01-01"), until: at("2026-01-08") }, // a(3), b(2); b met on the 8th: after
        { since: at("2026-01-01"), until: at("2026-01-15") }, // a(3), b(2), c(2); b met
        { since: at("2026-01-07"), until: at("2026-01-15") }, // c(2); its meeting was in December
        { since: at("2026-02-01"), until: at("2026-02-08") }, // nothing
        { since: at("2025-11-01"), until: at("2026-01-15") }, // c met in the window now
      ],
      20,
    );
    expect(series).toEqual([
      { met: 0, total: 2 },
      { met: 1, total: 3 },
      { met: 0, total: 1 },
      { met: 0, total: 0 },
      { met: 2, total: 3 },
    ]);
  });

  it("keeps only the top N, ties broken as the digest breaks them (by id)", async () => {
    const [top1, top2] = await s.coverageSeries(
      ws.id,
      [
        { since: at("2026-01-01"), until: at("2026-01-15") },
        { since: at("2026-01-01"), until: at("2026-01-15") },
      ],
      1,
    );
    expect(top1).toEqual({ met: 0, total: 1 }); // a, never met
    expect(top2).toEqual(top1);
    const two = await s.coverageSeries(ws.id, [{ since: at("2026-01-01"), until: at("2026-01-15") }], 2);
    // a(3), then b and c tie at 2: the smaller id wins.
    const second = [(c.b as Contact).id, (c.c as Contact).id].sort()[0];
    expect(two[0]).toEqual({ met: second === (c.b as Contact).id ? 1 : 0, total: 2 });
    expect(await s.coverageSeries(ws.id, [], 20)).toEqual([]);
  });

  it("uses a sign-in token once, and never after it expires", async () => {
    const m = await s.getMember(ws.id, "U1");
    if (!m) throw new Error("no member");
    await s.createSignInToken(ws.id, m.id, "h1", at("2026-01-02"));
    expect(await s.consumeSignInToken("h1", at("2026-01-03"))).toBeNull();
    await s.createSignInToken(ws.id, m.id, "h2", at("2026-01-02"));
    expect(await s.consumeSignInToken("h2", at("2026-01-01"))).toEqual({
      workspaceId: ws.id,
      memberId: m.id,
    });
    expect(await s.consumeSignInToken("h2", at("2026-01-01"))).toBeNull();
    expect(await s.consumeSignInToken("nope", at("2026-01-01"))).toBeNull();
  });

  it("finds a Teams member by Entra object id, in that workspace only", async () => {
    const teams = await s.upsertWorkspace({ platform: "teams", externalId: "tid", name: "T" });
    const dana = await s.upsertMember(teams.id, {
      platformUserId: "29:dana",
      displayName: "Dana",
      aadObjectId: "oid-1",
    });
    expect((await s.findMemberByAadObjectId(teams.id, "oid-1"))?.id).toBe(dana.id);
    expect(await s.findMemberByAadObjectId(ws.id, "oid-1")).toBeNull();
    expect(await s.findMemberByAadObjectId(teams.id, "oid-2")).toBeNull();
  });
});

describe.each(STORE_KINDS)("coverageSeries on %s, against a plain count", (kind) => {
  it("gives the numbers counted by hand on random data (its pruning skips no one of a top N)", async () => {
    const t = await openContractStore(kind);
    try {
      const s = t.store;
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const ws = await s.upsertWorkspace({ platform: "slack", externalId: "T1", name: "One" });
      const m = await s.upsertMember(ws.id, { platformUserId: "U1", displayName: "Uma" });
      const start = at("2026-01-01").getTime();
      const rows: Array<{ id: string; tracked: boolean; dates: Date[]; metAt: Date | null }> = [];
      for (let i = 0; i < 60; i++) {
        // Heavy-tailed: a few contacts get most mentions, bunched in time.
        const mentions = Math.floor(40 * rand() ** 3);
        const center = rand() * 120;
        const dates = Array.from(
          { length: mentions },
          () => new Date(start + Math.max(0, center + (rand() - 0.5) * 40) * 86_400_000),
        );
        const metAt = rand() < 0.3 ? new Date(start + rand() * 120 * 86_400_000) : null;
        const tracked = rand() < 0.9;
        const c = await s.createContact(
          ws.id,
          { displayName: `c${i}`, status: tracked ? "tracked" : "candidate" },
          [],
        );
        await s.replaceMentionsBatch(
          ws.id,
          dates.map((d, j) => ({
            messageId: `c${i}:${j}`,
            base: { memberId: m.id, channelId: "C", at: d, source: "message" as const },
            contactIds: [c.id],
          })),
        );
        if (metAt)
          await s.recordMeeting(ws.id, { contactId: c.id, memberId: m.id, metAt, source: "command" });
        rows.push({ id: c.id, tracked, dates, metAt });
      }
      const windows = Array.from({ length: 12 }, (_, k) => {
        const until = new Date(start + (30 + k * 7) * 86_400_000);
        return { since: new Date(until.getTime() - 30 * 86_400_000), until };
      });
      for (const topN of [1, 3, 5, 20]) {
        const expected = windows.map((w) => {
          const inWindow = (d: Date) => d >= w.since && d < w.until;
          const top = rows
            .filter((r) => r.tracked)
            .map((r) => ({ ...r, n: r.dates.filter(inWindow).length }))
            .filter((r) => r.n > 0)
            .sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .slice(0, topN);
          return { met: top.filter((r) => r.metAt && inWindow(r.metAt)).length, total: top.length };
        });
        expect(await s.coverageSeries(ws.id, windows, topN), `top ${topN}`).toEqual(expected);
      }
    } finally {
      await t.cleanup();
    }
  }, 120_000);
});
