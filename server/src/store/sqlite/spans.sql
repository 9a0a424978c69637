-- Sums of `event_cells` over spans of 32 days (`span` = `day >> 5`; the undated day has its own
-- span), with the first and last dated day of each, for `/api/clusters` (issue 21): a view
-- over ten million events and two years reads some twenty spans a cell and type instead of
-- some seven hundred days. A range of days reads the spans it holds whole and the days of the
-- spans it cuts (`sqlite/clusters.rs`). Triggers on `event_cells` keep them: each change of a
-- day's sums is added to its span; a day that empties makes its span find its first and last
-- day again among its own days (at most 32 rows).
CREATE TABLE event_cell_spans (
    level      INTEGER NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    span       INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sum_lon    REAL NOT NULL,
    sum_lat    REAL NOT NULL,
    first_day  INTEGER,
    last_day   INTEGER,
    PRIMARY KEY (level, x, y, event_type, span)
) WITHOUT ROWID;

INSERT INTO event_cell_spans (level, x, y, event_type, span, n, sum_lon, sum_lat, first_day,
                              last_day)
SELECT level, x, y, event_type, day >> 5, sum(n), sum(sum_lon), sum(sum_lat),
       min(CASE WHEN n > 0 AND day <> -2147483648 THEN day END),
       max(CASE WHEN n > 0 AND day <> -2147483648 THEN day END)
FROM event_cells
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER event_cell_spans_insert AFTER INSERT ON event_cells BEGIN
  INSERT INTO event_cell_spans (level, x, y, event_type, span, n, sum_lon, sum_lat, first_day,
                                last_day)
  VALUES (NEW.level, NEW.x, NEW.y, NEW.event_type, NEW.day >> 5, NEW.n, NEW.sum_lon,
          NEW.sum_lat,
          CASE WHEN NEW.n > 0 AND NEW.day <> -2147483648 THEN NEW.day END,
          CASE WHEN NEW.n > 0 AND NEW.day <> -2147483648 THEN NEW.day END)
  ON CONFLICT DO UPDATE SET
    n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
    sum_lat = sum_lat + excluded.sum_lat,
    first_day = coalesce(min(first_day, excluded.first_day), first_day, excluded.first_day),
    last_day = coalesce(max(last_day, excluded.last_day), last_day, excluded.last_day);
END;

CREATE TRIGGER event_cell_spans_update AFTER UPDATE OF n, sum_lon, sum_lat ON event_cells BEGIN
  INSERT INTO event_cell_spans (level, x, y, event_type, span, n, sum_lon, sum_lat, first_day,
                                last_day)
  VALUES (NEW.level, NEW.x, NEW.y, NEW.event_type, NEW.day >> 5, NEW.n - OLD.n,
          NEW.sum_lon - OLD.sum_lon, NEW.sum_lat - OLD.sum_lat,
          CASE WHEN NEW.n > 0 AND NEW.day <> -2147483648 THEN NEW.day END,
          CASE WHEN NEW.n > 0 AND NEW.day <> -2147483648 THEN NEW.day END)
  ON CONFLICT DO UPDATE SET
    n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
    sum_lat = sum_lat + excluded.sum_lat,
    first_day = coalesce(min(first_day, excluded.first_day), first_day, excluded.first_day),
    last_day = coalesce(max(last_day, excluded.last_day), last_day, excluded.last_day);
  UPDATE event_cell_spans SET
    first_day = (SELECT min(day) FROM event_cells AS c
                 WHERE c.level = NEW.level AND c.x = NEW.x AND c.y = NEW.y
                   AND c.event_type = NEW.event_type
                   AND c.day BETWEEN (NEW.day >> 5) << 5 AND ((NEW.day >> 5) << 5) + 31
                   AND c.n > 0 AND c.day <> -2147483648),
    last_day = (SELECT max(day) FROM event_cells AS c
                WHERE c.level = NEW.level AND c.x = NEW.x AND c.y = NEW.y
                  AND c.event_type = NEW.event_type
                  AND c.day BETWEEN (NEW.day >> 5) << 5 AND ((NEW.day >> 5) << 5) + 31
                  AND c.n > 0 AND c.day <> -2147483648)
  WHERE NEW.n <= 0 AND OLD.n > 0
    AND level = NEW.level AND x = NEW.x AND y = NEW.y AND event_type = NEW.event_type
    AND span = NEW.day >> 5;
END;

-- The days of the spans a range of days cuts are read day by day, each day's cells by row: a
-- band of cells across the world over a few days reads only its own sums.
CREATE INDEX event_cells_by_day ON event_cells(level, day, y, x);
