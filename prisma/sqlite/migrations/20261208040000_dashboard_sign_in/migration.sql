-- The dashboard's sign-in: Microsoft names a person by their Entra object id; the demo's one-time links.
-- AlterTable
ALTER TABLE "Member" ADD COLUMN "aadObjectId" TEXT;

-- CreateTable
CREATE TABLE "SignInToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SignInToken_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SignInToken_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SignInToken_tokenHash_key" ON "SignInToken"("tokenHash");

-- CreateIndex
CREATE INDEX "SignInToken_workspaceId_idx" ON "SignInToken"("workspaceId");

-- CreateIndex
CREATE INDEX "Member_workspaceId_aadObjectId_idx" ON "Member"("workspaceId", "aadObjectId");
