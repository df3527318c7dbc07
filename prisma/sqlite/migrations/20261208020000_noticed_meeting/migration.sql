-- Meetings noticed in a member's calendar or mentioned in chat: one row per (member, contact, day).
CREATE TABLE "NoticedMeeting" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "meetingId" TEXT,
    "toldAt" DATETIME,
    "messageRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NoticedMeeting_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NoticedMeeting_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NoticedMeeting_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "NoticedMeeting_workspaceId_memberId_contactId_day_key" ON "NoticedMeeting"("workspaceId", "memberId", "contactId", "day");
CREATE INDEX "NoticedMeeting_workspaceId_memberId_status_idx" ON "NoticedMeeting"("workspaceId", "memberId", "status");
CREATE INDEX "NoticedMeeting_contactId_idx" ON "NoticedMeeting"("contactId");
