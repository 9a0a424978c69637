// Starts a real `karta serve` on 127.0.0.1 with a fresh database and Debian's Chromium, and
// collects the page's console errors. Environment: KARTA_BIN (the karta binary), KARTA_SITE (the
// built site), CHROMIUM (default /usr/bin/chromium), ARTIFACTS (where screenshots go).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const artifacts = process.env.ARTIFACTS ?? join(import.meta.dirname, "artifacts");
mkdirSync(artifacts, { recursive: true });

/** Starts `karta serve` on a free port; resolves to { url, stop }. */
export async function startServer(extraArgs = [], env = {}, db = null) {
  const bin = process.env.KARTA_BIN;
  if (!bin) throw new Error("KARTA_BIN is not set");
  const dir = mkdtempSync(join(tmpdir(), "karta-browser-"));
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", db ?? join(dir, "karta.db"), ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("karta serve did not start in 120 s")), 120_000);
    child.on("exit", (code) => reject(new Error(`karta serve exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { url, dir, stop: () => child.kill("SIGTERM") };
}

/**
 * A new token of a role (an editor's by default) in the database `db`, made the way an operator
 * makes one (`karta token create`).
 */
export function createToken(db, name, role = "editor") {
  const args = ["token", "create", "--db", db, "--name", name, "--role", role];
  const token = execFileSync(process.env.KARTA_BIN, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  if (!/^karta_[0-9a-f]{64}$/.test(token)) throw new Error(`not a token: ${token}`);
  return token;
}

/** A fresh database holding one token of a role; resolves to { db, token }. */
export function databaseWithToken(name, role = "editor") {
  const db = join(mkdtempSync(join(tmpdir(), "karta-token-")), "karta.db");
  return { db, token: createToken(db, name, role) };
}

/** Launches headless Chromium with a fresh profile. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/**
 * For a test file: starts `karta serve` (with `args`) and Chromium before its tests and stops
 * them after; returns `{ server, browser }`, filled in once the tests start.
 */
export function serverAndBrowser(args = []) {
  const shared = {};
  before(async () => {
    shared.server = await startServer(args);
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    shared.server?.stop();
  });
  return shared;
}

/** A page that records console errors and uncaught exceptions into `errors`. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") page.errors.push(m.text());
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

/** Waits for the WASM to have hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector("body[data-hydrated='1']", { state: "attached", timeout: 30_000 });
}

/** The event ids of the list, in order. */
export async function listIds(page) {
  return page.$$eval(".event-row", (rows) => rows.map((r) => Number(r.dataset.eventId)));
}

/** Pans the map of `page` by a scripted drag of 120 moves from its centre and counts the
 * browser's animation frames meanwhile: the frames per second while panning. */
export async function panFps(page) {
  const box = await page.locator(".map-canvas").boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.evaluate(() => {
    window.__ticks = 0;
    window.__run = true;
    const tick = () => {
      window.__ticks++;
      if (window.__run) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__start = performance.now();
  });
  await page.mouse.move(x, y);
  await page.mouse.down();
  const steps = 120;
  for (let k = 1; k <= steps; k++) {
    await page.mouse.move(x - 300 * Math.sin((k / steps) * Math.PI), y - 100 * (k / steps));
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    window.__run = false;
    return (window.__ticks * 1000) / (performance.now() - window.__start);
  });
}

/**
 * Runs axe-core (npm `axe-core`, WCAG 2 A and AA rules) on the page as it is and returns its
 * serious and critical violations, each as `rule: target…` (empty when there are none). The
 * script goes in through the DevTools protocol, which the page's Content-Security-Policy does
 * not govern.
 */
export async function seriousViolations(page) {
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  const found = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } }),
  );
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
