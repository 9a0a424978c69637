
CREATE TABLE event_cell_levels (level INTEGER PRIMARY KEY);
INSERT INTO event_cell_levels (level) VALUES (2), (3), (4), (5), (6), (7), (8);

CREATE TABLE event_cells (
    level      INTEGER NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    day        INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sum_lon    REAL NOT NULL,
    sum_lat    REAL NOT NULL,
    PRIMARY KEY (level, x, y, event_type, day)
) WITHOUT ROWID;

INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
SELECT l.level, p.x >> (8 - l.level), p.y >> (8 - l.level), p.event_type, p.day,
       count(*), sum(p.lon), sum(p.lat)
FROM event_cell_levels AS l,
     (SELECT min(255, max(0, CAST((c.lon + 180.0) / 360.0 * 256 AS INTEGER))) AS x,
             min(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat)) AS y,
             c.lon AS lon, c.lat AS lat, c.event_type AS event_type, c.day AS day
      FROM (SELECT CASE WHEN min_lon <= max_lon THEN (min_lon + max_lon) / 2 WHEN min_lon + max_lon > 0 THEN (min_lon + max_lon) / 2 - 180 ELSE (min_lon + max_lon) / 2 + 180 END AS lon, (min_lat + max_lat) / 2 AS lat, event_type,
                   coalesce(day, -2147483648) AS day
            FROM events WHERE deleted = 0 AND incident IS NULL) AS c) AS p
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER event_cells_insert AFTER INSERT ON events BEGIN
  INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l.level, p.x >> (8 - l.level), p.y >> (8 - l.level), NEW.event_type,
         coalesce(NEW.day, -2147483648), 1, p.lon, p.lat
  FROM event_cell_levels AS l,
       (SELECT min(255, max(0, CAST((c.lon + 180.0) / 360.0 * 256 AS INTEGER))) AS x,
               min(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat)) AS y,
               c.lon AS lon, c.lat AS lat
        FROM (SELECT CASE WHEN NEW.min_lon <= NEW.max_lon THEN (NEW.min_lon + NEW.max_lon) / 2 WHEN NEW.min_lon + NEW.max_lon > 0 THEN (NEW.min_lon + NEW.max_lon) / 2 - 180 ELSE (NEW.min_lon + NEW.max_lon) / 2 + 180 END AS lon, (NEW.min_lat + NEW.max_lat) / 2 AS lat) AS c) AS p
  WHERE NEW.deleted = 0 AND NEW.incident IS NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
                            sum_lat = sum_lat + excluded.sum_lat;
END;

CREATE TRIGGER event_cells_delete AFTER DELETE ON events BEGIN
  INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l.level, p.x >> (8 - l.level), p.y >> (8 - l.level), OLD.event_type,
         coalesce(OLD.day, -2147483648), -1, -p.lon, -p.lat
  FROM event_cell_levels AS l,
       (SELECT min(255, max(0, CAST((c.lon + 180.0) / 360.0 * 256 AS INTEGER))) AS x,
               min(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat)) AS y,
               c.lon AS lon, c.lat AS lat
        FROM (SELECT CASE WHEN OLD.min_lon <= OLD.max_lon THEN (OLD.min_lon + OLD.max_lon) / 2 WHEN OLD.min_lon + OLD.max_lon > 0 THEN (OLD.min_lon + OLD.max_lon) / 2 - 180 ELSE (OLD.min_lon + OLD.max_lon) / 2 + 180 END AS lon, (OLD.min_lat + OLD.max_lat) / 2 AS lat) AS c) AS p
  WHERE OLD.deleted = 0 AND OLD.incident IS NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
                            sum_lat = sum_lat + excluded.sum_lat;
END;

CREATE TRIGGER event_cells_update
AFTER UPDATE OF deleted, incident, event_type, day, min_lon, min_lat, max_lon, max_lat ON events
WHEN OLD.deleted IS NOT NEW.deleted OR OLD.incident IS NOT NEW.incident
  OR OLD.event_type IS NOT NEW.event_type OR OLD.day IS NOT NEW.day
  OR OLD.min_lon IS NOT NEW.min_lon OR OLD.min_lat IS NOT NEW.min_lat
  OR OLD.max_lon IS NOT NEW.max_lon OR OLD.max_lat IS NOT NEW.max_lat
BEGIN
  INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l.level, p.x >> (8 - l.level), p.y >> (8 - l.level), OLD.event_type,
         coalesce(OLD.day, -2147483648), -1, -p.lon, -p.lat
  FROM event_cell_levels AS l,
       (SELECT min(255, max(0, CAST((c.lon + 180.0) / 360.0 * 256 AS INTEGER))) AS x,
               min(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat)) AS y,
               c.lon AS lon, c.lat AS lat
        FROM (SELECT CASE WHEN OLD.min_lon <= OLD.max_lon THEN (OLD.min_lon + OLD.max_lon) / 2 WHEN OLD.min_lon + OLD.max_lon > 0 THEN (OLD.min_lon + OLD.max_lon) / 2 - 180 ELSE (OLD.min_lon + OLD.max_lon) / 2 + 180 END AS lon, (OLD.min_lat + OLD.max_lat) / 2 AS lat) AS c) AS p
  WHERE OLD.deleted = 0 AND OLD.incident IS NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
                            sum_lat = sum_lat + excluded.sum_lat;
  INSERT INTO event_cells (level, x, y, event_type, day, n, sum_lon, sum_lat)
  SELECT l.level, p.x >> (8 - l.level), p.y >> (8 - l.level), NEW.event_type,
         coalesce(NEW.day, -2147483648), 1, p.lon, p.lat
  FROM event_cell_levels AS l,
       (SELECT min(255, max(0, CAST((c.lon + 180.0) / 360.0 * 256 AS INTEGER))) AS x,
               min(255, (SELECT count(*) FROM mercator_rows WHERE south > c.lat)) AS y,
               c.lon AS lon, c.lat AS lat
        FROM (SELECT CASE WHEN NEW.min_lon <= NEW.max_lon THEN (NEW.min_lon + NEW.max_lon) / 2 WHEN NEW.min_lon + NEW.max_lon > 0 THEN (NEW.min_lon + NEW.max_lon) / 2 - 180 ELSE (NEW.min_lon + NEW.max_lon) / 2 + 180 END AS lon, (NEW.min_lat + NEW.max_lat) / 2 AS lat) AS c) AS p
  WHERE NEW.deleted = 0 AND NEW.incident IS NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, sum_lon = sum_lon + excluded.sum_lon,
                            sum_lat = sum_lat + excluded.sum_lat;
END;
