-- Sums of the events per cell of a Web Mercator grid, event type and day, for `/api/clusters`
-- (issue 21), as SQLite keeps them (`sqlite/clusters-head.sql`, the same cells to the last bit):
-- levels 2 to 8; a cell of level 8 is found from the longitude and by counting the rows' south
-- edges north of the latitude, a coarser level's by shifting bits. Only events the map lists
-- count (not deleted, following no other); `day` -2147483648 stands for undated. A trigger keeps
-- the sums; rows whose count fell to 0 stay and are skipped.
CREATE TABLE mercator_rows (y INTEGER PRIMARY KEY, south DOUBLE PRECISION NOT NULL);
CREATE INDEX mercator_rows_south ON mercator_rows(south);
