import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { renderOpenApiDocument } from "../lib/openapi-file.ts";
import { SignUpSchema } from "./auth/schema.ts";
import { UpdateDomainSchema } from "./domains/schema.ts";
import { SendEmailSchema } from "./emails/schema.ts";
import { AddSuppressionSchema } from "./suppressions/schema.ts";

/**
 * The spec publishes the checks of some fields as `pattern`s (and lengths), where a zod refine
 * or transform would publish nothing: clients and the fuzzer build valid values from them. For
 * each, the published rule and the API's check must agree on every sample.
 */

interface JsonSchema {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
}

const spec = JSON.parse(renderOpenApiDocument()) as {
  components: { schemas: Record<string, JsonSchema> };
};
const property = (schema: string, name: string) => {
  const found = spec.components.schemas[schema]?.properties?.[name];
  if (!found) throw new Error(`no ${schema}.${name} in the spec`);
  return found;
};

/** What JSON Schema says of a string (patterns are ECMA-262 with the u flag, unanchored). */
function specAccepts(schema: JsonSchema, value: string): boolean {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) return false;
  if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  return schema.pattern === undefined || new RegExp(schema.pattern, "u").test(value);
}

const ADDRESSES = [
  "ada@acme.dev",
  "Ada.Lovelace+news@mail.acme.dev",
  "o'brien@example.com",
  "a_b-c@x-y.io",
  " ada@acme.dev ",
  "\u00a0ada@acme.dev\u3000",
  "\tada@acme.dev\n",
  "ada@acme",
  "ada@acme.d",
  "ada@-acme.dev",
  ".ada@acme.dev",
  "ada.@acme.dev",
  "a..b@acme.dev",
  "ada'@acme.dev",
  "z^@wvdl.io",
  "c??#qv#-=*@m6kfm.org",
  "élodie@acme.dev",
  "ada@acmé.dev",
  "ada @acme.dev",
  "ada\u001c@acme.dev",
  "\u001cada@acme.dev",
  "Ada <ada@acme.dev>",
  "",
  "@",
  `${"a".repeat(80)}@acme.dev`,
  `${"a".repeat(250)}@acme.dev`,
  `${"a".repeat(315)}@acme.dev`,
];

function agreement(
  published: JsonSchema,
  check: z.ZodType,
  samples: string[],
  wrap: (value: string) => unknown = (value) => value,
) {
  return samples.map((value) => ({
    value,
    spec: specAccepts(published, value),
    api: check.safeParse(wrap(value)).success,
  }));
}

const disagreements = (rows: { spec: boolean; api: boolean }[]) =>
  rows.filter((row) => row.spec !== row.api);

describe("the spec's patterns", () => {
  it("of sign-in and sign-up emails are zod's email check", () => {
    const rows = agreement(property("SignUpRequest", "email"), SignUpSchema.shape.email, ADDRESSES);
    expect(disagreements(rows)).toEqual([]);
    expect(rows.filter((row) => row.api).length).toBeGreaterThan(3);
  });

  it("of suppressed addresses allow what trimming removes around them", () => {
    const rows = agreement(
      property("AddSuppressionRequest", "email"),
      AddSuppressionSchema.shape.email,
      ADDRESSES,
    );
    expect(disagreements(rows)).toEqual([]);
    expect(rows.find((row) => row.value === "\u00a0ada@acme.dev\u3000")).toMatchObject({
      api: true,
    });
  });

  it("of names want something trimming keeps, within maxLength", () => {
    const samples = ["Acme", " Acme ", "", " ", "\u3000\t", "x", "a".repeat(200), "a".repeat(201)];
    samples.push(` ${"a".repeat(199)}`, ` ${"a".repeat(200)}`);
    const rows = agreement(
      property("SignUpRequest", "organization_name"),
      SignUpSchema.shape.organization_name,
      samples,
    );
    expect(disagreements(rows)).toEqual([]);
  });

  it("of a tracking subdomain take it trimmed and in any case", () => {
    const samples = [
      "links",
      " Links ",
      "LINKS",
      "a",
      "a-b",
      "-a",
      "a-",
      "a.b",
      "",
      "é",
      "x".repeat(63),
    ];
    samples.push("x".repeat(64));
    const rows = agreement(
      property("UpdateDomainRequest", "tracking_subdomain"),
      UpdateDomainSchema.shape.tracking_subdomain,
      samples,
    );
    expect(disagreements(rows)).toEqual([]);
  });

  it("of custom header names leave out the headers Thrive-Send writes", () => {
    const names = ["X-Entity-Ref-ID", "x", "To", "SUBJECT", "reply-to", "Reply-To2", "X To", ""];
    names.push("List-Unsubscribe", "a:b", "é", "x".repeat(100), "x".repeat(101));
    const published = property("SendEmailRequest", "headers").anyOf?.[0]?.propertyNames ?? {};
    const rows = agreement(published, SendEmailSchema.shape.headers, names, (name) => ({
      [name]: "value",
    }));
    expect(disagreements(rows)).toEqual([]);
  });
});
