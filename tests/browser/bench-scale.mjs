// The map at scale: time to the first paint of the clusters at world zoom, and
// requestAnimationFrame ticks per second during a scripted 2-second pan, over a database of many
// events (`cargo bench -p karta --bench clusters` makes one of KARTA_BENCH_EVENTS events and
// keeps it under the target's `tmp/`), served by `karta serve --no-demo`; also the bytes of
// each `/api/clusters` answer as sent (compressed).
// Usage: KARTA_BIN=… KARTA_SITE=… node bench-scale.mjs DB
import { launch, newPage, panFps, startServer } from "./harness.mjs";

const db = process.argv[2];
if (!db) throw new Error("usage: node bench-scale.mjs DB");
const server = await startServer(["--no-demo"], {}, db);
const browser = await launch();
try {
  const page = await newPage(browser);
  const answers = [];
  page.on("response", async (r) => {
    if (!r.url().includes("/api/clusters")) return;
    const sizes = await r.request().sizes().catch(() => null);
    answers.push({ url: r.url().replace(server.url, ""), ms: r.request().timing().responseEnd, bytes: sizes?.responseBodySize });
  });
  await page.goto(`${server.url}/?z=2.30&lat=20.0000&lon=0.0000`);
  const painted = await page.waitForFunction(
    () => {
      const c = document.querySelector(".map-canvas");
      return c?.dataset.mode === "clusters" && performance.now();
    },
    null,
    { timeout: 300_000 },
  );
  const firstPaint = await painted.jsonValue();
  const fps = await panFps(page);
  const c = await page.evaluate(() => ({ ...document.querySelector(".map-canvas").dataset }));
  console.log(`clusters drawn at world zoom ${firstPaint.toFixed(0)} ms after navigation`);
  console.log(`pan: ${fps.toFixed(1)} rAF ticks/s; ${c.drawnClusters} clusters drawn, last frame ${c.lastDrawMs} ms`);
  for (const a of answers) console.log(`${a.url}: ${a.bytes} bytes sent, answered in ${a.ms?.toFixed(0)} ms`);
} finally {
  await browser.close();
  server.stop();
}
