// The card never hides the selected event, in a real browser against a real server: an event
// opened under the card (from the address or the list) is flown into the part of the map the
// card leaves in sight, on a wide screen and on a phone. Screenshots go to ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

/** An event of the demo placed on a town: its id and `[lon, lat]`. */
async function townEvent() {
  const features = (await (await fetch(`${running.server.url}/api/events.geojson?precision=1`)).json()).features;
  const f = features.find((f) => f.geometry.type === "Point" && /Stepanakert/.test(f.properties.place_name))
    ?? features.find((f) => f.geometry.type === "Point");
  return { id: f.properties.id, at: f.geometry.coordinates };
}

/** The selected event's point and the card's box, on the map, once the map is still. */
async function placement(page) {
  await page.waitForSelector(".event-card");
  await page.waitForTimeout(900);
  return page.evaluate(() => {
    const canvas = document.querySelector(".map-canvas");
    const m = canvas.getBoundingClientRect();
    const c = document.querySelector(".event-card").getBoundingClientRect();
    const [x, y] = (canvas.dataset.selectedAt ?? "").split(",").map(Number);
    return {
      at: [x, y],
      map: [m.width, m.height],
      card: [c.left - m.left, c.top - m.top, c.right - m.left, c.bottom - m.top],
    };
  });
}

/** Whether a point is on the map and clear of the card's box. */
function inSight({ at: [x, y], map: [w, h], card: [l, t, r, b] }) {
  const onMap = x > 0 && y > 0 && x < w && y < h;
  const underCard = x > l - 6 && x < r + 6 && y > t - 6 && y < b + 6;
  return onMap && !underCard;
}

test("an event opened under the card is flown beside it", async () => {
  const { id, at } = await townEvent();
  const page = await newPage(running.browser);
  // At zoom 8, 1.6° east of the centre is about 290 pixels right of it: under the card.
  const lon = (at[0] - 1.6).toFixed(4);
  await page.goto(`${running.server.url}/?z=8.00&lat=${at[1].toFixed(4)}&lon=${lon}&sel=${id}`);
  await hydrated(page);
  const start = await page.evaluate(() => {
    const r = document.querySelector(".map-canvas").getBoundingClientRect();
    return [r.width, r.height];
  });
  const first = [start[0] / 2 + 1.6 * (256 * 2 ** 8) / 360, start[1] / 2];
  const placed = await placement(page);
  assert.ok(
    !inSight({ ...placed, at: first }),
    `the address put the event under the card (${first}, card ${placed.card}): the test would prove nothing`,
  );
  assert.ok(inSight(placed), `the event is in sight: ${JSON.stringify(placed)}`);
  await page.screenshot({ path: join(artifacts, "card-beside-event.png") });

  // Chosen from the list, another event lands beside the card too.
  await page.click("button[aria-label='Close the event card']");
  await page.locator(".event-row").nth(1).click();
  assert.ok(inSight(await placement(page)), "an event from the list is in sight");
  assert.deepEqual(page.errors, []);
});

test("on a phone the card is a sheet along the bottom and the event stays above it", async () => {
  const { id, at } = await townEvent();
  const page = await newPage(running.browser, { viewport: { width: 390, height: 800 }, hasTouch: true });
  // 0.6° south of the event: it starts about 140 pixels below the centre, under the sheet.
  const lat = at[1] + 0.6;
  await page.goto(`${running.server.url}/?z=8.00&lat=${lat.toFixed(4)}&lon=${at[0].toFixed(4)}&sel=${id}`);
  await hydrated(page);
  const mercator = (d) => Math.log(Math.tan(Math.PI / 4 + (d * Math.PI) / 360));
  const below = ((mercator(lat) - mercator(at[1])) / (2 * Math.PI)) * 256 * 2 ** 8;
  const placed = await placement(page);
  const first = [placed.map[0] / 2, placed.map[1] / 2 + below];
  assert.ok(!inSight({ ...placed, at: first }), `the event started under the sheet: ${first}, ${placed.card}`);
  assert.ok(placed.card[1] > placed.map[1] * 0.4, `the card leaves the map's top in sight: ${placed.card}`);
  assert.ok(inSight(placed), `the event is in sight: ${JSON.stringify(placed)}`);
  await page.screenshot({ path: join(artifacts, "card-sheet-phone.png") });
  assert.deepEqual(page.errors, []);
});
