import { describe, expect, it } from "vitest";
import { csvField, csvRow } from "./csv.ts";

describe("csv", () => {
  it("leaves plain fields alone", () => {
    expect(csvField("email.bounced")).toBe("email.bounced");
    expect(csvField(42)).toBe("42");
    expect(csvField(false)).toBe("false");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes commas, quotes, line breaks and edge spaces, doubling quotes", () => {
    expect(csvField("Doe, John <j@example.com>")).toBe('"Doe, John <j@example.com>"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField('{"a":"b,c"}')).toBe('"{""a"":""b,c""}"');
  });

  it("joins a row with commas and ends it with CRLF", () => {
    expect(csvRow(["a", null, 'b"c', 1])).toBe('a,,"b""c",1\r\n');
    expect(csvRow([])).toBe("\r\n");
  });

  it("round-trips through a reader that follows RFC 4180", () => {
    const values = ['x,"y"', "line\r\nbreak", "", "plain", " lead"];
    expect(parseLine(csvRow(values).slice(0, -2))).toEqual(values);
  });
});

/** A minimal RFC 4180 reader for one record, to check what the writer produces. */
function parseLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}
