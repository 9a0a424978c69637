
CREATE TABLE event_cells (
    level      SMALLINT NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    day        BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    sum_lon    DOUBLE PRECISION NOT NULL,
    sum_lat    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (level, x, y, event_type, day)
);

-- The centre of an event's box (across the antimeridian, on the side it lies), as
-- `EventRow::lon` and `lat` give it.
CREATE FUNCTION event_centre(min_lon DOUBLE PRECISION, min_lat DOUBLE PRECISION,
                             max_lon DOUBLE PRECISION, max_lat DOUBLE PRECISION,
                             OUT lon DOUBLE PRECISION, OUT lat DOUBLE PRECISION)
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN min_lon <= max_lon THEN (min_lon + max_lon) / 2
              WHEN min_lon + max_lon > 0 THEN (min_lon + max_lon) / 2 - 180
              ELSE (min_lon + max_lon) / 2 + 180 END,
         (min_lat + max_lat) / 2
$$;

-- Adds an event (`sign` 1) to the sums of its cells at every level, or takes it away (-1).
CREATE FUNCTION event_cells_add(e events, sign INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  c RECORD;
  cx INTEGER;
  cy INTEGER;
BEGIN
  IF e.deleted OR e.incident IS NOT NULL THEN
    RETURN;
  END IF;
  SELECT * INTO c FROM event_centre(e.min_lon, e.min_lat, e.max_lon, e.max_lat);
  cx := least(255, greatest(0, trunc((c.lon + 180.0) / 360.0 * 256)))::INTEGER;
  cy := least(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat))::INTEGER;
  INSERT INTO event_cells AS s (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l, cx >> (8 - l), cy >> (8 - l), e.event_type, coalesce(e.day, -2147483648), sign,
         sign * c.lon, sign * c.lat
  FROM generate_series(2, 8) AS l
  ON CONFLICT (level, x, y, event_type, day) DO UPDATE
  SET n = s.n + excluded.n, sum_lon = s.sum_lon + excluded.sum_lon,
      sum_lat = s.sum_lat + excluded.sum_lat;
END
$$;

CREATE FUNCTION event_cells_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM event_cells_add(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM event_cells_add(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER event_cells_insert_delete AFTER INSERT OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION event_cells_follow();

CREATE TRIGGER event_cells_update
AFTER UPDATE OF deleted, incident, event_type, day, min_lon, min_lat, max_lon, max_lat ON events
FOR EACH ROW
WHEN (OLD.deleted IS DISTINCT FROM NEW.deleted OR OLD.incident IS DISTINCT FROM NEW.incident
  OR OLD.event_type IS DISTINCT FROM NEW.event_type OR OLD.day IS DISTINCT FROM NEW.day
  OR OLD.min_lon IS DISTINCT FROM NEW.min_lon OR OLD.min_lat IS DISTINCT FROM NEW.min_lat
  OR OLD.max_lon IS DISTINCT FROM NEW.max_lon OR OLD.max_lat IS DISTINCT FROM NEW.max_lat)
EXECUTE FUNCTION event_cells_follow();

-- The events already there.
INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
SELECT l, p.x >> (8 - l), p.y >> (8 - l), p.event_type, p.day, count(*), sum(p.lon), sum(p.lat)
FROM generate_series(2, 8) AS l,
     (SELECT least(255, greatest(0, trunc((c.lon + 180.0) / 360.0 * 256)))::INTEGER AS x,
             least(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat))::INTEGER AS y,
             c.lon, c.lat, e.event_type, coalesce(e.day, -2147483648) AS day
      FROM events AS e, LATERAL event_centre(e.min_lon, e.min_lat, e.max_lon, e.max_lat) AS c
      WHERE NOT e.deleted AND e.incident IS NULL) AS p
GROUP BY 1, 2, 3, 4, 5;
