// Density on the map, in a real browser against a real server: the heatmap and the provinces
// shaded by their events or fatalities (`/api/divisions`), switched from the map and kept in
// the address. Screenshots go to ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

/** The canvas' `data-layer` note once it matches `pattern`: `NAME shaded:N heat:M`. */
async function layerNote(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector(".map-canvas")?.dataset.layer ?? ""),
    pattern.source,
    { timeout: 20_000 },
  ).catch(() => {});
  return page.getAttribute(".map-canvas", "data-layer");
}

/** The canvas' pixels `[r, g, b]` on a ring of `radius` CSS pixels around its centre. */
async function pixelsAroundCentre(page, radius) {
  return page.evaluate((r) => {
    const c = document.querySelector(".map-canvas");
    const ctx = c.getContext("2d");
    const dpr = c.width / c.getBoundingClientRect().width;
    const out = [];
    for (let k = 0; k < 12; k++) {
      const a = (k / 12) * 2 * Math.PI;
      const x = Math.round((c.width / 2 + Math.cos(a) * r * dpr));
      const y = Math.round((c.height / 2 + Math.sin(a) * r * dpr));
      out.push([...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)]);
    }
    return out;
  }, radius);
}

/** Whether a pixel is of the warm ramp (yellow to red) rather than the beige land or the sea. */
const warm = ([r, , b]) => r - b > 40;

/** How many of the canvas' pixels are warm. */
async function warmPixels(page) {
  return page.evaluate(() => {
    const c = document.querySelector(".map-canvas");
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] - d[i + 2] > 40) n++;
    return n;
  });
}

test("the heatmap is switched from the map, drawn, and kept in the address", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?z=8.00&lat=39.8153&lon=46.7519");
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas")?.dataset.drawnEvents) > 0);
  assert.match(await layerNote(page, /^events/), /^events shaded:0 heat:0$/);
  const before = await warmPixels(page);

  await page.selectOption("select[name='layer']", "heat");
  const note = await layerNote(page, /^heat .*heat:[1-9]/);
  const cells = Number(note.match(/heat:(\d+)/)[1]);
  assert.ok(cells > 20, `the heatmap colours cells: ${note}`);
  await page.waitForFunction(() => /layer=heat/.test(location.search));
  assert.equal(await page.locator(".map-legend .layer-key[data-layer='heat']").count(), 1);
  const after = await warmPixels(page);
  assert.ok(after > 2 * before, `the heat covers more than the symbols: ${before} → ${after} warm pixels`);
  await page.screenshot({ path: join(artifacts, "heatmap.png") });

  // The address opens the heatmap again; back returns to the events.
  await page.reload();
  await hydrated(page);
  assert.equal(await page.inputValue("select[name='layer']"), "heat");
  assert.match(await layerNote(page, /^heat .*heat:[1-9]/), /^heat /);
  await page.goBack();
  await page.waitForFunction(() => !/layer=/.test(location.search));
  assert.match(await layerNote(page, /^events/), /^events /);
  assert.deepEqual(page.errors, []);
});

test("/api/divisions sums the events of the same query per province", async () => {
  const base = running.server.url;
  const all = await (await fetch(`${base}/api/divisions`)).json();
  const events = (await (await fetch(`${base}/api/events.geojson`)).json()).features;
  assert.equal(all.total, events.length, "every event counted once");
  const inDivisions = all.divisions.reduce((n, d) => n + d.count, 0);
  assert.equal(inDivisions + all.outside, all.total);
  assert.ok(all.divisions.length >= 3, JSON.stringify(all.divisions));
  for (const d of all.divisions) assert.match(d.code, /^[A-Z]{2}\.[0-9A-Z]+$/);
  const counts = all.divisions.map((d) => d.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "the most events first");
  const deaths = events.reduce((n, f) => n + (f.properties.fatalities ?? 0), 0);
  const summed = all.divisions.reduce((n, d) => n + d.fatalities, 0);
  assert.ok(summed <= deaths && summed > 0, `fatalities ${summed} of ${deaths}`);
  // A filter narrows the sums as it narrows the events.
  const battles = await (await fetch(`${base}/api/divisions?type=battles`)).json();
  const battleEvents = (await (await fetch(`${base}/api/events.geojson?type=battles`)).json()).features;
  assert.equal(battles.total, battleEvents.length);
  assert.ok(battles.total < all.total);
  const bad = await fetch(`${base}/api/divisions?from=yesterday`);
  assert.equal(bad.status, 400);
});

test("provinces are shaded by events or fatalities, with a legend, from the switch", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?z=7.00&lat=39.8153&lon=46.7519&layer=divisions");
  await hydrated(page);
  const note = await layerNote(page, /^divisions shaded:[1-9]/);
  assert.match(note, /^divisions shaded:[1-9]/);
  const classes = await page.$$eval(".map-legend .layer-key li[data-class]", (li) => li.map((l) => l.textContent));
  assert.ok(classes.length >= 2, `classes: ${classes}`);
  assert.match(classes.at(-1), /or more$/);
  assert.match(await page.textContent(".map-legend .layer-key"), /Events per province/);
  const warmPixels = (await pixelsAroundCentre(page, 6)).filter(warm).length;
  assert.ok(warmPixels >= 6, `Stepanakert's province is shaded: ${warmPixels} of 12 warm pixels`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "divisions-count.png") });

  await page.selectOption("select[name='layer']", "fatalities");
  await page.waitForFunction(() => /layer=fatalities/.test(location.search));
  await page.waitForFunction(() => /Fatalities per province/.test(document.querySelector(".layer-key")?.textContent ?? ""));
  assert.match(await layerNote(page, /^fatalities shaded:[1-9]/), /^fatalities shaded:[1-9]/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "divisions-fatalities.png") });

  // Zoomed out to a region, the provinces' outlines load for the shading (not without it).
  const asked = [];
  page.on("request", (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(running.server.url + "/?z=5.00&lat=40.0000&lon=46.5000&layer=divisions");
  await hydrated(page);
  assert.match(await layerNote(page, /^divisions shaded:[1-9]/), /^divisions shaded:[1-9]/);
  assert.ok(asked.includes("/basemap/admin1/40_30.json"), `${asked.filter((p) => p.includes("admin1"))}`);
  assert.deepEqual(page.errors, []);
});

test("without JavaScript, the form shows the view and Apply keeps it and the layer", async () => {
  const page = await newPage(running.browser, { javaScriptEnabled: false });
  await page.goto(running.server.url + "/?z=7.00&lat=39.8153&lon=46.7519&layer=fatalities&q=Shusha&ref=2");
  assert.equal(await page.inputValue("select[name='layer']"), "fatalities");
  assert.equal(await page.inputValue("input[name='q']"), "Shusha");
  await page.check("input[name=type][value=battles]");
  await Promise.all([page.waitForNavigation(), page.click("button.apply")]);
  const query = new URL(page.url()).searchParams;
  assert.deepEqual(
    ["z", "lat", "lon", "layer", "type", "q", "ref"].map((k) => query.get(k)),
    ["7.00", "39.8153", "46.7519", "fatalities", "battles", "Shusha", "2"],
  );
});
