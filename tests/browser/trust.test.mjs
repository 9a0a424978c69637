// Trust at a glance and dark mode (issue 20, points 9 and 14): an event a person corrected has
// a dark outline on the map, one a reviewer verified a white centre too, and the legend says
// which is which; the page follows the system's dark mode, its toggle overrides it and is kept
// in the browser, the basemap follows, and axe-core finds no serious violation (contrast
// included) in either. Screenshots go to ARTIFACTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  artifacts, databaseWithToken, hydrated, launch, newPage, seriousViolations, startServer,
} from "./harness.mjs";

let server;
let browser;
let token;

before(async () => {
  const made = databaseWithToken("reviewer", "reviewer");
  token = made.token;
  server = await startServer([], {}, made.db);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** Events of the demo set placed on a town (not an area: no ring) that no other event shares. */
async function lonelyEvents() {
  const answer = await (await fetch(server.url + "/api/events.geojson")).json();
  const key = (f) => f.geometry.coordinates.map((c) => c.toFixed(2)).join(",");
  const counts = new Map();
  for (const f of answer.features) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return answer.features.filter(
    (f) => f.geometry.type === "Point" && f.properties.geo_precision < 3 && f.properties.location_precision !== "document"
      && counts.get(key(f)) === 1,
  );
}

/** PATCHes an event with the token; asserts it was accepted. */
async function patch(id, body) {
  const r = await fetch(`${server.url}/api/events/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

/** The canvas pixels within `radius` CSS pixels of its centre, as [r, g, b] arrays. */
async function centrePixels(page, radius) {
  return page.evaluate((radius) => {
    const c = document.querySelector(".map-canvas");
    const dpr = c.width / c.getBoundingClientRect().width;
    const r = Math.round(radius * dpr);
    const [x, y] = [Math.round(c.width / 2), Math.round(c.height / 2)];
    const data = c.getContext("2d").getImageData(x - r, y - r, 2 * r + 1, 2 * r + 1).data;
    const out = [];
    for (let k = 0; k < data.length; k += 4) out.push([data[k], data[k + 1], data[k + 2]]);
    return out;
  }, radius);
}

/** How many pixels near the canvas centre have the outline of a checked event (#1d232a). */
async function outlinePixels(page) {
  const near = (p, q) => p.every((v, i) => Math.abs(v - q[i]) <= 6);
  return (await centrePixels(page, 10)).filter((p) => near(p, [29, 35, 42])).length;
}

/** Opens the map centred on an event at zoom 13 (each event its own mark) and waits for it. */
async function openOn(page, feature) {
  const [lon, lat] = feature.geometry.coordinates;
  await page.goto(`${server.url}/?z=13.00&lat=${lat.toFixed(4)}&lon=${lon.toFixed(4)}`);
  await hydrated(page);
  await page.waitForFunction(() => document.querySelector(".map-canvas").dataset.firstPaint);
  await page.waitForTimeout(300);
}

test("corrected and verified events are marked on the map and named in the legend", async () => {
  const [first, second] = await lonelyEvents();
  assert.ok(second, "two events on towns of their own");
  const page = await newPage(browser, { colorScheme: "light" });
  /** The marks of the event on the map now, and a screenshot of them. */
  const marksOf = async (feature, name) => {
    await openOn(page, feature);
    const centre = (await centrePixels(page, 0))[0];
    await page.screenshot({ path: join(artifacts, `trust-${name}.png`), clip: await page.locator(".map-canvas").boundingBox() });
    return { outline: await outlinePixels(page), white: centre.every((v) => v >= 245) };
  };
  const machine = await marksOf(first, "machine");
  await patch(first.properties.id, { date_precision: "week" });
  const corrected = await marksOf(first, "corrected");
  await patch(second.properties.id, { verified: true });
  const verified = await marksOf(second, "verified");
  const marks = JSON.stringify({ machine, corrected, verified });
  assert.equal(machine.outline, 0, marks);
  assert.ok(corrected.outline > 10 && verified.outline > 10, marks);
  assert.deepEqual([machine.white, corrected.white, verified.white], [false, false, true], marks);
  const legend = await page.$$eval(".map-legend [data-trust]", (items) => items.map((i) => [i.dataset.trust, i.textContent.trim()]));
  assert.deepEqual(legend, [["machine", "machine"], ["corrected", "corrected"], ["verified", "verified"]]);
  assert.match(await page.getAttribute(".map-legend .status-key", "title"), /corrected it, a reviewer who verified it/);
  assert.deepEqual(page.errors, []);
});

/** The brightness (0–255) of the canvas pixel at its top left corner: the sea or the land. */
async function cornerBrightness(page) {
  const [[r, g, b]] = await page.evaluate(() => {
    const d = document.querySelector(".map-canvas").getContext("2d").getImageData(2, 2, 1, 1).data;
    return [[d[0], d[1], d[2]]];
  });
  return (r + g + b) / 3;
}

test("dark mode follows the system, the toggle overrides it and is kept, and contrast holds", async () => {
  const page = await newPage(browser, { colorScheme: "dark" });
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => document.querySelector(".map-canvas").dataset.firstPaint);
  await page.waitForSelector(".theme-toggle[aria-pressed=true]");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(20, 24, 29)");
  await page.waitForTimeout(300);
  assert.ok((await cornerBrightness(page)) < 80, "a dark basemap");
  await page.screenshot({ path: join(artifacts, "dark-mode.png") });
  assert.deepEqual(await seriousViolations(page), []);

  // The toggle chooses light over the system's dark; the choice outlives a reload.
  await page.click(".theme-toggle");
  await page.waitForSelector(".theme-toggle[aria-pressed=false]");
  assert.equal(await page.getAttribute("html", "data-theme"), "light");
  await page.waitForTimeout(200);
  assert.ok((await cornerBrightness(page)) > 150, "a light basemap");
  await page.reload();
  await hydrated(page);
  await page.waitForSelector(".theme-toggle[aria-pressed=false]");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
  await page.screenshot({ path: join(artifacts, "light-mode.png") });
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(page.errors, []);

  // The kept choice comes before the first paint, not with the WASM: without it, the page is
  // light from the start.
  await page.route("**/*.wasm", (route) => route.abort());
  await page.reload({ waitUntil: "domcontentloaded" });
  assert.equal(await page.getAttribute("html", "data-theme"), "light");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
  assert.equal(await page.$("body[data-hydrated='1']"), null, "the WASM never ran");
});
