// OAuth installations (Slack's, today): stored sealed (the platform's whole installation object,
// encrypted by the Sealer, AES-256-GCM in production) with only the lookup keys in clear.
// Saving an installation creates or revives its workspace.
import type { InstallationRecord, InstallationRecordStore, WorkspaceStore } from "../core/ports.ts";
import type { Platform, Workspace } from "../core/types.ts";

/** Encrypts what is stored at rest (store/crypto.ts's TokenCipher fits). */
export interface Sealer {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export interface InstallationInput {
  platform: Platform;
  /** The workspace row's external id (the org for org-wide installs, else the team). */
  externalId: string;
  name: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botUserId: string | null;
  /** The platform's installation object, serialized; sealed before it is stored. */
  data: string;
}

export interface OpenedInstallation {
  workspaceId: string;
  /** The installation object as it was saved (unsealed on demand: finding one doesn't need it). */
  data(): string;
}

export class Installations {
  constructor(
    private readonly store: WorkspaceStore & InstallationRecordStore,
    private readonly sealer: Sealer,
  ) {}

  async save(input: InstallationInput): Promise<Workspace> {
    const ws = await this.store.upsertWorkspace({
      platform: input.platform,
      externalId: input.externalId,
      name: input.name,
    });
    await this.store.saveInstallation(ws.id, {
      teamId: input.teamId,
      enterpriseId: input.enterpriseId,
      isEnterpriseInstall: input.isEnterpriseInstall,
      botUserId: input.botUserId,
      dataEnc: this.sealer.encrypt(input.data),
    });
    return ws;
  }

  async forWorkspace(workspaceId: string): Promise<OpenedInstallation | null> {
    return this.open(await this.store.getInstallation(workspaceId));
  }

  /** The most recently updated installation of one team (not org-wide). */
  async ofTeam(teamId: string): Promise<OpenedInstallation | null> {
    return this.open(await this.store.findTeamInstallation(teamId));
  }

  /** The most recently updated org-wide installation of an enterprise. */
  async ofEnterprise(enterpriseId: string): Promise<OpenedInstallation | null> {
    return this.open(await this.store.findEnterpriseInstallation(enterpriseId));
  }

  async delete(workspaceId: string): Promise<void> {
    await this.store.deleteInstallation(workspaceId);
  }

  private open(row: InstallationRecord | null): OpenedInstallation | null {
    return row ? { workspaceId: row.workspaceId, data: () => this.sealer.decrypt(row.dataEnc) } : null;
  }
}
