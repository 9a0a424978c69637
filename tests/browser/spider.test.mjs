// Events on one spot fan out when clicked, and each one can then be selected: in a real browser
// against a real server with the demo events (several at Stepanakert). Screenshots go to
// ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

/** The fanned-out events the map drew: [{ id, x, y }] in canvas pixels. */
async function legs(page) {
  const text = (await page.getAttribute(".map-canvas", "data-spider")) ?? "";
  return text
    .split(";")
    .filter(Boolean)
    .map((leg) => {
      const [id, x, y] = leg.split(",").map(Number);
      return { id, x, y };
    });
}

test("the events at Stepanakert fan out on a click and each one opens", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/?z=12.00&lat=39.8177&lon=46.7528");
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  const box = await page.locator(".map-canvas").boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector(".map-canvas")?.dataset.spider);
  const fanned = await legs(page);
  const ids = new Set(fanned.map((l) => l.id));
  assert.ok(ids.size >= 2, `only ${ids.size} events fanned out`);
  assert.equal(ids.size, fanned.length, "an event fanned out twice");
  await page.screenshot({ path: join(artifacts, "spider.png") });
  for (const id of ids) {
    // Read again: selecting may pan the map to keep the event clear of the card.
    await page.waitForTimeout(500);
    const leg = (await legs(page)).find((l) => l.id === id);
    assert.ok(leg, `event ${id} folded back`);
    await page.mouse.click(box.x + leg.x, box.y + leg.y);
    await page.waitForFunction(
      (id) => new URLSearchParams(location.search).get("sel") === String(id),
      id,
      { timeout: 10_000 },
    );
    await page.waitForSelector(".event-card");
    // The fan stays open while its events are picked one after another.
    assert.equal((await legs(page)).length, fanned.length);
  }
  await page.locator(".map-canvas").focus();
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector(".map-canvas")?.dataset.spider);
  assert.deepEqual(page.errors, []);
});
