-- 007 (PostgreSQL, as Schema/007): the list people work from (open, mediating, and resolved cases awaiting their
-- follow-up), in the order of what is due next, read from an index: its first page
-- costs the same in a street of a thousand cases and in a city's decade. The order is
-- the follow-up day of a resolved case, else its due date, then the case number.
CREATE INDEX IF NOT EXISTS dispute_working ON dispute (
    (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END), year, serial)
    WHERE state IN ('open', 'mediating', 'resolved');
