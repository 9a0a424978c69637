// The basemap an analyst reads at a glance, in a real browser against a real server: names of
// countries, capitals, rivers, towns and cities that never collide, loaded by zoom and area.
// Screenshots go to ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

/** Waits until the map has written every name of `names`; resolves to the names written. */
async function labelled(page, names) {
  await page.waitForFunction(
    (wanted) => {
      const written = (document.querySelector(".map-canvas")?.dataset.labels ?? "").split("|");
      return wanted.every((n) => written.includes(n));
    },
    names,
    { timeout: 20_000 },
  ).catch(() => {});
  return (await page.getAttribute(".map-canvas", "data-labels")).split("|");
}

test("the default view names Turkey, Iran, Russia and the capitals of the Caucasus", async () => {
  const page = await newPage(running.browser);
  const asked = [];
  page.on("request", (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(running.server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  const wanted = ["Turkey", "Iran", "Russia", "Azerbaijan", "Armenia", "Georgia", "Baku", "Yerevan", "Tbilisi"];
  const names = await labelled(page, wanted);
  await page.screenshot({ path: join(artifacts, "labels-default.png") });
  for (const n of wanted) assert.ok(names.includes(n), `${n} not named in ${names}`);
  assert.equal(new Set(names).size, names.length, "a name written twice");
  // At zoom 6 only the middle tier of towns is loaded; the small towns' cells wait for zoom 8.
  assert.ok(asked.some((p) => p.startsWith("/basemap/places-b/")), "no middle-tier cell asked");
  assert.ok(!asked.some((p) => p.startsWith("/basemap/places-c/")), "small towns asked at zoom 6");
  assert.deepEqual(page.errors, []);
});

test("zoomed on Nagorno-Karabakh the map names Stepanakert, Shusha, Lachin and the Aras", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?z=9.00&lat=39.7500&lon=46.6500");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  // The Aras, the southern front, runs down the Iranian border: drawn and named.
  const names = await labelled(page, ["Stepanakert", "Shusha", "Lachin", "Aras"]);
  for (const n of ["Stepanakert", "Shusha", "Lachin", "Aras"]) {
    assert.ok(names.includes(n), `${n} not named in ${names}`);
  }
  assert.ok(!names.includes("Khankendi"), "one name for Stepanakert");
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "labels-karabakh.png") });
  assert.deepEqual(page.errors, []);
});

test("on the plain of the Kura the map draws and names the Kura", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?z=8.00&lat=40.3500&lon=47.4500");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  // Drawn where a rayon boundary follows it, past Yevlakh and Zardab.
  const names = await labelled(page, ["Kura", "Zardab"]);
  await page.screenshot({ path: join(artifacts, "labels-kura.png") });
  assert.ok(names.includes("Kura"), `the Kura not named in ${names}`);
  assert.deepEqual(page.errors, []);
});

test("rivers, lakes and first-level divisions load by zoom and area", async () => {
  const page = await newPage(running.browser);
  const asked = [];
  page.on("request", (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(running.server.url + "/?z=3.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  await page.waitForFunction(() => /rivers:[1-9]/.test(document.querySelector(".map-canvas")?.dataset.overlay ?? ""));
  assert.ok(asked.includes("/basemap/overlay-110m.json"));
  assert.ok(!asked.some((p) => p.startsWith("/basemap/water50/")), "the 1:50m water asked at zoom 3");
  assert.ok(!asked.some((p) => p.startsWith("/basemap/admin1/")), "admin-1 asked at zoom 3");
  await page.goto(running.server.url + "/?z=7.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  await page.waitForFunction(() => /admin1:[1-9]/.test(document.querySelector(".map-canvas")?.dataset.overlay ?? ""), null, { timeout: 20_000 });
  const water = asked.filter((p) => p.startsWith("/basemap/water50/"));
  assert.ok(water.includes("/basemap/water50/40_30.json"), `${water}`);
  assert.ok(water.length <= 6, `only the view's water cells: ${water}`);
  const cells = asked.filter((p) => p.startsWith("/basemap/admin1/"));
  assert.ok(cells.includes("/basemap/admin1/40_30.json"), `${cells}`);
  assert.ok(cells.length <= 6, `only the view's cells: ${cells}`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "water-and-divisions.png") });
  assert.deepEqual(page.errors, []);
});

test("the legend gives every type's colour and shape, and opens and closes from the keyboard", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/");
  await hydrated(page);
  const legend = page.locator(".map-legend");
  assert.equal(await legend.getAttribute("open"), "");
  const fills = await page.$$eval(".map-legend li[data-type] svg :first-child", (shapes) =>
    shapes.map((s) => s.getAttribute("fill")),
  );
  // The Okabe–Ito palette, one colour a type.
  assert.deepEqual(fills, ["#d55e00", "#e69f00", "#cc79a7", "#0072b2", "#56b4e9", "#009e73", "#000000"]);
  await page.screenshot({ path: join(artifacts, "legend.png") });
  await page.focus(".map-legend summary");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => !document.querySelector(".map-legend").open);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".map-legend").open);
  assert.deepEqual(page.errors, []);
  // On a phone it starts closed, leaving the map in sight, and opens on a tap.
  const phone = await newPage(running.browser, { viewport: { width: 390, height: 800 }, hasTouch: true });
  await phone.goto(running.server.url + "/");
  await hydrated(phone);
  await phone.waitForFunction(() => !document.querySelector(".map-legend").open);
  await phone.tap(".map-legend summary");
  await phone.waitForFunction(() => document.querySelector(".map-legend").open);
  assert.deepEqual(phone.errors, []);
});
