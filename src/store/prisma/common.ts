// Small helpers the Prisma repositories share.

/** A unique constraint refused a row: Prisma's P2002, or SQLSTATE 23505 from a statement sent through pg. */
export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === "P2002" || code === "23505";
}

export const lunchInclude = { attendees: { select: { memberId: true } } } as const;

export function hasChanges(row: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  return Object.entries(fields).some(([k, v]) => row[k] !== v);
}
