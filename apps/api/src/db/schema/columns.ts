import { customType, timestamp } from "drizzle-orm/pg-core";

/** Timestamps are always timezone-aware and read back as Date. */
export const timestamptz = (name?: string) =>
  name ? timestamp(name, { withTimezone: true }) : timestamp({ withTimezone: true });

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});
