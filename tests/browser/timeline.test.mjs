// The timeline in a real browser against a real server with the demo events: bars stacked by
// type under an axis, a time range moved from the keyboard that stays put when a filter
// changes, and playback of a window of days. Screenshots go to ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, newPage, serverAndBrowser } from "./harness.mjs";

const running = serverAndBrowser();

const param = (page, key) => new URL(page.url()).searchParams.get(key);

test("bars are stacked by type under an axis of dates with the largest count", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/");
  await hydrated(page);
  await page.waitForSelector(".timeline .bars rect");
  const fills = new Set(await page.$$eval(".timeline .bars rect", (r) => r.map((e) => e.getAttribute("fill"))));
  assert.ok(fills.size >= 3, `the bars show ${fills.size} types`);
  const axis = await page.$$eval(".timeline-axis span", (s) => s.map((e) => e.textContent));
  assert.equal(axis.length, 3);
  assert.equal(axis[0], "2020-09-27");
  assert.match(await page.textContent(".timeline-max"), /^\d+ max$/);
  assert.match(await page.textContent(".timeline .bars rect title"), /\d{4}-\d\d-\d\d: \d+ events?/);
  await page.locator(".timeline").screenshot({ path: join(artifacts, "timeline.png") });
  assert.deepEqual(page.errors, []);
});

test("the keyboard moves and stretches the range, which stays put when a filter changes", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/");
  await hydrated(page);
  await page.waitForSelector(".timeline .bars rect");
  await page.focus(".timeline svg");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("from") === "2020-09-27");
  assert.equal(param(page, "to"), "2020-09-27");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("to") === "2020-09-29");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("from") === "2020-09-28");
  assert.equal(param(page, "to"), "2020-09-30");
  const brush = await page.getAttribute(".timeline .brush", "x");
  await page.check("input[name=type][value=battles]");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("type") === "battles");
  await page.waitForFunction(() => !document.querySelector(".status"));
  assert.equal(param(page, "from"), "2020-09-28");
  assert.equal(param(page, "to"), "2020-09-30");
  assert.equal(await page.getAttribute(".timeline .brush", "x"), brush, "the brush moved");
  await page.focus(".timeline svg");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("from"));
  assert.deepEqual(page.errors, []);
});

test("playback moves a window of days along the timeline, and pauses", async () => {
  const page = await newPage(running.browser);
  await page.goto(running.server.url + "/");
  await hydrated(page);
  await page.waitForSelector(".timeline .bars rect");
  const before = await page.evaluate(() => history.length);
  await page.fill(".playback .window", "3");
  await page.dispatchEvent(".playback .window", "change");
  await page.selectOption(".playback .speed", "4");
  await page.click(".playback .play");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("from") === "2020-09-27");
  assert.equal(param(page, "to"), "2020-09-29");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("from") === "2020-09-29", null, { timeout: 5_000 });
  assert.equal(param(page, "to"), "2020-10-01", "a window of three days");
  await page.screenshot({ path: join(artifacts, "playback.png") });
  await page.click(".playback .play");
  const paused = param(page, "from");
  await page.waitForTimeout(700);
  assert.equal(param(page, "from"), paused, "still moving after Pause");
  assert.ok((await page.evaluate(() => history.length)) - before <= 1, "playback filled the history");
  assert.deepEqual(page.errors, []);
});
