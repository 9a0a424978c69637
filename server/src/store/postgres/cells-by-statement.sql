-- Inserted and deleted events change the sums of `event_cells` once per statement, from all the
-- statement's rows grouped by cell (a bulk copy of a million events upserts each cell once
-- instead of seven rows per event); an event's row is found by `width_bucket` over the rows'
-- south edges, as `event_cells_add` counts them. Updates stay row by row: a trigger on columns
-- cannot see its statement's rows.
DROP TRIGGER event_cells_insert_delete ON events;

CREATE FUNCTION event_cells_by_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sign INTEGER := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO event_cells AS s (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l, p.x >> (8 - l), p.y >> (8 - l), p.event_type, p.day, sign * count(*),
         sign * sum(p.lon), sign * sum(p.lat)
  FROM generate_series(2, 8) AS l,
       (SELECT least(255, greatest(0, trunc((c.lon + 180.0) / 360.0 * 256)))::INTEGER AS x,
               least(255, 256 - width_bucket(c.lat, r.souths))::INTEGER AS y,
               c.lon, c.lat, e.event_type, coalesce(e.day, -2147483648) AS day
        FROM changed AS e,
             LATERAL event_centre(e.min_lon, e.min_lat, e.max_lon, e.max_lat) AS c,
             (SELECT array_agg(south ORDER BY south) AS souths FROM mercator_rows) AS r
        WHERE NOT e.deleted AND e.incident IS NULL) AS p
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (level, x, y, event_type, day) DO UPDATE
  SET n = s.n + excluded.n, sum_lon = s.sum_lon + excluded.sum_lon,
      sum_lat = s.sum_lat + excluded.sum_lat;
  RETURN NULL;
END
$$;

CREATE TRIGGER event_cells_insert AFTER INSERT ON events
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION event_cells_by_statement();

CREATE TRIGGER event_cells_delete AFTER DELETE ON events
REFERENCING OLD TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION event_cells_by_statement();
