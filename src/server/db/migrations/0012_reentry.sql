-- Issue 16: the re-entry track. The date a worker was detained by US immigration authorities (the Georgia site,
-- 2025-09-04), read by the guidelines engine as the ESTA answer on a prior violation.
ALTER TABLE workers ADD COLUMN detained_on date;
