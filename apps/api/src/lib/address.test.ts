import { describe, expect, it } from "vitest";
import { parseAddress } from "./address.ts";

describe("parseAddress", () => {
  it.each([
    ["a@example.com", { name: "", address: "a@example.com" }],
    ["Ann <ann@example.com>", { name: "Ann", address: "ann@example.com" }],
    ["  Ann Lee   <ann@example.com>  ", { name: "Ann Lee", address: "ann@example.com" }],
    ["<ann@example.com>", { name: "", address: "ann@example.com" }],
    ['"Lee, Ann" <ann@example.com>', { name: "Lee, Ann", address: "ann@example.com" }],
    // nodemailer's reading, and it quotes the name when it writes the header.
    ["Lee, Ann <ann@example.com>", { name: "Lee, Ann", address: "ann@example.com" }],
    [
      '"Ann \\"the\\" Lee" <ann@example.com>',
      { name: 'Ann "the" Lee', address: "ann@example.com" },
    ],
    ["first.last+tag@sub.example.co.uk", { name: "", address: "first.last+tag@sub.example.co.uk" }],
  ])("accepts %s", (input, expected) => {
    expect(parseAddress(input)).toEqual(expected);
  });

  it.each([
    ["not an address"],
    ["a@b"],
    ["Ann <not-an-address>"],
    ["a@example.com, b@example.com"],
    ["Ann <a@example.com>\r\nBcc: b@example.com"],
    ["group: a@example.com, b@example.com;"],
    [""],
  ])("refuses %j", (input) => {
    expect(parseAddress(input)).toHaveProperty("error");
  });
});
