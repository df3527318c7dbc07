import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { z } from "zod";
import type { Installations, OpenedInstallation } from "../../app/installations.ts";
import { BoundedMap } from "../../core/bounded-map.ts";
import type { Workspace } from "../../core/types.ts";

// Bolt's InstallationStore over the app's installations (app/installations.ts). The whole
// installation object (bot token, refresh token, scopes…) is stored sealed (AES-256-GCM); only the
// lookup keys (team, enterprise, bot user) are in clear. Installing creates or revives the Workspace.
//
// Every event Bolt authorizes and every message we send needs the workspace's installation: read
// and unsealed each time, that was a query and a decryption per event and per prompt. A replica
// keeps what it read for INSTALLATION_TTL_MS. Installing or uninstalling through this replica
// forgets it at once; another replica may use the old installation for at most that long (after an
// uninstall Slack refuses its token, and events for a removed workspace find no workspace row).

/** How long a replica reuses an installation it has read. */
export const INSTALLATION_TTL_MS = 30_000;
/** Installations kept per replica: the busiest workspaces'. */
const MAX_CACHED = 2_000;

/** The fields we rely on when reading an installation back; the rest is passed through to Bolt. */
const storedInstallationSchema = z
  .object({
    team: z.object({ id: z.string(), name: z.string().optional() }).loose().nullish(),
    enterprise: z.object({ id: z.string(), name: z.string().optional() }).loose().nullish(),
    bot: z
      .object({
        token: z.string(),
        userId: z.string(),
        id: z.string().optional(),
        scopes: z.array(z.string()),
      })
      .loose()
      .optional(),
    user: z.object({ id: z.string() }).loose(),
    isEnterpriseInstall: z.boolean().optional(),
  })
  .loose();

/** Which Workspace row an installation belongs to: the org for org-wide installs, else the team. */
export function externalIdOf(i: {
  isEnterpriseInstall?: boolean | undefined;
  team?: { id: string } | null | undefined;
  enterprise?: { id: string } | null | undefined;
}): string | null {
  return (i.isEnterpriseInstall ? i.enterprise?.id : i.team?.id) ?? i.team?.id ?? i.enterprise?.id ?? null;
}

export class SlackInstallationStore implements InstallationStore {
  /** Opened installations by lookup ("team:T…", "org:E…", "ws:<id>"); only found ones are kept. */
  private readonly cache = new BoundedMap<string, { installation: Installation; until: number }>(MAX_CACHED);

  constructor(
    private readonly installations: Installations,
    private readonly now: () => number = Date.now,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    await this.save(installation);
  }

  /** Drops every installation this replica has cached (after an install or an uninstall). */
  forget(): void {
    this.cache.clear();
  }

  /** Stores the installation and returns its workspace (used by the OAuth success callback). */
  async save(installation: Installation): Promise<Workspace> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const externalId = externalIdOf(installation);
    if (!externalId) throw new Error("The installation has neither a team nor an enterprise id");
    const name = (isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? "";
    const ws = await this.installations.save({
      platform: "slack",
      externalId,
      name,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      isEnterpriseInstall,
      botUserId: installation.bot?.userId ?? null,
      data: JSON.stringify(installation),
    });
    // After the write: a read racing with it can't keep the old installation here.
    this.forget();
    return ws;
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = `${query.isEnterpriseInstall ? "org" : "team"}:${query.teamId ?? "-"}:${query.enterpriseId ?? "-"}`;
    const installation = await this.cached(key, () => this.find(query));
    if (!installation)
      throw new Error(
        `No Slack installation for team ${query.teamId ?? "-"} / enterprise ${query.enterpriseId ?? "-"}`,
      );
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.installations.delete(row.workspaceId);
    this.forget();
  }

  async forWorkspace(workspaceId: string): Promise<Installation | null> {
    return this.cached(`ws:${workspaceId}`, () => this.installations.forWorkspace(workspaceId));
  }

  /** The installation under `key`, read (and unsealed) only when this replica has none fresh. */
  private async cached(
    key: string,
    read: () => Promise<OpenedInstallation | null>,
  ): Promise<Installation | null> {
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.installation;
    const row = await read();
    if (!row) {
      this.cache.delete(key);
      return null;
    }
    const installation = this.decode(row.data());
    this.cache.set(key, { installation, until: this.now() + INSTALLATION_TTL_MS });
    return installation;
  }

  private async find(query: InstallationQuery<boolean>): Promise<OpenedInstallation | null> {
    const { enterpriseId } = query;
    const orgWide = enterpriseId ? () => this.installations.ofEnterprise(enterpriseId) : async () => null;
    if (query.isEnterpriseInstall) return orgWide();
    if (query.teamId) {
      const row = await this.installations.ofTeam(query.teamId);
      // A workspace inside an org where the app was installed org-wide has no install of its own.
      if (row) return row;
    }
    return orgWide();
  }

  private decode(data: string): Installation {
    const parsed = storedInstallationSchema.safeParse(JSON.parse(data));
    if (!parsed.success) throw new Error("Stored Slack installation is malformed");
    return parsed.data as unknown as Installation;
  }
}
