import { describe, expect, it } from "vitest";
import { rewriteHtml } from "./tracking-html.ts";

const PIXEL_URL = "https://t.example/o/TOKEN?v=1&s=2";
const PIXEL =
  '<img src="https://t.example/o/TOKEN?v=1&amp;s=2" width="1" height="1" alt="" border="0" ' +
  'style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />';

/** Records what it was offered; the tracked URL has an & so its encoding shows. */
function tracker() {
  const offered: [string, number][] = [];
  const clickUrl = (href: string, index: number) => {
    offered.push([href, index]);
    return `https://t.example/c/${index}?v=1&k=x`;
  };
  return { offered, clickUrl };
}

const tracked = (index: number) => `https://t.example/c/${index}?v=1&amp;k=x`;

/** `input` with each `from` (which must occur exactly once) replaced: the only changes allowed. */
function withChanges(input: string, changes: [string, string][]): string {
  let output = input;
  for (const [from, to] of changes) {
    expect(input.split(from), `"${from}" occurs once`).toHaveLength(2);
    output = output.replace(from, () => to);
  }
  return output;
}

describe("rewriteHtml", () => {
  it("tracks the links of a React Email layout and changes nothing else", () => {
    const input = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html dir="ltr" lang="en">
  <head>
    <link rel="preload" as="image" href="https://cdn.example.com/logo.png" />
    <meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
    <meta name="x-apple-disable-message-reformatting" />
  </head>
  <body style="background-color:#ffffff;font-family:-apple-system,&quot;Segoe UI&quot;,Roboto,sans-serif">
    <div style="display:none;overflow:hidden;line-height:1px;opacity:0;max-height:0;max-width:0">Your order has shipped<div> ‌​‍‎‏﻿</div></div>
    <table align="center" width="100%" border="0" cellPadding="0" cellSpacing="0" role="presentation" style="max-width:37.5em;margin:0 auto;padding:20px 0 48px">
      <tbody>
        <tr style="width:100%">
          <td>
            <img alt="Acme" height="40" src="https://cdn.example.com/logo.png" style="display:block;outline:none;border:none;text-decoration:none" width="120" />
            <p style="font-size:16px;line-height:26px;margin:16px 0">Hi Ana,</p>
            <table align="center" width="100%" border="0" cellPadding="0" cellSpacing="0" role="presentation" style="text-align:center">
              <tbody>
                <tr>
                  <td><a href="https://app.example.com/orders/1234?utm_source=email&amp;utm_medium=transactional" style="line-height:100%;text-decoration:none;display:block;max-width:100%;mso-padding-alt:0px;background-color:#5F51E8;border-radius:3px;color:#fff;font-size:16px;text-align:center;padding:12px 12px 12px 12px" target="_blank"><span><!--[if mso]><i style="mso-font-width:300%;mso-text-raise:18" hidden>&#8202;&#8202;</i><![endif]--></span><span style="max-width:100%;display:inline-block;line-height:120%;mso-padding-alt:0px;mso-text-raise:9px">Track your order</span><span><!--[if mso]><i style="mso-font-width:300%" hidden>&#8202;&#8202;&#8203;</i><![endif]--></span></a></td>
                </tr>
              </tbody>
            </table>
            <p style="font-size:16px;line-height:26px;margin:16px 0">Questions? Write to <a href="mailto:support@example.com" style="color:#067df7;text-decoration-line:none" target="_blank">support@example.com</a> or call <a href="tel:+15555550100">+1 555 555 0100</a>.</p>
            <hr style="width:100%;border:none;border-top:1px solid #eaeaea;border-color:#cccccc;margin:20px 0" />
            <p style="color:#8898aa;font-size:12px;line-height:16px"><a href="https://example.com/preferences?contact={{contact.id}}">Preferences</a> · <a href="#top">Back to top</a> · <a href="https://example.com/legal" target="_blank">Legal</a></p>
          </td>
        </tr>
      </tbody>
    </table>
    <!--/$-->
  </body>
</html>`;
    const { offered, clickUrl } = tracker();
    const output = rewriteHtml(input, { clickUrl, openPixelUrl: PIXEL_URL });
    expect(output).toBe(
      withChanges(input, [
        [
          "https://app.example.com/orders/1234?utm_source=email&amp;utm_medium=transactional",
          tracked(0),
        ],
        ['href="https://example.com/legal"', `href="${tracked(1)}"`],
        ["    <!--/$-->\n  </body>", `    <!--/$-->\n  ${PIXEL}</body>`],
      ]),
    );
    expect(offered).toEqual([
      ["https://app.example.com/orders/1234?utm_source=email&utm_medium=transactional", 0],
      ["https://example.com/legal", 1],
    ]);
  });

  it("leaves Outlook conditional comments alone, and tracks what other clients see", () => {
    const input = `<html><body>
<!--[if mso | IE]><table role="presentation" border="0" cellpadding="0" cellspacing="0"><tr><td><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://example.com/buy" style="height:40px;v-text-anchor:middle;width:200px;" arcsize="10%" fillcolor="#414141"><center><a href="https://example.com/buy-in-outlook">Buy</a></center></v:roundrect></td></tr></table><![endif]-->
<!--[if !mso]><!--><a href="https://example.com/buy" style="background:#414141;color:#ffffff;display:inline-block;padding:10px 25px" target="_blank">Buy now</a><!--<![endif]-->
<!-- a note: <a href="https://example.com/in-a-comment">x</a> -->
<![if !mso]><a href='https://example.com/downlevel'>Downlevel-revealed</a><![endif]>
</body></html>`;
    const { offered, clickUrl } = tracker();
    const output = rewriteHtml(input, { clickUrl, openPixelUrl: PIXEL_URL });
    expect(output).toBe(
      withChanges(input, [
        ['<a href="https://example.com/buy" style', `<a href="${tracked(0)}" style`],
        ["'https://example.com/downlevel'", `'${tracked(1)}'`],
        ["\n</body>", `\n${PIXEL}</body>`],
      ]),
    );
    expect(offered.map(([href]) => href)).toEqual([
      "https://example.com/buy",
      "https://example.com/downlevel",
    ]);
  });

  it("decodes entity-encoded hrefs for the tracker, as a browser reads them", () => {
    const input = [
      '<a href="https://shop.example.com/cart?item=42&amp;qty=2&amp;ref=mail">a</a>',
      '<a href="https://shop.example.com/s?q=t&#38;c&#x26;x=&quot;y&quot;">b</a>',
      // A legacy entity name before "=" is not decoded inside an attribute (&copy stays).
      '<a href="https://example.com/?a=1&copy=2&amp;b=3">c</a>',
      '<a href="  https://example.com/padded\n ">d</a>',
      '<a href="https://ex&#97;mple.com/">e</a>',
    ].join("\n");
    const { offered, clickUrl } = tracker();
    const output = rewriteHtml(input, { clickUrl });
    expect(offered).toEqual([
      ["https://shop.example.com/cart?item=42&qty=2&ref=mail", 0],
      ['https://shop.example.com/s?q=t&c&x="y"', 1],
      ["https://example.com/?a=1&copy=2&b=3", 2],
      ["https://example.com/padded", 3],
      ["https://example.com/", 4],
    ]);
    expect(output).toBe(
      [0, 1, 2, 3, 4]
        .map((index) => `<a href="${tracked(index)}">${"abcde"[index]}</a>`)
        .join("\n"),
    );
  });

  it("entity-encodes whatever URL the tracker answers, in any quoting", () => {
    const input = `<a href="https://a.example/">1</a><a href='https://b.example/'>2</a><a href=https://c.example/>3</a>`;
    const clickUrl = () => `https://t.example/c?x="y"&z='w'<>`;
    const encoded = "https://t.example/c?x=&quot;y&quot;&amp;z=&#39;w&#39;&lt;&gt;";
    expect(rewriteHtml(input, { clickUrl })).toBe(
      `<a href="${encoded}">1</a><a href='${encoded}'>2</a><a href="${encoded}">3</a>`,
    );
  });

  it("skips links that are not absolute http(s), merge tags, and links the tracker declines", () => {
    const input = `<body>
<a href="mailto:a@example.com?subject=Hi&amp;body=x">mail</a>
<a href="tel:+15555550100">call</a>
<a href="sms:+15555550100">text</a>
<a href="#section-2">anchor</a>
<a href="/account">relative</a>
<a href="pricing.html">relative too</a>
<a href="//example.com/protocol-relative">protocol-relative</a>
<a href="javascript:alert(1)">script</a>
<a href="ftp://files.example.com/">ftp</a>
<a href="{{unsubscribe_url}}">merge tag</a>
<a href="https://example.com/u/{{ user.id }}">merge tag in a URL</a>
<a href="https://example.com/{% raw %}">liquid</a>
<a href="https://">no host</a>
<a href="">empty</a>
<a href>no value</a>
<a name="top">no href</a>
<a href="https://declined.example/">declined</a>
<a href="https://kept.example/">kept</a>
<img src="https://cdn.example.com/banner.png" alt="">
<script type="application/ld+json">{"html": "<a href='https://example.com/in-script'>x</a>"}</script>
<style>a[href="https://example.com/in-style"] { color: red }</style>
<title><a href="https://example.com/in-title">x</a></title>
</body>`;
    const offered: string[] = [];
    const clickUrl = (href: string, index: number) => {
      offered.push(href);
      return href.includes("declined") ? null : tracked(index).replaceAll("&amp;", "&");
    };
    expect(rewriteHtml(input, { clickUrl })).toBe(
      withChanges(input, [['"https://kept.example/"', `"${tracked(1)}"`]]),
    );
    expect(offered).toEqual(["https://declined.example/", "https://kept.example/"]);
  });

  it("honours opt-out attributes and removes them from what is sent", () => {
    const input = [
      '<a href="https://a.example/" data-thrive-no-track>a</a>',
      '<a data-thrive-no-track="false" href="https://b.example/">b</a>',
      '<a clicktracking="off" href="https://c.example/">c</a>',
      "<A CLICKTRACKING=OFF HREF=https://d.example/>d</A>",
      '<a href="https://e.example/" clicktracking="on">e</a>',
      '<a\n  data-thrive-no-track\n  clicktracking="off"\n  href="https://f.example/">f</a>',
    ].join("\n");
    const { offered, clickUrl } = tracker();
    expect(rewriteHtml(input, { clickUrl })).toBe(
      [
        '<a href="https://a.example/">a</a>',
        '<a href="https://b.example/">b</a>',
        '<a href="https://c.example/">c</a>',
        "<A HREF=https://d.example/>d</A>",
        `<a href="${tracked(0)}" clicktracking="on">e</a>`,
        '<a\n  href="https://f.example/">f</a>',
      ].join("\n"),
    );
    expect(offered).toEqual([["https://e.example/", 0]]);
  });

  it("handles uppercase tags and attributes, area, and odd spacing", () => {
    const input = `<HTML><BODY>
<A HREF="https://example.com/UP" TARGET=_blank>Up</A>
<MAP NAME="m"><AREA SHAPE="rect" COORDS="0,0,10,10" HREF='https://example.com/area'></MAP>
<a  class="btn"  href = "https://example.com/spaced"  >spaced</a>
<a href="https://example.com/first" href="https://example.com/second">duplicate</a>
</BODY></HTML>`;
    const { offered, clickUrl } = tracker();
    expect(rewriteHtml(input, { clickUrl, openPixelUrl: PIXEL_URL })).toBe(
      withChanges(input, [
        ['"https://example.com/UP"', `"${tracked(0)}"`],
        ["'https://example.com/area'", `'${tracked(1)}'`],
        ['"https://example.com/spaced"', `"${tracked(2)}"`],
        ['"https://example.com/first"', `"${tracked(3)}"`],
        ["\n</BODY>", `\n${PIXEL}</BODY>`],
      ]),
    );
    expect(offered.map(([href]) => href)).toEqual([
      "https://example.com/UP",
      "https://example.com/area",
      "https://example.com/spaced",
      "https://example.com/first",
    ]);
  });

  it("keeps <base> and the relative links it governs as written", () => {
    const input = `<html><head><base href="https://example.com/shop/"></head><body><a href="pricing">p</a><a href="https://example.com/abs">a</a></body></html>`;
    const { clickUrl } = tracker();
    expect(rewriteHtml(input, { clickUrl })).toBe(
      withChanges(input, [['"https://example.com/abs"', `"${tracked(0)}"`]]),
    );
  });

  it("puts the pixel before the real </body>, before </html> without one, else at the end", () => {
    expect(rewriteHtml("<p>Hi <a href='https://example.com/'>there</a></p>", {})).toBe(
      "<p>Hi <a href='https://example.com/'>there</a></p>",
    );
    expect(rewriteHtml("<p>Hi</p>", { openPixelUrl: PIXEL_URL })).toBe(`<p>Hi</p>${PIXEL}`);
    expect(rewriteHtml("<html><p>Hi</p></html>\n", { openPixelUrl: PIXEL_URL })).toBe(
      `<html><p>Hi</p>${PIXEL}</html>\n`,
    );
    expect(
      rewriteHtml("<body><p>Hi</p></body><!-- </body> -->\n", { openPixelUrl: PIXEL_URL }),
    ).toBe(`<body><p>Hi</p>${PIXEL}</body><!-- </body> -->\n`);
    expect(
      rewriteHtml("<body><style>/* </body> */</style><p>Hi</p></body >", {
        openPixelUrl: PIXEL_URL,
      }),
    ).toBe(`<body><style>/* </body> */</style><p>Hi</p>${PIXEL}</body >`);
    expect(rewriteHtml("", { openPixelUrl: PIXEL_URL })).toBe(PIXEL);
  });

  it("survives malformed HTML, changing no tag it could not read to its end", () => {
    const { clickUrl } = tracker();
    for (const input of [
      '<a href="https://example.com/unterminated',
      "<a href=https://example.com/eof",
      "<!-- <a href='https://example.com/'> unterminated comment",
      '<<a>> </a </> <a href="https://example.com/ok">',
      "plain text & no tags",
    ]) {
      const output = rewriteHtml(input, { clickUrl });
      expect(output.replace(tracked(0), "https://example.com/ok")).toBe(input);
    }
  });
});
