import type { InstallationData, InstallationRecord, InstallationRecordStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";

const RECORD = {
  workspaceId: true,
  teamId: true,
  enterpriseId: true,
  isEnterpriseInstall: true,
  botUserId: true,
  dataEnc: true,
  updatedAt: true,
} as const;

/** OAuth installations on Prisma (sealed by the caller; see store/crypto.ts). */
export class PrismaInstallationStore implements InstallationRecordStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async saveInstallation(workspaceId: string, data: InstallationData): Promise<void> {
    await this.db.installation.upsert({
      where: { workspaceId },
      create: { workspaceId, ...data },
      update: data,
    });
  }

  async getInstallation(workspaceId: string): Promise<InstallationRecord | null> {
    return this.db.installation.findUnique({ where: { workspaceId }, select: RECORD });
  }

  async findTeamInstallation(teamId: string): Promise<InstallationRecord | null> {
    return this.db.installation.findFirst({
      where: { teamId, isEnterpriseInstall: false },
      orderBy: { updatedAt: "desc" },
      select: RECORD,
    });
  }

  async findEnterpriseInstallation(enterpriseId: string): Promise<InstallationRecord | null> {
    return this.db.installation.findFirst({
      where: { enterpriseId, isEnterpriseInstall: true },
      orderBy: { updatedAt: "desc" },
      select: RECORD,
    });
  }

  async deleteInstallation(workspaceId: string): Promise<void> {
    await this.db.installation.deleteMany({ where: { workspaceId } });
  }
}
