import type { OpenApiDocumentLike, SchemaObject } from "./openapi-types.ts";

// Values that name other objects (ids) or moments would make a sample refer to something that
// does not exist or lie in the past by the time it is read: optional ones are left out.
const LEFT_OUT_FORMATS = new Set(["uuid", "date-time"]);

// An optional text longer than this is prose (a description) the reader can do without, and it
// would not fit the formatters' lines in a nested object (ruff's 88 columns).
const LONGEST_SHOWN_TEXT = 60;

/** Follows `#/components/schemas/<Name>` references. */
export function resolveSchema(doc: OpenApiDocumentLike, schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`Unresolved schema reference ${current.$ref}`);
    current = target;
  }
  return current;
}

/** The schema's own type, ignoring `null` (`["string", "null"]` is a string). */
function typeOf(schema: SchemaObject): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((type) => type !== "null");
}

function firstBranch(schema: SchemaObject): SchemaObject | undefined {
  const branches = schema.oneOf ?? schema.anyOf;
  return branches?.find(
    (branch) => typeOf(branch) !== undefined || branch.$ref || branch.properties,
  );
}

/**
 * A value that follows the schema, built from the examples the routes declare: the schema's own
 * example when it has one; for an object, its required properties plus the optional ones worth
 * showing (see `isWorthShowing`); the first branch of a union; one item for an array.
 */
export function exampleValue(doc: OpenApiDocumentLike, input: SchemaObject, depth = 0): unknown {
  const schema = resolveSchema(doc, input);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (depth > 8) return null;
  const branch = firstBranch(schema);
  if (branch) return exampleValue(doc, branch, depth + 1);
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleValue(doc, part, depth + 1)));
  }
  switch (typeOf(schema) ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {})
        .filter(([name, property]) => required.has(name) || isWorthShowing(doc, property))
        .map(([name, property]) => [name, exampleValue(doc, property, depth + 1)]);
      return Object.fromEntries(entries);
    }
    case "array":
      return schema.items ? [exampleValue(doc, schema.items, depth + 1)] : [];
    case "string":
      return schema.enum?.[0] ?? schema.default ?? "string";
    case "integer":
    case "number":
      return schema.default ?? schema.minimum ?? 1;
    case "boolean":
      return schema.default ?? true;
    default:
      return null;
  }
}

/**
 * An optional property is shown when its example is a plain value that says something the
 * default does not, and it is neither an id nor a time (which would not hold for the reader)
 * nor a long text.
 */
export function isWorthShowing(doc: OpenApiDocumentLike, input: SchemaObject): boolean {
  const schema = resolveSchema(doc, input);
  const example = schema.example;
  if (example === undefined || example === null || typeof example === "object") return false;
  if (schema.format && LEFT_OUT_FORMATS.has(schema.format)) return false;
  if (typeof example === "string" && example.length > LONGEST_SHOWN_TEXT) return false;
  return example !== schema.default;
}
