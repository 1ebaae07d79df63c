// A real save -> reload in headless Chromium: opens the preview URL, appends
// a sentence to a section file, and waits (bounded) until the page has
// reloaded by itself and shows it. Prints JSON: {ms, reloaded, shown, violations}
// (violations: what the page's Content-Security-Policy blocked).
//
//   node reload.mjs URL SECTION.md "sentence to add"
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [url, section, sentence] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperpipe-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, timeout: 60000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
});
const result = { ms: null, reloaded: false, shown: false, violations: [] };
try {
  const page = await browser.newPage();
  // anything the page's Content-Security-Policy blocked (the reload script, its event stream, a style, a picture)
  page.on("console", (msg) => { if (/Content[- ]Security[- ]Policy/i.test(msg.text())) result.violations.push(msg.text()); });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content-Security-Policy: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: "load", timeout: 30000 });
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/_paperpipe/events")) || true);
  await new Promise((r) => setTimeout(r, 500)); // the event stream is open and has its first message
  const navigated = page.waitForNavigation({ waitUntil: "load", timeout: 30000 }).then(() => true, () => false);
  const start = Date.now();
  fs.appendFileSync(section, `\n\n${sentence}\n`);
  result.reloaded = await navigated;
  result.shown = await page.waitForFunction((s) => document.body.innerText.includes(s), { timeout: 30000 }, sentence)
    .then(() => true, () => false);
  result.ms = Date.now() - start;
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + "\n");
