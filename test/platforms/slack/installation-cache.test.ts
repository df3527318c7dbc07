import { randomBytes } from "node:crypto";
import type { Installation } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { Installations } from "../../../src/app/installations.ts";
import {
  INSTALLATION_TTL_MS,
  SlackInstallationStore,
} from "../../../src/platforms/slack/installation-store.ts";
import { TokenCipher } from "../../../src/store/crypto.ts";
import { MemoryStore } from "../../../src/store/memory/index.ts";

// A replica reads (and unseals) a workspace's installation once per INSTALLATION_TTL_MS, not once
// per event and per message sent; installing or uninstalling through it shows at once. Reads are
// counted at the store port, under the real Installations and cipher.

const READS = ["getInstallation", "findTeamInstallation", "findEnterpriseInstallation"] as const;

function setup() {
  const store = new MemoryStore();
  const reads: string[] = [];
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (!(READS as readonly unknown[]).includes(prop))
        return (value as (...a: unknown[]) => unknown).bind(target);
      return (id: string) => {
        reads.push(`${String(prop)}:${id}`);
        return (value as (id: string) => unknown).call(target, id);
      };
    },
  });
  let now = Date.parse("2026-12-06T12:00:00Z");
  const installs = new SlackInstallationStore(
    new Installations(counted, new TokenCipher(randomBytes(32))),
    () => now,
  );
  const installation = (team: string, token: string): Installation =>
    ({
      team: { id: team, name: team },
      enterprise: undefined,
      user: { id: "UINSTALLER", token: undefined, scopes: undefined },
      bot: { token, userId: "UBOT", id: "BBOT", scopes: ["chat:write"] },
      isEnterpriseInstall: false,
    }) as Installation;
  return {
    store,
    installs,
    reads,
    installation,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const byTeam = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

describe("SlackInstallationStore's per-replica cache", () => {
  it("reads a team's installation once for many events and sends, and again after the TTL", async () => {
    const s = setup();
    const ws = await s.installs.save(s.installation("T1", "xoxb-one"));
    for (let i = 0; i < 5; i++) {
      expect((await s.installs.fetchInstallation(byTeam("T1"))).bot?.token).toBe("xoxb-one");
      expect((await s.installs.forWorkspace(ws.id))?.bot?.token).toBe("xoxb-one");
    }
    expect(s.reads).toEqual(["findTeamInstallation:T1", `getInstallation:${ws.id}`]);

    s.advance(INSTALLATION_TTL_MS + 1);
    await s.installs.fetchInstallation(byTeam("T1"));
    await s.installs.forWorkspace(ws.id);
    expect(s.reads).toHaveLength(4);
  });

  it("keeps workspaces apart", async () => {
    const s = setup();
    const one = await s.installs.save(s.installation("T1", "xoxb-one"));
    const two = await s.installs.save(s.installation("T2", "xoxb-two"));
    expect((await s.installs.forWorkspace(one.id))?.bot?.token).toBe("xoxb-one");
    expect((await s.installs.forWorkspace(two.id))?.bot?.token).toBe("xoxb-two");
    expect((await s.installs.fetchInstallation(byTeam("T2"))).bot?.token).toBe("xoxb-two");
    expect((await s.installs.fetchInstallation(byTeam("T1"))).bot?.token).toBe("xoxb-one");
  });

  it("a reinstall's new token is used at once on this replica", async () => {
    const s = setup();
    const ws = await s.installs.save(s.installation("T1", "xoxb-old"));
    expect((await s.installs.forWorkspace(ws.id))?.bot?.token).toBe("xoxb-old");
    await s.installs.save(s.installation("T1", "xoxb-new"));
    expect((await s.installs.forWorkspace(ws.id))?.bot?.token).toBe("xoxb-new");
    expect((await s.installs.fetchInstallation(byTeam("T1"))).bot?.token).toBe("xoxb-new");
  });

  it("an uninstall is seen at once, and a missing installation is never remembered", async () => {
    const s = setup();
    await expect(s.installs.fetchInstallation(byTeam("T1"))).rejects.toThrow(/No Slack installation/);
    const ws = await s.installs.save(s.installation("T1", "xoxb-one"));
    // Not cached as missing: the install is found by the next event.
    expect((await s.installs.fetchInstallation(byTeam("T1"))).bot?.token).toBe("xoxb-one");

    await s.installs.deleteInstallation(byTeam("T1"));
    await expect(s.installs.fetchInstallation(byTeam("T1"))).rejects.toThrow(/No Slack installation/);
    expect(await s.installs.forWorkspace(ws.id)).toBeNull();

    // An uninstall through the app's use case (app_uninstalled) goes around this store: forget().
    const again = await s.installs.save(s.installation("T1", "xoxb-two"));
    expect((await s.installs.forWorkspace(again.id))?.bot?.token).toBe("xoxb-two");
    await s.store.deleteInstallation(again.id);
    expect((await s.installs.forWorkspace(again.id))?.bot?.token).toBe("xoxb-two");
    s.installs.forget();
    expect(await s.installs.forWorkspace(again.id)).toBeNull();
  });
});
