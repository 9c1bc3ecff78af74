-- The daily integrity check runs in slices that each fit one Worker invocation (issue 27): the daily
-- Cron Trigger starts a run here, and each hourly trigger continues it from `next` until it is null.
CREATE TABLE integrity_runs (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  started_at TEXT NOT NULL,
  next TEXT,
  problems INTEGER NOT NULL DEFAULT 0,
  slices INTEGER NOT NULL DEFAULT 0
);
