import { getTableColumns, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

/**
 * SQL fragments for inserting rows that arrive as one JSON array of objects keyed by drizzle's
 * property names: `insert into t (<columns>) select <values> from json_to_recordset($1::json)
 * as r(<definition>)`. One constant, prepared statement takes a group of any size, and the
 * rows need no re-keying in JavaScript: JSON.stringify is all. Built once, from the schema.
 */
export interface JsonInsert {
  /** `"org_id", "to", ...`: the table's column names (the schema's keys in snake_case). */
  columns: string;
  /** `"orgId", "to", ...`: the record's fields, in the same order. */
  values: string;
  /** `"orgId" uuid, "to" text[], ...`: the json_to_recordset column definition. */
  definition: string;
}

export function jsonInsert<T extends Table>(
  table: T,
  keys: readonly (keyof T["$inferInsert"] & string)[],
): JsonInsert {
  const columns = getTableColumns(table) as Record<string, { getSQLType(): string }>;
  const typed = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`no column ${key}`);
    return { key, name: toSnakeCase(key), type: column.getSQLType() };
  });
  return {
    columns: typed.map(({ name }) => `"${name}"`).join(", "),
    values: typed.map(({ key }) => `"${key}"`).join(", "),
    definition: typed.map(({ key, type }) => `"${key}" ${type}`).join(", "),
  };
}
