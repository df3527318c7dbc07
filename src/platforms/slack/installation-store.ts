import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { z } from "zod";
import type { Installations, OpenedInstallation } from "../../app/installations.ts";
import type { Workspace } from "../../core/types.ts";

// Bolt's InstallationStore over the app's installations (app/installations.ts). The whole
// installation object (bot token, refresh token, scopes…) is stored sealed (AES-256-GCM); only the
// lookup keys (team, enterprise, bot user) are in clear. Installing creates or revives the Workspace.

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
  constructor(private readonly installations: Installations) {}

  async storeInstallation(installation: Installation): Promise<void> {
    await this.save(installation);
  }

  /** Stores the installation and returns its workspace (used by the OAuth success callback). */
  async save(installation: Installation): Promise<Workspace> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const externalId = externalIdOf(installation);
    if (!externalId) throw new Error("The installation has neither a team nor an enterprise id");
    const name = (isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? "";
    return this.installations.save({
      platform: "slack",
      externalId,
      name,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      isEnterpriseInstall,
      botUserId: installation.bot?.userId ?? null,
      data: JSON.stringify(installation),
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const row = await this.find(query);
    if (!row)
      throw new Error(
        `No Slack installation for team ${query.teamId ?? "-"} / enterprise ${query.enterpriseId ?? "-"}`,
      );
    return this.decode(row.data());
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.installations.delete(row.workspaceId);
  }

  async forWorkspace(workspaceId: string): Promise<Installation | null> {
    const row = await this.installations.forWorkspace(workspaceId);
    return row ? this.decode(row.data()) : null;
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
