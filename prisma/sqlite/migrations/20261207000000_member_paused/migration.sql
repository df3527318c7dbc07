-- Member.snoozeUntil meant "prompts paused until", with year 9999 standing for "until resumed".
-- It becomes paused + pausedUntil: a pause without an end is paused with no date, not a sentinel.
ALTER TABLE "Member" RENAME COLUMN "snoozeUntil" TO "pausedUntil";
ALTER TABLE "Member" ADD COLUMN "paused" BOOLEAN NOT NULL DEFAULT false;
UPDATE "Member" SET "paused" = true WHERE "pausedUntil" IS NOT NULL;
-- Dates are ISO-8601 text (the adapter's default), or epoch milliseconds if written that way.
-- substr() makes it a text comparison: the column's NUMERIC affinity would turn '9999' into a number.
UPDATE "Member" SET "pausedUntil" = NULL
WHERE (typeof("pausedUntil") = 'text' AND substr("pausedUntil", 1, 4) >= '9999')
   OR (typeof("pausedUntil") IN ('integer', 'real') AND "pausedUntil" >= 253370764800000);
