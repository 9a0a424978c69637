// Reference layers (issue 20, point 3): an editor adds a GeoJSON file of a line and an outline
// from the map; it is listed with a switch, drawn under the events, part of the address, and
// still there after a reload; a file karta does not take says why. Screenshots go to ARTIFACTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, databaseWithToken, hydrated, launch, newPage, startServer } from "./harness.mjs";

let server;
let browser;
let token;

before(async () => {
  const made = databaseWithToken("editor");
  token = made.token;
  server = await startServer([], {}, made.db);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A sketch of a line across Nagorno-Karabakh and an outline around Shusha (2 features). */
const SKETCH = JSON.stringify({
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { name: "line" },
      geometry: { type: "LineString", coordinates: [[46.45, 40.2], [46.7, 39.95], [46.85, 39.6], [47.0, 39.35]] },
    },
    {
      type: "Feature",
      properties: { name: "Shusha" },
      geometry: { type: "Polygon", coordinates: [[[46.7, 39.7], [46.83, 39.7], [46.83, 39.8], [46.7, 39.8], [46.7, 39.7]]] },
    },
  ],
});

/** How many parts of reference layers the map's last frame drew. */
async function drawnParts(page) {
  return Number(await page.getAttribute(".map-canvas", "data-references"));
}

/**
 * Adds SKETCH under `name` from the map's form; no token is kept yet in a new page, so the form
 * asks for one, then adds the file with it.
 */
async function addSketch(page, name) {
  await page.click(".add-reference summary");
  await page.fill("input[name=reference-name]", name);
  await page.setInputFiles("input[name=reference-file]", {
    name: "sketch.geojson",
    mimeType: "application/geo+json",
    buffer: Buffer.from(SKETCH),
  });
  await page.click(".add-reference form button[type=submit]");
  await page.waitForSelector(".add-reference .token-prompt");
  await page.fill(".add-reference .token-prompt input[name=token]", token);
  await page.click(".add-reference .token-prompt button[type=submit]");
}

/** The page's console errors but the refusals the test asks for (401 before the token, 400). */
function unexpected(errors) {
  return errors.filter((e) => !/status of 40[01]/.test(e));
}

test("an editor adds a GeoJSON file, drawn under the events, listed and kept in the address", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?z=8.00&lat=39.8153&lon=46.7519");
  await hydrated(page);
  await page.waitForSelector(".references .hint");
  await addSketch(page, "Line of contact (sketch)");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("ref") === "1");
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas").dataset.references) === 2);
  const row = page.locator(".reference-list li", { hasText: "Line of contact (sketch)" });
  assert.match(await row.textContent(), /2 features/);
  assert.ok(await row.locator("input[type=checkbox]").isChecked());
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "reference-layer.png") });

  // The address keeps it: a reload draws it again.
  await page.reload();
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas").dataset.references) === 2);
  assert.ok(await page.locator(".reference-list input[type=checkbox]").first().isChecked());

  // Its switch takes it off the map and out of the address.
  await page.locator(".reference-list input[type=checkbox]").first().uncheck();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("ref"));
  assert.equal(await drawnParts(page), 0);

  // A file that is not longitudes and latitudes is refused with the reason.
  await page.click(".add-reference summary");
  await page.fill("input[name=reference-name]", "Projected");
  await page.setInputFiles("input[name=reference-file]", {
    name: "projected.geojson",
    mimeType: "application/geo+json",
    buffer: Buffer.from('{"type":"Point","coordinates":[5200000,4400000]}'),
  });
  await page.click(".add-reference form button[type=submit]");
  await page.waitForFunction(() => /longitude, latitude/.test(document.querySelector(".reference-status")?.textContent ?? ""));
  assert.equal(await page.locator(".reference-list li").count(), 1);
  assert.deepEqual(unexpected(page.errors), []);
});

test("a layer is removed for everyone once confirmed, with a token", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?z=8.00&lat=39.8153&lon=46.7519");
  await hydrated(page);
  await addSketch(page, "Old outline");
  const row = page.locator(".reference-list li", { hasText: "Old outline" });
  await row.waitFor();
  const id = await page.evaluate(() => new URLSearchParams(location.search).get("ref").split(",").pop());

  // Keeping it leaves it there; removing it asks first, then takes it off the list, the map,
  // the address and the server.
  await row.getByRole("button", { name: "Remove Old outline" }).click();
  await row.getByRole("button", { name: "Keep it" }).click();
  assert.equal(await row.locator(".confirm").count(), 0);
  await row.getByRole("button", { name: "Remove Old outline" }).click();
  await page.screenshot({ path: join(artifacts, "reference-remove.png") });
  await row.locator(".confirm").getByRole("button", { name: "Remove", exact: true }).click();
  await row.waitFor({ state: "detached" });
  await page.waitForFunction((gone) => !(new URLSearchParams(location.search).get("ref") ?? "").split(",").includes(gone), id);
  const answer = await fetch(`${server.url}/api/references/${id}`);
  assert.equal(answer.status, 404);
  assert.deepEqual(unexpected(page.errors), []);
});
