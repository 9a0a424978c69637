// Builds karta's offline basemap from npm `world-atlas@2.0.2` (Natural Earth 1:110m and 1:50m
// admin-0 countries, public domain): decodes the TopoJSON into plain rings of lon/lat pairs,
// rounded to the precision each scale can show, with a label point per country.
// Run from this folder: `node build.mjs /path/to/node_modules/world-atlas`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chain, decodeArcs } from "./topojson.mjs";

const atlas = process.argv[2];
if (!atlas) {
  console.error("usage: node build.mjs PATH/TO/world-atlas");
  process.exit(2);
}

function area(r) {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    a += r[j][0] * r[i][1] - r[i][0] * r[j][1];
  }
  return a / 2;
}

function centroid(r) {
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const f = r[j][0] * r[i][1] - r[i][0] * r[j][1];
    cx += (r[j][0] + r[i][0]) * f;
    cy += (r[j][1] + r[i][1]) * f;
    a += f;
  }
  return a === 0 ? r[0] : [cx / (3 * a), cy / (3 * a)];
}

function build(scale, digits) {
  const topology = JSON.parse(readFileSync(join(atlas, `countries-${scale}.json`), "utf8"));
  const arcs = decodeArcs(topology);
  const round = (v) => Number(v.toFixed(digits));
  const countries = topology.objects.countries.geometries
    .filter((g) => g.arcs)
    .map((g) => {
      const polygons = g.type === "Polygon" ? [g.arcs] : g.arcs;
      const rings = polygons.flatMap((p) => p.map((r) => chain(arcs, r)));
      const largest = rings.reduce((a, b) => (Math.abs(area(b)) > Math.abs(area(a)) ? b : a));
      return {
        name: g.properties.name,
        label: centroid(largest).map(round),
        rings: rings.map((r) => r.flatMap(([x, y]) => [round(x), round(y)])),
      };
    });
  const data = {
    source: `Natural Earth 1:${scale} admin-0 countries (public domain), via npm world-atlas@2.0.2`,
    countries,
  };
  writeFileSync(`countries-${scale}.json`, JSON.stringify(data));
  console.log(`countries-${scale}.json: ${countries.length} countries`);
}

build("110m", 2);
build("50m", 3);
