// The map at scale in a real browser: with `--map-points 5`, the demo's events are too many to
// draw one by one, so the map draws the server's clusters (`/api/clusters`); zoomed in to a
// street it draws the events again, and zoomed out the clusters come back; a click on a
// cluster zooms into it; the download still gives every event of the view.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, hydrated, launch, newPage, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer(["--map-points", "5"]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** Waits for the map to draw in a mode (`clusters` or `points`) and for loading to end. */
async function drawn(page, mode) {
  await page.waitForSelector(`canvas.map-canvas[data-mode='${mode}']`, { timeout: 30_000 });
  await page.waitForFunction(() => !/Loading/.test(document.querySelector(".status")?.textContent ?? ""));
}

/** Clicks a zoom button `times` times, waiting for each move to settle. */
async function zoom(page, label, times) {
  for (let i = 0; i < times; i++) {
    await page.click(`button[aria-label='${label}']`);
    await page.waitForTimeout(700);
  }
}

test("the map switches between the server's clusters and the events as it zooms", async () => {
  const page = await newPage(browser);
  const clusterRequests = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/clusters")) clusterRequests.push(r.url());
  });
  await page.goto(server.url + "/?z=7&lat=39.815&lon=46.752");
  await hydrated(page);
  await drawn(page, "clusters");
  assert.match(await page.textContent(".status"), /\d+ events in view, drawn as clusters/);
  const clusters = Number(await page.getAttribute("canvas.map-canvas", "data-drawn-clusters"));
  assert.ok(clusters > 0, "clusters are drawn");
  assert.equal(await page.getAttribute("canvas.map-canvas", "data-drawn-events"), "0");
  assert.match(await page.textContent("#list-title"), /^\d+ events in view, drawn as clusters/);
  assert.ok(clusterRequests.some((u) => /zoom=7\.00/.test(u) && /bbox=/.test(u)), clusterRequests.join(" "));
  await page.screenshot({ path: join(artifacts, "clusters-z7.png") });

  // The download link still asks for every event of the view, as many as the clusters hold.
  const href = await page.getAttribute("a[download='karta-events.geojson']", "href");
  assert.match(href, /^\/api\/events\.geojson\?bbox=/);
  const query = new URL(server.url + href).searchParams;
  query.delete("download");
  const features = (await (await fetch(`${server.url}/api/events.geojson?${query}`)).json()).features;
  const counted = await (await fetch(`${server.url}/api/clusters?zoom=7&${query}`)).json();
  assert.ok(features.length > 5);
  assert.equal(features.length, counted.total);

  // At street zoom, the events one by one; zoomed out again, the clusters.
  await zoom(page, "Zoom in", 5);
  await drawn(page, "points");
  assert.ok(Number(await page.getAttribute("canvas.map-canvas", "data-drawn-events")) > 0);
  await page.screenshot({ path: join(artifacts, "clusters-street.png") });
  await zoom(page, "Zoom out", 5);
  await drawn(page, "clusters");
  assert.deepEqual(page.errors, []);
});

test("a click on a cluster zooms into its cell", async () => {
  const page = await newPage(browser);
  await page.goto(server.url + "/?z=4&lat=40.0&lon=46.5");
  await hydrated(page);
  await drawn(page, "clusters");
  const box = await page.locator("canvas.map-canvas").boundingBox();
  const bbox = new URL(page.url()).searchParams;
  const answer = await (
    await fetch(`${server.url}/api/clusters?zoom=4&bbox=${await viewBbox(page)}`)
  ).json();
  const big = answer.clusters.find((c) => c.count > 3);
  assert.ok(big, `a cluster of more than 3 events: ${JSON.stringify(answer)}`);
  const [x, y] = screenPoint(big.lon, big.lat, 4, [40.0, 46.5], box);
  await page.mouse.click(box.x + x, box.y + y);
  await page.waitForFunction(() => Number(new URLSearchParams(location.search).get("z")) >= 5, null, {
    timeout: 10_000,
  });
  assert.ok(bbox.get("z") === "4.00");
  assert.deepEqual(page.errors, []);
});

/** The view's box as the page's download link gives it. */
async function viewBbox(page) {
  const href = await page.getAttribute("a[download='karta-events.geojson']", "href");
  return new URL("http://x" + href).searchParams.get("bbox");
}

/** Where a point is on a canvas of `box`'s size, centred on `[lat, lon]` at a zoom. */
function screenPoint(lon, lat, z, [clat, clon], box) {
  const world = (lo, la) => {
    const s = Math.sin((la * Math.PI) / 180);
    return [(lo + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
  };
  const scale = 256 * 2 ** z;
  const [px, py] = world(lon, lat);
  const [cx, cy] = world(clon, clat);
  return [box.width / 2 + (px - cx) * scale, box.height / 2 + (py - cy) * scale];
}
