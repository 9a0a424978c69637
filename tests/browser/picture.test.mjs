// The view as a picture, in a real browser against a real server: "Save as PNG" gives the map
// with its title, time range, sources' count, legend (the event types, the marks of who checked
// them, the reference layers shown) and attribution; "Print" prints the map, its legend and the
// same caption without the panels. The PNG, a screenshot of the print layout and its PDF go to
// ARTIFACTS.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, databaseWithToken, hydrated, launch, newPage, startServer } from "./harness.mjs";

const running = {};
let token;

before(async () => {
  const made = databaseWithToken("editor");
  token = made.token;
  running.server = await startServer([], {}, made.db);
  running.browser = await launch();
});

after(async () => {
  await running.browser?.close();
  running.server?.stop();
});

/** Adds a reference layer of one line along the Lachin road; resolves to its id. */
async function addCorridor() {
  const line = { type: "LineString", coordinates: [[45.6, 39.6], [46.2, 39.65], [46.55, 39.75]] };
  const answer = await fetch(`${running.server.url}/api/references?name=Lachin%20corridor`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/geo+json" },
    body: JSON.stringify(line),
  });
  assert.equal(answer.status, 201);
  return (await answer.json()).id;
}

/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG signature");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Opens the Karabakh view with its events drawn. */
async function karabakh(page, extra = "") {
  await page.goto(running.server.url + "/?z=7.00&lat=39.8153&lon=46.7519" + extra);
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas")?.dataset.drawnEvents) > 0);
  await page.waitForFunction(() => !document.querySelector(".status"));
}

test("Save as PNG gives the map with its caption, legend and attribution", async () => {
  const page = await newPage(running.browser);
  const corridor = await addCorridor();
  await karabakh(page, `&from=2020-09-27&to=2020-11-10&ref=${corridor}`);
  await page.waitForFunction(() => Number(document.querySelector(".map-canvas")?.dataset.references) > 0);
  const types = await page.$$eval(".map-legend li[data-type]", (items) => items.length);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("button.save-png")]);
  assert.equal(download.suggestedFilename(), "karta-map.png");
  const file = await download.path();
  copyFileSync(file, join(artifacts, "map-export.png"));
  const bytes = readFileSync(file);
  const [w, h] = pngSize(bytes);
  const canvas = await page.evaluate(() => {
    const c = document.querySelector(".map-canvas");
    return [c.width, c.height, c.width / c.getBoundingClientRect().width];
  });
  assert.equal(w, canvas[0], "as wide as the map");
  assert.equal(h, Math.round(canvas[1] + (58 + 24) * canvas[2]), "the map with a title and a foot");

  // Read the picture back: dark text in the title band and the foot, a white legend box over
  // the map's bottom-left corner, and the map itself in the middle.
  const looks = await page.evaluate(async ([src, dpr]) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const c = document.createElement("canvas");
    [c.width, c.height] = [img.width, img.height];
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const dark = (x, y, w, h) => {
      const d = ctx.getImageData(x, y, w, h).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 200) n++;
      return n;
    };
    const px = (x, y) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)];
    // The legend's box: white up its left margin (12 px in), from its bottom to its top.
    const column = Math.round(12 * dpr);
    const bottom = img.height - Math.round((24 + 11) * dpr);
    let top = bottom;
    while (top > 0 && px(column, top - 1).every((v) => v >= 254)) top--;
    const box = ctx.getImageData(Math.round(10 * dpr), top, Math.round(250 * dpr), bottom - top).data;
    let purple = 0;
    for (let i = 0; i < box.length; i += 4) {
      if (Math.abs(box[i] - 123) < 30 && Math.abs(box[i + 1] - 50) < 30 && Math.abs(box[i + 2] - 148) < 30) purple++;
    }
    return {
      title: dark(0, 0, Math.round(500 * dpr), Math.round(58 * dpr)),
      foot: dark(0, img.height - Math.round(24 * dpr), Math.round(400 * dpr), Math.round(24 * dpr)),
      legendCorner: px(Math.round(14 * dpr), img.height - Math.round((24 + 16) * dpr)),
      legendHeight: (bottom - top) / dpr,
      purple,
    };
  }, ["data:image/png;base64," + bytes.toString("base64"), canvas[2]]);
  assert.ok(looks.title > 200, `a title is written: ${looks.title} dark pixels`);
  assert.ok(looks.foot > 50, `an attribution is written: ${looks.foot} dark pixels`);
  assert.ok(looks.legendCorner.every((v) => v > 235), `the legend's box: ${looks.legendCorner}`);
  // A heading, the types, the row of trust marks and the corridor's row, 17 px each.
  const rows = types + 2;
  assert.ok(Math.abs(looks.legendHeight - (17 * (rows + 1) + 8)) <= 2, `${looks.legendHeight} px for ${rows} rows`);
  assert.ok(looks.purple > 20, `the corridor's dashed line in the legend: ${looks.purple} pixels`);

  // The same caption as the print shows, from the view.
  const caption = await page.textContent(".print-caption");
  assert.match(caption, /Events: \d+ events? in view/);
  assert.match(caption, /2020-09-27 to 2020-11-10 · \d+ sources?/);
  assert.match(caption, /Natural Earth/);
  assert.deepEqual(page.errors, []);
});

test("printing keeps the map, its legend and caption, not the panels", async () => {
  const page = await newPage(running.browser);
  await karabakh(page, "&layer=heat");
  assert.equal(await page.isVisible(".print-caption"), false, "no caption on screen");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible(".print-caption"), true);
  assert.match(await page.textContent(".print-caption h2"), /^Heatmap: \d+ events in view/);
  for (const hidden of [".filters-side", ".list-side", ".zoom-buttons", ".layer-switch", "button.save-png"]) {
    assert.equal(await page.isVisible(hidden), false, `${hidden} printed`);
  }
  assert.equal(await page.isVisible(".map-canvas"), true);
  assert.equal(await page.isVisible(".map-legend"), true);
  await page.screenshot({ path: join(artifacts, "print-layout.png") });
  await page.pdf({ path: join(artifacts, "print.pdf"), format: "A4", landscape: true, printBackground: true });
  assert.deepEqual(page.errors, []);
});
