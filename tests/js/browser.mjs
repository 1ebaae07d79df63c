// Opens HTML files in Debian's headless Chromium (puppeteer-core) and
// reports, per file: axe-core's violations at WCAG 2.1 A/AA, whether the page
// is wider than the window (per width), the requests it made to anything but
// its own file and, when asked, its figures as drawn (the smallest text in
// CSS px, whether a region scrolls and shows that it does), screenshots and a
// print PDF.
//
//   node browser.mjs PAGE.html [--widths 1280,360] [--idle] [--no-axe] [--figures]
//                              [--shots DIR] [--figure-shots DIR] [--pdf FILE]
//   node browser.mjs --serve
//
// The first form prints one JSON object. --serve starts one Chromium for many
// pages (the tests' one browser per worker, tests/conftest.py): it reads one
// JSON job a line on stdin ({"page", "widths", "idle", "axe", "figures",
// "shots", "figure_shots", "pdf"}) and writes one JSON result a line, each
// page in a new tab; {"error": …} for a job that failed; it ends with stdin.
//
// --idle: wait until the network is quiet after loading (no request for half
// a second), so that a fetch a style starts late is seen too.
//
// Bounded: every step has a timeout; the browser is always closed.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import readline from "node:readline";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "paperpipe-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 60000,
    protocolTimeout: 120000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
  });
  return { browser, close: async () => { await browser.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

// What figures.mjs measured: per inline SVG figure, the smallest text as
// drawn on screen (font size times the drawing's scale) and its region; the
// same for every region that scrolls sideways (tables too).
function measureFigures() {
  return { regions: [...document.querySelectorAll(".table-scroll, .figure-scroll")].map((region) => {
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
  }) };
}

async function visit(browser, job) {
  const pageFile = path.resolve(job.page);
  const widths = job.widths || [1280, 360];
  const waitUntil = job.idle ? ["load", "networkidle0"] : "load";
  const result = { axe: {}, overflow: {}, figures: {}, requests: [], console: [] };
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(60000);
    await page.setJavaScriptEnabled(true); // for axe and the measures only; the page itself has no script
    await page.setRequestInterception(true);
    const url = "file://" + pageFile;
    page.on("request", (req) => {
      if (req.url() === url || req.url().startsWith("data:")) return req.continue();
      result.requests.push(req.url());
      return req.abort();
    });
    page.on("console", (msg) => result.console.push(msg.text()));
    for (const width of widths) {
      await page.setViewport({ width, height: 900 });
      await page.goto(url, { waitUntil });
      if (job.axe !== false) {
        await page.evaluate(axeSource);
        result.axe[width] = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
          return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                                            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) })),
                   passes: r.passes.length, incomplete: r.incomplete.map((v) => v.id) };
        });
      }
      result.overflow[width] = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth, window: window.innerWidth,
        wide: [...document.querySelectorAll("body *")].filter((e) => e.closest(".table-scroll, .figure-scroll") === null && e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map((e) => e.tagName + "." + e.className),
        scrollers: [...document.querySelectorAll(".table-scroll, .figure-scroll")].map((e) => e.scrollWidth > e.clientWidth),
      }));
      if (job.figures) result.figures[width] = await page.evaluate(measureFigures);
      if (job.shots) {
        fs.mkdirSync(job.shots, { recursive: true });
        await page.screenshot({ path: path.join(job.shots, `page-${width}.png`), fullPage: true });
      }
      if (job.figure_shots) {
        fs.mkdirSync(job.figure_shots, { recursive: true });
        const figures = await page.$$("figure:has(svg.picture)");
        for (let i = 0; i < figures.length; i++) await figures[i].screenshot({ path: path.join(job.figure_shots, `figure${i + 1}-${width}.png`) });
      }
    }
    if (job.pdf) {
      await page.emulateMediaType("print");
      await page.pdf({ path: job.pdf, preferCSSPageSize: true, printBackground: true, timeout: 120000 });
    }
  } finally {
    await page.close();
  }
  return result;
}

const args = process.argv.slice(2);
if (args[0] === "--serve") {
  const { browser, close } = await launch();
  try {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (!line.trim()) continue;
      let answer;
      try {
        answer = await visit(browser, JSON.parse(line));
      } catch (error) {
        answer = { error: String(error && error.stack || error) };
      }
      process.stdout.write(JSON.stringify(answer) + "\n");
    }
  } finally {
    await close();
  }
} else {
  const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
  const job = { page: args[0], widths: (option("--widths") || "1280,360").split(",").map(Number), idle: args.includes("--idle"),
                axe: !args.includes("--no-axe"), figures: args.includes("--figures"), shots: option("--shots"),
                figure_shots: option("--figure-shots"), pdf: option("--pdf") };
  const { browser, close } = await launch();
  let result;
  try {
    result = await visit(browser, job);
  } finally {
    await close();
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
