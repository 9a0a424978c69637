// The map's browser benchmark: N synthetic events (default 100,000 and 10,000) imported with
// `karta import` into a fresh database, served by `karta serve --no-demo`, drawn in headless
// Chromium. Prints, per size: time to the map's first paint with its events, requestAnimationFrame
// ticks per second during a scripted 2-second pan, and the WASM's gzipped size.
// Usage: KARTA_BIN=… KARTA_SITE=… [KARTA_BENCH_LAYER=heat] node bench.mjs [N …]
// (KARTA_BENCH_LAYER: the map's layer, as its address' `layer`, default the events.)
import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, newPage, panFps, startServer } from "./harness.mjs";

const TYPES = ["battles", "explosions_remote_violence", "violence_against_civilians", "protests",
  "riots", "strategic_developments", "diplomacy"];

/** A seeded generator (mulberry32), so every run draws the same events. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function events(n) {
  const r = random(7);
  const features = [];
  for (let i = 0; i < n; i++) {
    // Half around the South Caucasus, half across Europe and the Middle East.
    const wide = r() < 0.5;
    const lon = wide ? -10 + r() * 70 : 43 + r() * 8;
    const lat = wide ? 20 + r() * 40 : 38 + r() * 4;
    const day = new Date(Date.UTC(2020, 8, 27) + Math.floor(r() * 60) * 86_400_000);
    features.push({
      type: "Feature",
      geometry: { type: "Point", coordinates: [Number(lon.toFixed(4)), Number(lat.toFixed(4))] },
      properties: {
        event_type: TYPES[i % TYPES.length],
        date: day.toISOString().slice(0, 10),
        date_precision: "day",
        place_name: `Place ${i}`,
        sentence: `Synthetic event ${i} for the map benchmark.`,
        confidence: Number((0.3 + r() * 0.7).toFixed(2)),
      },
    });
  }
  return { type: "FeatureCollection", features };
}

async function measure(n, browser) {
  const dir = mkdtempSync(join(tmpdir(), "karta-bench-"));
  const file = join(dir, "events.geojson");
  const db = join(dir, "karta.db");
  writeFileSync(file, JSON.stringify(events(n)));
  const t0 = Date.now();
  execFileSync(process.env.KARTA_BIN, ["import", file, "--db", db], { stdio: "ignore" });
  const importS = (Date.now() - t0) / 1000;
  // Every event drawn one by one, as the benchmark measures, not the server's clusters.
  const server = await startServer(["--no-demo", "--map-points", String(n)], {}, db);
  try {
    const page = await newPage(browser);
    const layer = process.env.KARTA_BENCH_LAYER ? `&layer=${process.env.KARTA_BENCH_LAYER}` : "";
    await page.goto(`${server.url}/?z=4.00&lat=40.0000&lon=30.0000${layer}`);
    const painted = await page.waitForFunction(
      (n) => {
        const c = document.querySelector(".map-canvas");
        return Number(c?.dataset.drawnEvents) >= n && Number(c.dataset.firstPaint);
      },
      n,
      { timeout: 120_000 },
    );
    const firstPaint = await painted.jsonValue();
    const fps = await panFps(page);
    const drawMs = await page.evaluate(() => Number(document.querySelector(".map-canvas").dataset.lastDrawMs));
    await page.close();
    return { n, importS, firstPaint, fps, drawMs };
  } finally {
    server.stop();
  }
}

const sizes = process.argv.slice(2).map(Number);
const browser = await launch();
try {
  const gz = statSync(join(process.env.KARTA_SITE, "pkg", "karta_bg.wasm.gz")).size;
  console.log(`WASM gzipped: ${(gz / 1024).toFixed(0)} KB; layer: ${process.env.KARTA_BENCH_LAYER ?? "events"}`);
  for (const n of sizes.length ? sizes : [10_000, 100_000]) {
    const m = await measure(n, browser);
    console.log(
      `${m.n} events: import ${m.importS.toFixed(1)} s, first paint with events ${m.firstPaint.toFixed(0)} ms, ` +
        `pan ${m.fps.toFixed(1)} rAF ticks/s, last frame drawn in ${m.drawMs.toFixed(1)} ms`,
    );
  }
} finally {
  await browser.close();
}
