-- Uploaded rosters leave the disk (issue 14): deleted when their import is committed, or, left unfinished, after
-- a retention period (KORUS_IMPORT_RETENTION_DAYS, default 7): the import is then `abandoned`.
ALTER TABLE imports DROP CONSTRAINT imports_status_check;
ALTER TABLE imports ADD CONSTRAINT imports_status_check
  CHECK (status IN ('uploaded', 'checked', 'committed', 'abandoned'));
ALTER TABLE imports ADD COLUMN file_removed_at timestamptz;
