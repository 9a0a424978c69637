-- Sums of the events per cell of a Web Mercator grid, event type and day, for `/api/clusters`
-- (issue 21): the map's aggregates at world or country zoom read these sums instead of every
-- event (`sqlite/clusters.rs`). Levels 2 to 8 (2^level cells a side; zoom 0 to 6); a cell of
-- level 8 is found from the longitude and by counting the rows' south edges north of the
-- latitude (`mercator_rows`, Web Mercator: the same numbers as `store::mercator_souths`, which
-- a test compares), and a coarser level's by shifting bits. Only events the map lists count
-- (not deleted, following no other); `day` -2147483648 stands for undated. Triggers keep the
-- sums; rows whose count fell to 0 stay and are skipped.
CREATE TABLE mercator_rows (y INTEGER PRIMARY KEY, south REAL NOT NULL);
CREATE INDEX mercator_rows_south ON mercator_rows(south);
