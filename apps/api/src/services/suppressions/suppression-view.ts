import type { suppressions } from "../../db/schema/index.ts";

type SuppressionRow = typeof suppressions.$inferSelect;

/** A suppression as Resend shows it. */
export function suppressionView(row: SuppressionRow) {
  return {
    object: "suppression" as const,
    id: row.id,
    email: row.email,
    origin: row.origin,
    source_id: row.sourceEmailId,
    created_at: row.createdAt.toISOString(),
  };
}

/** Addresses are kept as `Local@Example.com` → `local@example.com`, trimmed. */
export function normalizeSuppressedEmail(email: string): string {
  return email.trim().toLowerCase();
}
