// Measures the figures of an HTML page in Debian's headless Chromium
// (puppeteer-core) at the given window widths and prints one JSON object:
// per width, per inline SVG figure, the smallest text as drawn on screen in
// CSS px (font size times the drawing's scale), whether its region scrolls
// and shows that it does; the same for every region that scrolls sideways
// (tables too); optionally a screenshot of each figure.
//
//   node figures.mjs PAGE.html [--widths 360,1280] [--shots DIR]
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import puppeteer from "puppeteer-core";

const args = process.argv.slice(2);
const page_file = path.resolve(args[0]);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const widths = (option("--widths") || "360,1280").split(",").map(Number);
const shots = option("--shots");
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperpipe-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true, timeout: 60000, protocolTimeout: 120000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
});
const result = {};
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60000);
  for (const width of widths) {
    await page.setViewport({ width, height: 900 });
    await page.goto("file://" + page_file, { waitUntil: "load" });
    result[width] = await page.evaluate(() => ({ regions: [...document.querySelectorAll(".table-scroll, .figure-scroll")].map((region) => {
      const hint = getComputedStyle(region, "::before");
      return { kind: region.className, scrolls: region.scrollWidth > region.clientWidth, focusable: region.tabIndex === 0,
               hint: hint.display !== "none" ? hint.content : null };
    }), figures: [...document.querySelectorAll("figure svg.picture")].map((svg) => {
      const sizes = [...svg.querySelectorAll("text, tspan")].filter((t) => t.textContent.trim()).map((t) => {
        const m = t.getScreenCTM();
        return parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      });
      const region = svg.closest(".figure-scroll");
      const hint = region ? getComputedStyle(region, "::before") : null;
      return {
        label: svg.getAttribute("aria-label"),
        width: svg.getBoundingClientRect().width,
        smallest_text_px: sizes.length ? Math.min(...sizes) : null,
        texts: sizes.length,
        scrolls: region ? region.scrollWidth > region.clientWidth : false,
        focusable: region ? region.tabIndex === 0 : false,
        hint: hint && hint.display !== "none" ? hint.content : null,
        shadow: region ? getComputedStyle(region).backgroundImage.includes("gradient") : false,
      };
    }) }));
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      const figures = await page.$$("figure:has(svg.picture)");
      for (let i = 0; i < figures.length; i++) await figures[i].screenshot({ path: path.join(shots, `figure${i + 1}-${width}.png`) });
    }
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + "\n");
