// The rough edges of issue 20 (points 16, 20, 21, 23 and 24), in a real browser against a real
// server: a skip link to the map, events opened from the map with the keyboard, Escape closing
// the card and the focus going back where it was; a link to an event that is not there says so
// in a sentence; the country filter names every country; numbers are grouped; the page, the API
// and the site's files come compressed. Screenshots go to ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

/** The demo events, as the API gives them. */
async function demoEvents() {
  const answer = await fetch(`${running.server.url}/api/events.geojson?limit=1000`);
  return (await answer.json()).features;
}

/** An event of the demo set on a town that no other event shares. */
async function lonelyEvent() {
  const features = await demoEvents();
  const key = (f) => f.geometry.coordinates.join(",");
  const counts = new Map();
  for (const f of features) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return features.find((f) => counts.get(key(f)) === 1 && f.properties.location_precision === "exact")
    ?? features.find((f) => counts.get(key(f)) === 1);
}

/** The class list of the focused element. */
async function focused(page) {
  return page.evaluate(() => [...(document.activeElement?.classList ?? [])].join(" "));
}

test("a skip link, Enter on the map's centre and Escape give the map to the keyboard", async () => {
  const event = await lonelyEvent();
  const [lon, lat] = event.geometry.coordinates;
  const page = await newPage(running.browser);
  await page.goto(`${running.server.url}/?z=10.00&lat=${lat.toFixed(4)}&lon=${lon.toFixed(4)}`);
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas")?.dataset.drawnEvents) > 0);
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "skip-link", "the first stop is the skip link");
  await page.screenshot({ path: join(artifacts, "skip-link.png") });
  await page.keyboard.press("Enter");
  assert.match(await focused(page), /map-canvas/);
  await page.screenshot({ path: join(artifacts, "map-keyboard-cross.png") });
  // The event lies at the centre: Enter opens its card.
  await page.keyboard.press("Enter");
  await page.waitForSelector(".event-card:not(.missing)");
  await page.waitForFunction((id) => new URLSearchParams(location.search).get("sel") === String(id), event.properties.id);
  // Escape closes it, and the map has the focus again.
  await page.focus(".event-card .close");
  await page.keyboard.press("Escape");
  await page.waitForSelector(".event-card", { state: "detached" });
  assert.match(await focused(page), /map-canvas/, "the focus goes back to the map");

  // Opened from its row in the list, the card gives the focus back to that row.
  const row = page.locator(`.event-row[data-event-id='${event.properties.id}']`);
  await row.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector(".event-card:not(.missing)");
  await page.keyboard.press("Escape");
  await page.waitForSelector(".event-card", { state: "detached" });
  assert.equal(
    await page.evaluate(() => document.activeElement?.dataset.eventId),
    String(event.properties.id),
    "the focus goes back to the row",
  );
  assert.deepEqual(page.errors, []);
});

test("a link to an event that is not there says so in a sentence", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?sel=999999");
  await hydrated(page);
  await page.waitForSelector(".event-card.missing", { timeout: 10_000 });
  const said = await page.textContent(".event-card.missing");
  assert.match(said, /Event 999999 is not on the map/);
  assert.match(said, /no event 999999/);
  assert.ok(!said.includes("{"), `no JSON: ${said}`);
  await page.screenshot({ path: join(artifacts, "missing-event.png") });
  await page.click(".event-card.missing .close");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("sel"));
  // 404s of the API are the page's own business: no other error.
  assert.ok(page.errors.every((e) => /404/.test(e)), page.errors.join("\n"));
});

test("the country filter names every country, whatever the events", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?country=AM");
  await hydrated(page);
  const options = await page.$$eval("#filter-country option", (o) => o.map((e) => [e.value, e.textContent]));
  assert.ok(options.length > 200, `${options.length} countries`);
  const names = new Map(options);
  assert.equal(names.get("IR"), "Iran");
  assert.equal(names.get("AZ"), "Azerbaijan");
  assert.equal(names.get("FJ"), "Fiji", "a country with no event");
  assert.equal(await page.inputValue("#filter-country"), "AM", "the filter keeps its country");
  assert.deepEqual(page.errors, []);
});

test("counts are grouped and the page, the API and the site come compressed", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"), null, { timeout: 30_000 });
  for (const path of ["/", "/api/events.geojson?limit=1000", "/api/events.csv", "/pkg/karta_bg.wasm", "/karta.css", "/basemap/countries-50m.json"]) {
    const answer = await fetch(running.server.url + path, { headers: { "Accept-Encoding": "gzip, br" } });
    assert.equal(answer.status, 200, path);
    assert.match(answer.headers.get("content-encoding") ?? "", /gzip|br/, `${path} compressed`);
  }
  const csv = await (await fetch(running.server.url + "/api/events.csv")).text();
  const header = csv.split("\n")[0];
  for (const column of ["source_count", "source_urls", "division"]) assert.ok(header.split(",").includes(column), header);
  // The division of each event's place, from the gazetteer: Moscow's is Moscow, Lachin's Lachin.
  const divisions = new Map(
    (await (await fetch(running.server.url + "/api/events.geojson")).json()).features.map((f) => [
      f.properties.place_name,
      f.properties.division,
    ]),
  );
  assert.equal(divisions.get("Lachin"), "Lachin", [...divisions].join("; "));
  assert.equal(divisions.get("Yerevan"), "Yerevan");
  assert.doesNotMatch(csv, /\d\.\d{7,}/, "no float noise in the CSV");
  assert.deepEqual(page.errors, []);
});
