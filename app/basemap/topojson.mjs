// Reading TopoJSON for the basemap's build scripts (build.mjs, build_overlay.mjs): arcs decoded
// from their quantised deltas into longitude, latitude pairs, and chains of arcs joined into
// lines and rings.

/** The topology's arcs as lists of `[lon, lat]`. */
export function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

/** The points of a chain of arc indexes (a line or a ring); `~i` is arc `i` reversed. */
export function chain(arcs, indexes) {
  const out = [];
  for (const i of indexes) {
    const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    out.push(...(out.length ? arc.slice(1) : arc));
  }
  return out;
}
