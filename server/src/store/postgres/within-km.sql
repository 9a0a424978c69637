-- Whether an event's box lies within `km` kilometres of a point, as the R-tree and SQLite's
-- `karta_within_km` decide (`rtree::box_within_km`): the great-circle distance by the haversine
-- formula on the GRS80 mean radius (6,371,008.8 m, as `geo::Haversine`) from the point to the
-- nearest point of the box, or of each part of a box across the antimeridian. Plain arithmetic
-- on the box's edges, which the planner inlines, instead of a cast to geography per row.
CREATE FUNCTION karta_km_to(w DOUBLE PRECISION, s DOUBLE PRECISION, e DOUBLE PRECISION,
                            n DOUBLE PRECISION, lon DOUBLE PRECISION, lat DOUBLE PRECISION)
RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 6371008.8 * (2 * asin(sqrt(
           power(sin(radians(greatest(s, least(lat, n)) - lat) / 2), 2)
           + cos(radians(lat)) * cos(radians(greatest(s, least(lat, n))))
             * power(sin(radians(greatest(w, least(lon, e)) - lon) / 2), 2)))) / 1000
$$;

CREATE FUNCTION karta_within_km(min_lon DOUBLE PRECISION, min_lat DOUBLE PRECISION,
                                max_lon DOUBLE PRECISION, max_lat DOUBLE PRECISION,
                                lon DOUBLE PRECISION, lat DOUBLE PRECISION,
                                km DOUBLE PRECISION)
RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN min_lon <= max_lon
              THEN karta_km_to(min_lon, min_lat, max_lon, max_lat, lon, lat) <= km
              ELSE karta_km_to(min_lon, min_lat, 180, max_lat, lon, lat) <= km
                OR karta_km_to(-180, min_lat, max_lon, max_lat, lon, lat) <= km END
$$;
