-- Member.snoozeUntil meant "prompts paused until", with year 9999 standing for "until resumed".
-- It becomes paused + pausedUntil: a pause without an end is paused with no date, not a sentinel.
ALTER TABLE "Member" RENAME COLUMN "snoozeUntil" TO "pausedUntil";
ALTER TABLE "Member" ADD COLUMN "paused" BOOLEAN NOT NULL DEFAULT false;
UPDATE "Member" SET "paused" = true WHERE "pausedUntil" IS NOT NULL;
UPDATE "Member" SET "pausedUntil" = NULL WHERE "pausedUntil" >= TIMESTAMP '9999-01-01 00:00:00';
