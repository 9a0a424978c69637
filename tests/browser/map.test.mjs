// The map in a real browser against a real server: it hydrates and shows the demo events, the
// filters live in the address, the list and the download agree, and the page works without
// JavaScript. Screenshots go to ARTIFACTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, hydrated, launch, listIds, newPage, seriousViolations, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test("the map hydrates and shows the demo events near Baku, Yerevan and Stepanakert", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"), null, { timeout: 30_000 });
  const heading = await page.textContent("#list-title");
  assert.match(heading, /\d+ events? in view/);
  const places = await page.$$eval(".event-row strong", (s) => s.map((e) => e.textContent));
  // Places go by their usual English name: Stepanakert, not GeoNames' Khankendi.
  for (const place of ["^Stepanakert$", "^Baku$", "^Yerevan$"]) {
    assert.ok(places.some((p) => new RegExp(place).test(p)), `no event at ${place} in ${places}`);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "map.png") });
  copyFileSync(join(artifacts, "map.png"), join(artifacts, "readme-screenshot.png"));
  // Clicking a row selects the event and opens its card, its place names highlighted.
  await page.locator(".event-row", { hasText: "shelled Stepanakert" }).first().click();
  await page.waitForSelector(".event-card");
  await page.waitForFunction(() => new URLSearchParams(location.search).has("sel"));
  await page.waitForSelector(".event-card mark.place", { timeout: 10_000 });
  assert.equal(await page.textContent(".event-card mark.place"), "Stepanakert");
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(artifacts, "event-card.png") });
  assert.deepEqual(page.errors, []);
});

test("the list and the card name places in English, the card with the words of the text", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"), null, { timeout: 30_000 });
  const places = await page.$$eval(".event-row strong", (s) => s.map((e) => e.textContent));
  for (const local of ["Khankendi", "Xankəndi", "Shusha City", "Şuşa", "Erevan"]) {
    assert.ok(!places.includes(local), `${local} is not a name of the list: ${places}`);
  }
  // A French report writes «Choucha»: the list says Shusha, the card both.
  const row = page.locator(".event-row", { hasText: "Choucha" }).first();
  assert.equal(await row.locator("strong").textContent(), "Shusha");
  await row.click();
  await page.waitForSelector(".event-card .written-as", { timeout: 10_000 });
  const where = await page.textContent(".event-card .event-where");
  assert.match(where, /Shusha/);
  assert.match(where, /Choucha in the text/);
  await page.screenshot({ path: join(artifacts, "english-names.png") });
  assert.deepEqual(page.errors, []);
});

test("the card lists the place's other names, in the scripts of the war, from the keyboard", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"), null, { timeout: 30_000 });
  await page.locator(".event-row", { hasText: "shelled Stepanakert" }).first().click();
  await page.waitForSelector(".event-card .other-names summary", { timeout: 10_000 });
  await page.focus(".event-card .other-names summary");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".event-card .other-names-list li", { timeout: 10_000 });
  const names = await page.$$eval(".other-names-list li > span:first-child", (s) => s.map((e) => e.textContent));
  // Spelled as the gazetteer's record spells it where one of its names folds to the key
  // (Khankendi), else folded with first letters raised (Xankandi).
  for (const name of ["Khankendi", "Xankandi", "Степанакерт", "Ստեփանակերտ"]) {
    assert.ok(names.includes(name), `${name} not among ${names}`);
  }
  assert.ok(!names.includes("Stepanakert"), "the name the card shows is not repeated");
  assert.ok(names.some((n) => /[\u0600-\u06ff]/.test(n)), `no name in Arabic script: ${names}`);
  const armenian = page.locator(".other-names-list li", { hasText: "Ստեփանակերտ" });
  assert.match(await armenian.textContent(), /\(.*hy.*\)/, "its language");
  assert.equal(await armenian.locator("span[lang]").first().getAttribute("lang"), "hy");
  await page.screenshot({ path: join(artifacts, "other-names.png") });
  assert.deepEqual(await seriousViolations(page), []);
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await seriousViolations(page), [], "in dark mode too");
  assert.deepEqual(page.errors, []);
});

test("a filter changes the address, a reload restores it, back undoes it", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  const all = await listIds(page);
  await page.check("input[name=type][value=battles]");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("type") === "battles");
  await page.waitForFunction(() => !document.querySelector(".status"));
  const battles = await listIds(page);
  assert.ok(battles.length > 0 && battles.length < all.length, `${battles.length} of ${all.length}`);
  const address = page.url();
  await page.reload();
  await hydrated(page);
  assert.equal(page.url(), address);
  assert.ok(await page.isChecked("input[name=type][value=battles]"));
  assert.deepEqual(await listIds(page), battles);
  await page.goBack();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("type"));
  assert.ok(!(await page.isChecked("input[name=type][value=battles]")));
  assert.deepEqual(page.errors, []);
});

test("coarse places are rings, the card says how precise, and the Places filter hides them", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  const all = await listIds(page);
  await page.locator(".event-row", { hasText: "groupe de Minsk" }).first().click();
  await page.waitForSelector(".event-card");
  assert.match(await page.textContent(".event-card dl"), /Where\s*(somewhere in|from the document)/);
  await page.screenshot({ path: join(artifacts, "coarse-ring.png") });
  await page.selectOption("#filter-precision", "1");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("precision") === "1");
  await page.waitForFunction(() => !document.querySelector(".status"));
  const towns = await listIds(page);
  assert.ok(towns.length > 0 && towns.length < all.length, `${towns.length} of ${all.length}`);
  await page.reload();
  await hydrated(page);
  assert.equal(await page.inputValue("#filter-precision"), "1");
  assert.deepEqual(page.errors, []);
});

test("Copy link copies the view's address, on a page without the clipboard API too", async () => {
  for (const secure of [true, false]) {
    const page = await newPage(browser);
    // A karta reached over plain HTTP is not a secure context: no navigator.clipboard there.
    if (!secure) {
      await page.addInitScript(() => {
        Object.defineProperty(window, "isSecureContext", { get: () => false });
        Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined });
      });
    }
    await page.goto(server.url + "/?q=Ganja");
    await hydrated(page);
    await page.click("button:has-text('Copy link')");
    await page.locator("button:has-text('Link copied')").waitFor();
    assert.deepEqual(page.errors, [], `secure context: ${secure}`);
  }
});

test("the list matches the map and the download is the same events as GeoJSON", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?z=7.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  const ids = await listIds(page);
  assert.ok(ids.length > 0);
  const href = await page.getAttribute("a[download='karta-events.geojson']", "href");
  const response = await page.request.get(server.url + href);
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-type"], /application\/geo\+json/);
  const geojson = await response.json();
  assert.equal(geojson.type, "FeatureCollection");
  for (const f of geojson.features) {
    assert.equal(f.type, "Feature");
    assert.ok(["Point", "LineString"].includes(f.geometry.type));
  }
  const downloaded = geojson.features.map((f) => f.properties.id).sort((a, b) => a - b);
  assert.deepEqual(downloaded, [...ids].sort((a, b) => a - b));
  const kmlHref = await page.getAttribute("a[download='karta-events.kml']", "href");
  assert.equal(kmlHref, href.replace("/api/events.geojson?", "/api/events.kml?"));
  const kml = await (await page.request.get(server.url + kmlHref)).text();
  assert.equal(kml.split("<Placemark ").length - 1, ids.length, "a placemark per event");
  const feedHref = await page.getAttribute("a[type='application/atom+xml']", "href");
  const query = href.replace("/api/events.geojson?", "").replace("&download=1", "");
  assert.equal(feedHref, "/api/events.atom?" + query, "the feed of the view's query");
  const feed = await page.request.get(server.url + feedHref);
  assert.match(feed.headers()["content-type"], /application\/atom\+xml/);
  const entries = [...(await feed.text()).matchAll(/<id>tag:[^<]*:event\/(\d+)<\/id>/g)];
  assert.equal(entries.length, Math.min(ids.length, 50));
  assert.ok(entries.every((m) => ids.includes(Number(m[1]))), "the feed's events are the view's");
  assert.deepEqual(page.errors, []);
});

test("dragging and zooming the map move the view in the address", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  const box = await page.locator(".map-canvas").boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 200, y - 50, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => new URLSearchParams(location.search).get("lon") !== "46.5000");
  const lon = Number(new URL(page.url()).searchParams.get("lon"));
  assert.ok(lon > 46.5, `dragging left moves the view east, got lon=${lon}`);
  await page.click("button[aria-label='Zoom in']");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("z") === "7.00");
  await page.locator(".map-canvas").focus();
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get("lat")) < 40.3);
  assert.deepEqual(page.errors, []);
});

test("without JavaScript the page lists the events of the view and links to the GeoJSON", async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + "/?z=6.00&lat=40.3000&lon=46.5000&type=battles");
  const ids = await listIds(page);
  assert.ok(ids.length > 0);
  const link = await page.getAttribute(".geojson-link a", "href");
  assert.match(link, /^\/api\/events\.geojson\?bbox=.*type=battles/);
  await page.screenshot({ path: join(artifacts, "no-javascript.png") });
});

test("the embed shows the map without the side panels", async () => {
  const page = await newPage(browser, { viewport: { width: 700, height: 450 } });
  await page.goto(server.url + "/embed?z=7.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  assert.equal(await page.locator(".filters").count(), 0);
  assert.equal(await page.locator(".map-canvas").count(), 1);
  await page.screenshot({ path: join(artifacts, "embed.png") });
  assert.deepEqual(page.errors, []);
});

test("the phone layout stacks the map above the list", async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 800 }, hasTouch: true });
  await page.goto(server.url + "/");
  await hydrated(page);
  const map = await page.locator(".map-area").boundingBox();
  const list = await page.locator(".list-side").boundingBox();
  assert.ok(list.y >= map.y + map.height - 1);
  await page.screenshot({ path: join(artifacts, "phone.png") });
  assert.deepEqual(page.errors, []);
});
