import { sql } from "drizzle-orm";
import { customType, timestamp } from "drizzle-orm/pg-core";

/** Timestamps are always timezone-aware and read back as Date. */
export const timestamptz = (name?: string) =>
  name ? timestamp(name, { withTimezone: true }) : timestamp({ withTimezone: true });

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/** An enum's values as a SQL list, for the check constraint that keeps a text column to them. */
export const inList = (values: readonly string[]) =>
  sql.raw(values.map((value) => `'${value}'`).join(", "));
