-- Sums of `event_cells` over spans of 32 days (`span` = `day >> 5`; the undated day has its own
-- span), with the first and last dated day of each, as SQLite's (`sqlite/spans.sql`): a view
-- over years reads the spans a range of days holds whole and the days of the spans it cuts.
-- A trigger on `event_cells` adds each change of a day's sums to its span; a day that empties
-- makes its span find its first and last day again among its own days (at most 32 rows).
CREATE TABLE event_cell_spans (
    level      SMALLINT NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    span       BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    sum_lon    DOUBLE PRECISION NOT NULL,
    sum_lat    DOUBLE PRECISION NOT NULL,
    first_day  BIGINT,
    last_day   BIGINT,
    PRIMARY KEY (level, x, y, event_type, span)
);

INSERT INTO event_cell_spans (level, x, y, event_type, span, n, sum_lon, sum_lat, first_day,
                              last_day)
SELECT level, x, y, event_type, day >> 5, sum(n), sum(sum_lon), sum(sum_lat),
       min(day) FILTER (WHERE n > 0 AND day <> -2147483648),
       max(day) FILTER (WHERE n > 0 AND day <> -2147483648)
FROM event_cells
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION event_cell_spans_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  was_n BIGINT := 0;
  was_lon DOUBLE PRECISION := 0;
  was_lat DOUBLE PRECISION := 0;
  dated BIGINT := CASE WHEN NEW.n > 0 AND NEW.day <> -2147483648 THEN NEW.day END;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    was_n := OLD.n;
    was_lon := OLD.sum_lon;
    was_lat := OLD.sum_lat;
  END IF;
  INSERT INTO event_cell_spans AS s (level, x, y, event_type, span, n, sum_lon, sum_lat,
                                     first_day, last_day)
  VALUES (NEW.level, NEW.x, NEW.y, NEW.event_type, NEW.day >> 5, NEW.n - was_n,
          NEW.sum_lon - was_lon, NEW.sum_lat - was_lat, dated, dated)
  ON CONFLICT (level, x, y, event_type, span) DO UPDATE
  SET n = s.n + excluded.n, sum_lon = s.sum_lon + excluded.sum_lon,
      sum_lat = s.sum_lat + excluded.sum_lat,
      first_day = least(s.first_day, excluded.first_day),
      last_day = greatest(s.last_day, excluded.last_day);
  IF NEW.n <= 0 AND was_n > 0 THEN
    UPDATE event_cell_spans AS s
    SET (first_day, last_day) = (
      SELECT min(c.day), max(c.day) FROM event_cells AS c
      WHERE c.level = NEW.level AND c.x = NEW.x AND c.y = NEW.y
        AND c.event_type = NEW.event_type
        AND c.day BETWEEN (NEW.day >> 5) << 5 AND ((NEW.day >> 5) << 5) + 31
        AND c.n > 0 AND c.day <> -2147483648)
    WHERE s.level = NEW.level AND s.x = NEW.x AND s.y = NEW.y
      AND s.event_type = NEW.event_type AND s.span = NEW.day >> 5;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER event_cell_spans_follow AFTER INSERT OR UPDATE ON event_cells
FOR EACH ROW EXECUTE FUNCTION event_cell_spans_follow();

-- The days of the spans a range of days cuts are read day by day, each day's cells by row: a
-- band of cells across the world over a few days reads only its own sums.
CREATE INDEX event_cells_by_day ON event_cells(level, day, y, x);
