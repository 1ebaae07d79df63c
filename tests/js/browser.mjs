// Opens an HTML file in Debian's headless Chromium (puppeteer-core) and
// prints one JSON object: axe-core's violations at WCAG 2.1 A/AA, whether the
// page is wider than the window (per width), the requests it made to
// anything but its own file, and, when asked, screenshots and a print PDF.
//
//   node browser.mjs PAGE.html [--shots DIR] [--pdf FILE] [--widths 1280,360] [--idle]
//
// --idle: wait until the network is quiet after loading (no request for
// half a second), so that a fetch a style starts late is seen too.
//
// Bounded: every step has a timeout; the browser is always closed.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
const page_file = path.resolve(args[0]);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const shots = option("--shots");
const pdf = option("--pdf");
const widths = (option("--widths") || "1280,360").split(",").map(Number);
const waitUntil = args.includes("--idle") ? ["load", "networkidle0"] : "load";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperpipe-chromium-"));
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  timeout: 60000,
  protocolTimeout: 120000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
});
const result = { axe: {}, overflow: {}, requests: [], console: [] };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60000);
  await page.setJavaScriptEnabled(true); // for axe only; the page itself has no script
  await page.setRequestInterception(true);
  const url = "file://" + page_file;
  page.on("request", (req) => {
    if (req.url() === url || req.url().startsWith("data:")) return req.continue();
    result.requests.push(req.url());
    return req.abort();
  });
  page.on("console", (msg) => result.console.push(msg.text()));
  for (const width of widths) {
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil });
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) })),
               passes: r.passes.length, incomplete: r.incomplete.map((v) => v.id) };
    });
    result.axe[width] = axe;
    result.overflow[width] = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth, window: window.innerWidth,
      wide: [...document.querySelectorAll("body *")].filter((e) => e.closest(".table-scroll, .figure-scroll") === null && e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 5).map((e) => e.tagName + "." + e.className),
      scrollers: [...document.querySelectorAll(".table-scroll, .figure-scroll")].map((e) => e.scrollWidth > e.clientWidth),
    }));
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `page-${width}.png`), fullPage: true });
    }
  }
  if (pdf) {
    await page.emulateMediaType("print");
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true, timeout: 120000 });
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + "\n");
