// Exploring beyond the view: the raster tile layer (its URLs intercepted, no internet), a cluster
// listed and downloaded, a document's own page (with and without JavaScript), and the map
// going on across the antimeridian. Screenshots go to ARTIFACTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, hydrated, launch, listIds, newPage, startServer } from "./harness.mjs";

// A 1×1 PNG; the map scales it to a tile.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQI12P4z8AAAAMBAQAYs8nXAAAAAElFTkSuQmCC",
  "base64",
);
const TILES = "http://tiles.karta.test/{z}/{x}/{y}.png";

let server;
let tiled;
let browser;

before(async () => {
  server = await startServer();
  tiled = await startServer(["--tiles-url", TILES, "--tiles-attribution", "Test tiles ©"]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  tiled?.stop();
});

/** Answers every tile request of a URL pattern with the PNG and records the URLs asked for. */
async function serveTiles(page, pattern) {
  const asked = [];
  await page.route(pattern, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "image/png", body: PNG });
  });
  return asked;
}

/** Web Mercator: a longitude, latitude as pixels on the canvas of a page's map. */
async function screenOf(page, [lon, lat]) {
  const { z, clat, clon } = await page.evaluate(() => {
    const q = new URLSearchParams(location.search);
    return { z: Number(q.get("z")), clat: Number(q.get("lat")), clon: Number(q.get("lon")) };
  });
  const world = ([lo, la]) => {
    const r = (la * Math.PI) / 180;
    return [(lo + 180) / 360, (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2];
  };
  const box = await page.locator(".map-canvas").boundingBox();
  const scale = 256 * 2 ** z;
  const [x, y] = world([lon, lat]);
  const [cx, cy] = world([clon, clat]);
  return [box.x + box.width / 2 + (x - cx) * scale, box.y + box.height / 2 + (y - cy) * scale];
}

test("the tile layer is off by default and, turned on, draws the configured tiles with their attribution", async () => {
  const page = await newPage(browser);
  const asked = await serveTiles(page, "http://tiles.karta.test/**");
  await page.goto(tiled.url + "/?z=6.00&lat=40.3000&lon=46.5000");
  await hydrated(page);
  assert.equal(await page.textContent(".attribution"), "Basemap: Natural Earth · names: GeoNames");
  assert.equal(await page.getAttribute(".tiles-toggle", "aria-pressed"), "false");
  await page.waitForTimeout(300);
  assert.deepEqual(asked, [], "no tile is asked for while the layer is off");
  await page.click(".tiles-toggle");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("tiles") === "1");
  await page.waitForFunction(() => document.querySelector(".attribution").textContent.includes("Test tiles ©"));
  assert.equal(await page.getAttribute(".tiles-toggle", "aria-pressed"), "true");
  for (let i = 0; i < 50 && asked.length === 0; i++) await page.waitForTimeout(100);
  assert.ok(asked.length > 0, "turning the layer on asks for tiles");
  // Zoom 6 around 46.5°E 40.3°N: the tiles of columns near 40 and rows near 23, from the template.
  const tiles = asked.map((u) => u.match(/^http:\/\/tiles\.karta\.test\/(\d+)\/(\d+)\/(\d+)\.png$/));
  assert.ok(tiles.every(Boolean), `URLs of the template: ${asked}`);
  assert.ok(tiles.every((m) => m[1] === "6"), `zoom 6: ${asked}`);
  assert.ok(tiles.some((m) => m[2] === "40" && m[3] === "23"), `the centre's tile: ${asked}`);
  assert.ok(tiles.every((m) => Math.abs(m[2] - 40) <= 3 && Math.abs(m[3] - 24) <= 3), `${asked}`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "tiles.png") });
  // Panning asks for the tiles coming into view, not again for those it has.
  const before = new Set(asked);
  const box = await page.locator(".map-canvas").boundingBox();
  await page.mouse.move(box.x + 400, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 100, box.y + 300, { steps: 6 });
  await page.mouse.up();
  await page.waitForTimeout(500);
  const fresh = asked.slice(before.size);
  assert.ok(fresh.length > 0 && fresh.every((u) => !before.has(u)), `new tiles only: ${fresh}`);
  // Zooming in asks for the next level's tiles.
  const seen = asked.length;
  await page.click("button[aria-label='Zoom in']");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("z") === "7.00");
  for (let i = 0; i < 50 && asked.length === seen; i++) await page.waitForTimeout(100);
  const closer = asked.slice(seen);
  assert.ok(closer.length > 0 && closer.every((u) => u.startsWith("http://tiles.karta.test/7/")), `${closer}`);
  await page.click(".tiles-toggle");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("tiles"));
  assert.equal(await page.textContent(".attribution"), "Basemap: Natural Earth · names: GeoNames");
  assert.deepEqual(page.errors, []);
});

test("tiles that fail to load (offline) are said so, and the basemap stays", async () => {
  const page = await newPage(browser);
  await page.route("http://tiles.karta.test/**", (route) => route.abort("internetdisconnected"));
  await page.goto(tiled.url + "/?z=6.00&lat=40.3000&lon=46.5000&tiles=1");
  await hydrated(page);
  await page.locator(".tiles-toggle", { hasText: "Map tiles: unavailable" }).waitFor();
  assert.match(await page.textContent(".attribution"), /cannot be loaded.*Natural Earth/);
  await page.click(".tiles-toggle");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("tiles"));
  assert.equal(await page.textContent(".tiles-toggle"), "Map tiles");
  assert.equal(await page.textContent(".attribution"), "Basemap: Natural Earth · names: GeoNames");
});

test("OpenStreetMap is the default tile source, and an empty --tiles-url offers none", async () => {
  const page = await newPage(browser);
  const asked = await serveTiles(page, "https://tile.openstreetmap.org/**");
  await page.goto(server.url + "/?z=5.00&lat=40.3000&lon=46.5000&tiles=1");
  await hydrated(page);
  await page.waitForFunction(() => document.querySelector(".attribution").textContent.includes("OpenStreetMap"));
  for (let i = 0; i < 50 && asked.length === 0; i++) await page.waitForTimeout(100);
  assert.ok(asked.length > 0);
  assert.ok(asked.every((u) => /^https:\/\/tile\.openstreetmap\.org\/5\/\d+\/\d+\.png$/.test(u)), `${asked}`);
  assert.deepEqual(page.errors, []);
  const none = await startServer(["--tiles-url="]);
  try {
    const plain = await newPage(browser);
    await plain.goto(none.url + "/?tiles=1");
    await hydrated(plain);
    assert.equal(await plain.locator(".tiles-toggle").count(), 0);
    assert.equal(await plain.textContent(".attribution"), "Basemap: Natural Earth · names: GeoNames");
    assert.deepEqual(plain.errors, []);
  } finally {
    none.stop();
  }
});

/** The cluster drawn around Stepanakert, found by its tooltip: { x, y, n } or null. */
async function findCluster(page, tooltip) {
  const [sx, sy] = await screenOf(page, [46.75, 39.82]);
  for (let r = 0; r <= 40; r += 4) {
    for (let a = 0; a < 360; a += r === 0 ? 360 : 30) {
      const x = sx + r * Math.cos((a * Math.PI) / 180);
      const y = sy + r * Math.sin((a * Math.PI) / 180);
      await page.mouse.move(x, y);
      const tip = await page.locator(".tooltip").textContent({ timeout: 200 }).catch(() => "");
      const m = tip.match(tooltip);
      if (m) return { x, y, n: Number(m[1]) };
    }
  }
  return null;
}

test("a cluster clicked on the map is listed and downloads as exactly its events", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?z=5.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  const viewIds = await listIds(page);
  const found = await findCluster(page, /^(\d+) events: click to list them/);
  assert.ok(found, "a cluster is drawn near Stepanakert at zoom 5");
  const address = page.url();
  await page.mouse.click(found.x, found.y);
  await page.waitForSelector(".cluster-bar");
  assert.equal(await page.textContent(".cluster-title"), `Cluster of ${found.n} events`);
  assert.match(await page.textContent("#list-title"), new RegExp(`^${found.n} events in the cluster`));
  const ids = await listIds(page);
  assert.equal(ids.length, found.n);
  assert.ok(found.n < viewIds.length && ids.every((id) => viewIds.includes(id)), "a part of the view");
  assert.equal(page.url(), address, "listing a cluster does not move the map");
  await page.screenshot({ path: join(artifacts, "cluster.png") });
  const geojsonHref = await page.getAttribute(".cluster-actions a[download$='.geojson']", "href");
  assert.match(geojsonHref, /^\/api\/events\.geojson\?ids=[\d,-]+&download=1$/);
  const geojson = await (await page.request.get(server.url + geojsonHref)).json();
  const downloaded = geojson.features.map((f) => f.properties.id).sort((a, b) => a - b);
  assert.deepEqual(downloaded, [...ids].sort((a, b) => a - b));
  const csvHref = await page.getAttribute(".cluster-actions a[download$='.csv']", "href");
  const csv = await (await page.request.get(server.url + csvHref)).text();
  assert.equal(csv.trim().split("\n").length, found.n + 1, "a header and one line per event");
  await page.click(".back-to-view");
  await page.waitForSelector(".cluster-bar", { state: "detached" });
  assert.match(await page.textContent("#list-title"), /events? in view/);
  assert.deepEqual(await listIds(page), viewIds);
  assert.deepEqual(page.errors, []);
});

test("in the embed, which has no list, a cluster clicked zooms in", async () => {
  const page = await newPage(browser, { viewport: { width: 700, height: 450 } });
  await page.goto(server.url + "/embed?z=5.00&lat=40.0000&lon=46.5000");
  await hydrated(page);
  const found = await findCluster(page, /^(\d+) events: click to zoom in/);
  assert.ok(found, "a cluster is drawn near Stepanakert at zoom 5");
  await page.mouse.click(found.x, found.y);
  await page.waitForFunction(() => new URLSearchParams(location.search).get("z") === "7.00");
  assert.deepEqual(page.errors, []);
});

test("the event card links to the document's page, which works without JavaScript", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.locator(".event-row", { hasText: "shelled Stepanakert" }).first().click();
  await page.waitForSelector(".event-card");
  const href = await page.getAttribute(".event-card a:has-text('Whole document')", "href");
  assert.match(href, /^\/documents\/\d+$/);
  assert.deepEqual(page.errors, []);

  const plain = await newPage(browser, { javaScriptEnabled: false });
  const response = await plain.goto(server.url + href);
  assert.equal(response.status(), 200);
  assert.equal(await plain.textContent("#document-title"), "Fighting breaks out along the Karabakh line of contact");
  assert.match(await plain.textContent(".document-meta"), /Published\s*2020-09-27/);
  const places = await plain.$$eval(".document-text mark.place", (m) => m.map((e) => e.textContent));
  assert.ok(places.includes("Stepanakert") && places.includes("Baku"), `${places}`);
  const events = await plain.$$eval(".document-event", (e) => e.map((li) => Number(li.dataset.eventId)));
  assert.ok(events.length > 0);
  await plain.screenshot({ path: join(artifacts, "document.png"), fullPage: true });
  // Back to the map centred on the document's events, which the list (server-rendered) shows.
  await plain.click(".document-links a.button");
  const shown = await listIds(plain);
  assert.ok(events.every((id) => shown.includes(id)), `${events} within ${shown}`);
  const missing = await plain.goto(server.url + "/documents/999999");
  assert.equal(missing.status(), 404);
  assert.match(await plain.textContent("h1"), /No such document/);
});

test("one strike reported in French and in English is one point whose card lists both sources", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?q=missile");
  await hydrated(page);
  await page.locator(".event-row", { hasText: "Gandja" }).first().click();
  const sources = page.locator(".event-card .sources");
  await sources.waitFor();
  assert.equal(await sources.locator("h3").textContent(), "2 sources");
  const items = await sources.locator("li").allTextContents();
  assert.equal(items.length, 2);
  assert.match(items[0], /Une frappe nocturne sur Gandja/);
  assert.match(items[1], /Missile strike on Ganja kills nine civilians.*9 killed, 34 wounded/);
  assert.match(await page.textContent(".event-card dl"), /Toll\s*9 killed, 34 wounded/);
  assert.equal(await page.locator(".event-row", { hasText: "Ganja overnight, killing nine" }).count(), 0);
  await page.screenshot({ path: join(artifacts, "two-sources.png") });
  assert.deepEqual(page.errors, []);
});

test("a document's source links out, and an event's link selects it on the map", async () => {
  const token = execFileSync(process.env.KARTA_BIN, ["token", "create", "--db", join(server.dir, "karta.db")], {
    stdio: ["ignore", "pipe", "ignore"],
  })
    .toString()
    .trim();
  const page = await newPage(browser);
  const created = await page.request.post(server.url + "/api/documents", {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title: "Protest in Gyumri",
      url: "https://news.example/gyumri",
      lang: "en",
      published: "2020-11-10",
      text: "Thousands protested in Gyumri on Tuesday against the ceasefire agreement.",
    },
  });
  assert.equal(created.status(), 201);
  const id = (await created.json()).document.id;
  await page.goto(`${server.url}/documents/${id}`);
  assert.equal(await page.getAttribute(".document-meta a", "href"), "https://news.example/gyumri");
  const onMap = await page.getAttribute(".document-event a", "href");
  const eventId = await page.getAttribute(".document-event", "data-event-id");
  assert.match(onMap, new RegExp(`sel=${eventId}`));
  await page.click(".document-event a");
  await hydrated(page);
  await page.waitForSelector(".event-card");
  assert.match(await page.textContent(".event-card .sentence"), /Gyumri/);
  assert.deepEqual(page.errors, []);
});

test("the map goes on across the antimeridian: panning wraps the world, lists see both sides", async () => {
  // Two events on either side of 180°, imported into the server's database (it picks up writes
  // of other processes within seconds).
  const file = join(server.dir, "pacific.geojson");
  const point = (id, lon, lat, place) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [lon, lat] },
    properties: { event_type: "protests", date: "2020-11-12", place_name: place, sentence: `A protest in ${place}.`, id },
  });
  writeFileSync(file, JSON.stringify({
    type: "FeatureCollection",
    features: [point("suva", 178.44, -18.14, "Suva"), point("apia", -171.76, -13.83, "Apia")],
  }));
  execFileSync(process.env.KARTA_BIN, ["import", file, "--db", join(server.dir, "karta.db")], { stdio: "ignore" });
  const across = "/?z=5.00&lat=-16.0000&lon=180.0000";
  const page = await newPage(browser);
  for (let i = 0; i < 40; i++) {
    await page.goto(server.url + across);
    const places = await page.$$eval(".event-row strong", (s) => s.map((e) => e.textContent));
    if (places.includes("Suva") && places.includes("Apia")) break;
    await page.waitForTimeout(250);
  }
  // The server's list (a bbox whose west edge is east of its east edge) holds both sides…
  assert.deepEqual((await page.$$eval(".event-row strong", (s) => s.map((e) => e.textContent))).sort(), ["Apia", "Suva"]);
  // … and so does the browser's, and the download link of the view.
  await hydrated(page);
  const listed = await listIds(page);
  assert.equal(listed.length, 2);
  // The link follows the settled view, which hydration may still be settling on a loaded machine.
  let downloaded = [];
  for (let i = 0; i < 20; i++) {
    const href = await page.getAttribute("a[download='karta-events.geojson']", "href");
    const geojson = await (await page.request.get(server.url + href)).json();
    downloaded = geojson.features.map((f) => f.properties.id).sort();
    if (downloaded.length === listed.length) break;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(downloaded, [...listed].sort());

  // Dragging west to east across 180° moves on smoothly, into a longitude within -180..180.
  await page.goto(server.url + "/?z=3.00&lat=0.0000&lon=170.0000");
  await hydrated(page);
  const box = await page.locator(".map-canvas").boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  // At zoom 3 the world is 2048 px around: 200 px are about 35°.
  await page.mouse.move(x, y);
  assert.match(await page.textContent(".coords"), /, 170\.0000$/);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(x - 20 * i, y);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  // The place under the cursor moved with it across 180°: 170°E is still under it.
  await page.mouse.move(x - 200, y + 1);
  assert.match(await page.textContent(".coords"), /, 170\.0000$/);
  await page.waitForFunction(() => new URLSearchParams(location.search).get("lon") !== "170.0000");
  const lon = Number(new URL(page.url()).searchParams.get("lon"));
  const expected = 170 + (200 / 2048) * 360 - 360;
  assert.ok(Math.abs(lon - expected) < 0.5, `lon ${lon}, expected about ${expected}`);
  await page.screenshot({ path: join(artifacts, "antimeridian.png") });
  await page.reload();
  await hydrated(page);
  assert.equal(Number(new URL(page.url()).searchParams.get("lon")), lon);
  assert.deepEqual(page.errors, []);
});
