-- 012 (PostgreSQL, as Schema/012): a period's events counted from the index alone. The
-- action is a key column, not an INCLUDE one, so that a condition on it is checked in
-- the index before any row is read.
DROP INDEX event_effective;
CREATE INDEX event_effective ON event (effective_at, action, breach, entered_at, case_id);
