-- A member's connected calendar: OAuth tokens sealed (AES-256-GCM), one per member.
CREATE TABLE "CalendarGrant" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "accountEmail" TEXT,
    "dataEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CalendarGrant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CalendarGrant_memberId_key" ON "CalendarGrant"("memberId");
CREATE INDEX "CalendarGrant_workspaceId_idx" ON "CalendarGrant"("workspaceId");
ALTER TABLE "CalendarGrant" ADD CONSTRAINT "CalendarGrant_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CalendarGrant" ADD CONSTRAINT "CalendarGrant_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
