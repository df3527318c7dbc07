-- The dashboard's coverage of completed weeks, cached; Workspace.coverageEpoch invalidates it.
-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN "coverageEpoch" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CoverageWeek" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "until" DATETIME NOT NULL,
    "topN" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "met" INTEGER,
    "total" INTEGER,
    CONSTRAINT "CoverageWeek_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CoverageWeek_workspaceId_until_since_topN_key" ON "CoverageWeek"("workspaceId", "until", "since", "topN");
