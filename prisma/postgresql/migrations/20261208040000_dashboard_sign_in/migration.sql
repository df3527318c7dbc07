-- The dashboard's sign-in: Microsoft names a person by their Entra object id; the demo's one-time links.
-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "aadObjectId" TEXT;

-- CreateTable
CREATE TABLE "SignInToken" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SignInToken_tokenHash_key" ON "SignInToken"("tokenHash");

-- CreateIndex
CREATE INDEX "SignInToken_workspaceId_idx" ON "SignInToken"("workspaceId");

-- CreateIndex
CREATE INDEX "Member_workspaceId_aadObjectId_idx" ON "Member"("workspaceId", "aadObjectId");

-- AddForeignKey
ALTER TABLE "SignInToken" ADD CONSTRAINT "SignInToken_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInToken" ADD CONSTRAINT "SignInToken_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

