-- Slack username of a member: their own @handle and profile links are never contacts.
ALTER TABLE "Member" ADD COLUMN "handle" TEXT NOT NULL DEFAULT '';
