import { describe, expect, it } from "vitest";
import {
  classifyTrackingRequest,
  type TrackingRequest,
  type TrackingVerdict,
} from "./machine-activity.ts";
import { networkList } from "./machine-networks.ts";

/** User agents as these clients and machines send them. */
const UA = {
  appleMpp: "Mozilla/5.0",
  gmailProxy:
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
  yahooProxy: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
  outlookDesktop: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
  outlookImages: "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
  iphoneMail:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  macMail:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  thunderbird: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0",
  chrome:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  iphoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  androidGmailWebView:
    "Mozilla/5.0 (Linux; Android 13; SM-S911B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36",
  barracuda: "Barracuda Sentinel (EE)",
  headlessChrome:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36",
  curl: "curl/8.5.0",
  wget: "Wget/1.21.4",
  pythonRequests: "python-requests/2.31.0",
  goHttp: "Go-http-client/1.1",
  java: "Java/17.0.2",
  bingPreview: "Mozilla/5.0 (compatible; BingPreview/1.0b)",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
};

/** An address of no one in particular (a residential ISP's). */
const HOME_IP = "81.2.69.142";

function classify(request: Partial<TrackingRequest>) {
  return classifyTrackingRequest({
    kind: "open",
    userAgent: UA.chrome,
    ip: HOME_IP,
    method: "GET",
    secondsSinceSent: 3600,
    ...request,
  });
}

const person: TrackingVerdict = { machine: false, reason: null, proxy: null };
const machine = (reason: TrackingVerdict["reason"], proxy: TrackingVerdict["proxy"] = null) => ({
  machine: true,
  reason,
  proxy,
});

describe("classifyTrackingRequest", () => {
  it.each<[string, Partial<TrackingRequest>, TrackingVerdict]>([
    // People, in their clients.
    ["Outlook desktop open", { userAgent: UA.outlookDesktop }, person],
    ["Outlook desktop image load", { userAgent: UA.outlookImages }, person],
    ["iPhone Mail open (MPP off)", { userAgent: UA.iphoneMail }, person],
    ["Apple Mail on a Mac (MPP off)", { userAgent: UA.macMail }, person],
    ["Thunderbird open", { userAgent: UA.thunderbird }, person],
    ["Chrome click", { kind: "click", userAgent: UA.chrome }, person],
    ["Safari click on an iPhone", { kind: "click", userAgent: UA.iphoneSafari }, person],
    ["Android web view click", { kind: "click", userAgent: UA.androidGmailWebView }, person],
    ["click over IPv6", { kind: "click", ip: "2a02:8108:1140:2b00::1" }, person],
    // Proxies that fetch when a person opens the message.
    [
      "Gmail open through Google's image proxy",
      { userAgent: UA.gmailProxy, ip: "66.249.84.10" },
      { machine: false, reason: null, proxy: "gmail" },
    ],
    [
      "Yahoo open through its proxy",
      { userAgent: UA.yahooProxy, ip: "98.137.11.163" },
      { machine: false, reason: null, proxy: "yahoo" },
    ],
    [
      "a click from Google's image proxy",
      { kind: "click", userAgent: UA.gmailProxy },
      machine("image_proxy_click", "gmail"),
    ],
    // Apple Mail Privacy Protection prefetching.
    [
      "Apple MPP prefetch",
      { userAgent: UA.appleMpp, ip: "17.58.63.10" },
      machine("apple_mpp", "apple"),
    ],
    [
      "Apple MPP prefetch over IPv6",
      { userAgent: UA.appleMpp, ip: "2620:149:a44:1000::1" },
      machine("apple_mpp", "apple"),
    ],
    [
      "Apple MPP prefetch on a dual-stack socket",
      { userAgent: UA.appleMpp, ip: "::ffff:17.58.63.10" },
      machine("apple_mpp", "apple"),
    ],
    [
      "bare Mozilla/5.0 from a relay partner's address",
      { userAgent: UA.appleMpp, ip: "104.28.40.7" },
      machine("bare_user_agent"),
    ],
    [
      "bare Mozilla/5.0 with no address",
      { userAgent: UA.appleMpp, ip: null },
      machine("bare_user_agent"),
    ],
    // Security gateways following links.
    [
      "Microsoft Safe Links detonation (a browser's UA from Exchange Online Protection)",
      { kind: "click", ip: "40.107.22.55" },
      machine("link_scanner:microsoft"),
    ],
    [
      "Microsoft EOP fetching the pixel over IPv6",
      { ip: "2a01:111:f403:c201::5" },
      machine("link_scanner:microsoft"),
    ],
    [
      "Barracuda by user agent",
      { kind: "click", userAgent: UA.barracuda },
      machine("link_scanner:barracuda"),
    ],
    [
      "Barracuda by network (a browser's UA)",
      { kind: "click", ip: "209.222.82.40" },
      machine("link_scanner:barracuda"),
    ],
    // Mimecast, Proofpoint and the others mostly send a browser's UA (see the network test
    // below) and publish none of their own: these strings are made up, to show that a UA
    // naming its vendor is caught.
    [
      "a UA naming Mimecast",
      { kind: "click", userAgent: "Mimecast URL Scanner" },
      machine("link_scanner:mimecast"),
    ],
    [
      "a UA naming Proofpoint URL Defense",
      { kind: "click", userAgent: "Mozilla/5.0 (compatible; urldefense.proofpoint.com)" },
      machine("link_scanner:proofpoint"),
    ],
    [
      "a UA naming IronPort",
      { kind: "click", userAgent: "Cisco IronPort WSA" },
      machine("link_scanner:cisco"),
    ],
    [
      "a UA naming Symantec",
      { kind: "click", userAgent: "Symantec Email Security.cloud" },
      machine("link_scanner:symantec"),
    ],
    [
      "a UA naming Trend Micro",
      { kind: "click", userAgent: "Trend Micro Email Security" },
      machine("link_scanner:trend_micro"),
    ],
    // Scripts, crawlers and headless browsers.
    [
      "HeadlessChrome",
      { kind: "click", userAgent: UA.headlessChrome },
      machine("headless_browser"),
    ],
    ["curl", { kind: "click", userAgent: UA.curl }, machine("bot")],
    ["wget", { userAgent: UA.wget }, machine("bot")],
    ["python-requests", { kind: "click", userAgent: UA.pythonRequests }, machine("bot")],
    ["Go's HTTP client", { kind: "click", userAgent: UA.goHttp }, machine("bot")],
    ["Java's HTTP client", { kind: "click", userAgent: UA.java }, machine("bot")],
    ["BingPreview", { kind: "click", userAgent: UA.bingPreview }, machine("bot")],
    ["Googlebot", { userAgent: UA.googlebot }, machine("bot")],
    ["no user agent", { userAgent: null }, machine("no_user_agent")],
    ["blank user agent", { userAgent: "   " }, machine("no_user_agent")],
    // The request itself.
    ["HEAD from a browser", { method: "HEAD", kind: "click" }, machine("head_request")],
    ["head, lower-cased", { method: "head" }, machine("head_request")],
  ])("%s", (_label, request, verdict) => {
    expect(classify(request)).toEqual(verdict);
  });

  describe("timing", () => {
    it("calls anything within 2 seconds of sending a scanner's", () => {
      expect(classify({ kind: "click", secondsSinceSent: 0.4 })).toEqual(machine("too_fast"));
      expect(classify({ kind: "open", secondsSinceSent: 1.99 })).toEqual(machine("too_fast"));
      expect(classify({ kind: "click", secondsSinceSent: 2 })).toEqual(person);
      expect(classify({ kind: "click", secondsSinceSent: 45 })).toEqual(person);
    });

    it("treats a clock that ran backwards as too fast, and no send time as unknown", () => {
      expect(classify({ secondsSinceSent: -3 })).toEqual(machine("too_fast"));
      expect(classify({ secondsSinceSent: null })).toEqual(person);
      expect(classify({ secondsSinceSent: undefined })).toEqual(person);
    });

    it("takes another threshold", () => {
      const request = { kind: "click", userAgent: UA.chrome, ip: HOME_IP, method: "GET" } as const;
      expect(
        classifyTrackingRequest({ ...request, secondsSinceSent: 5 }, { tooFastSeconds: 10 }),
      ).toEqual(machine("too_fast"));
      expect(
        classifyTrackingRequest({ ...request, secondsSinceSent: 1 }, { tooFastSeconds: 0 }),
      ).toEqual(person);
    });

    it("keeps the proxy of a too-fast proxied open, and names what else it knows first", () => {
      expect(classify({ userAgent: UA.gmailProxy, secondsSinceSent: 1 })).toEqual(
        machine("too_fast", "gmail"),
      );
      expect(classify({ userAgent: UA.curl, secondsSinceSent: 0 })).toEqual(machine("bot"));
    });
  });

  it("takes networks the operator adds", () => {
    const mimecast = networkList(["205.139.110.0/24"]);
    const relay = networkList(["104.28.0.0/16", "2a02:26f7::/32"]);
    const options = { scannerNetworks: { mimecast }, appleRelayEgress: relay };
    expect(
      classifyTrackingRequest(
        {
          kind: "click",
          userAgent: UA.chrome,
          ip: "205.139.110.12",
          method: "GET",
          secondsSinceSent: 90,
        },
        options,
      ),
    ).toEqual(machine("link_scanner:mimecast"));
    expect(
      classifyTrackingRequest(
        {
          kind: "open",
          userAgent: UA.appleMpp,
          ip: "104.28.40.7",
          method: "GET",
          secondsSinceSent: 90,
        },
        options,
      ),
    ).toEqual(machine("apple_mpp", "apple"));
    expect(
      classifyTrackingRequest(
        {
          kind: "open",
          userAgent: UA.appleMpp,
          ip: "2a02:26f7:1::9",
          method: "GET",
          secondsSinceSent: 90,
        },
        options,
      ),
    ).toEqual(machine("apple_mpp", "apple"));
  });

  it("ignores an address it cannot read instead of failing", () => {
    for (const ip of ["not-an-ip", "300.1.1.1", "17.0.0.0/8", "", "::ffff:not"]) {
      expect(classify({ ip })).toEqual(person);
      expect(classify({ ip, userAgent: UA.appleMpp })).toEqual(machine("bare_user_agent"));
    }
  });
});

describe("networkList", () => {
  it("matches addresses inside its networks only", () => {
    const list = networkList(["10.1.0.0/16", "2001:db8::/32"]);
    expect(list.check("10.1.200.3", "ipv4")).toBe(true);
    expect(list.check("10.2.0.1", "ipv4")).toBe(false);
    expect(list.check("2001:db8:5::1", "ipv6")).toBe(true);
    expect(list.check("2001:db9::1", "ipv6")).toBe(false);
  });

  it.each([
    "10.0.0.0",
    "10.0.0.0/33",
    "2001:db8::/129",
    "10.0.0.0/8/8",
    "nope/8",
    "10.0.0.0/x",
    "10.0.0.0/",
  ])("refuses %s", (cidr) => {
    expect(() => networkList([cidr])).toThrow(TypeError);
  });
});
