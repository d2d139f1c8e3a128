-- 010: what a unit's subtree shows and counts, read from the indexes alone.
-- The working list of each unit (migration 008's index) holds the columns its
-- conditions read as well (the state, the due date, the follow-up day): so that the keys
-- of `list --overdue --unit`'s page and its count never read the case rows.
DROP INDEX IF EXISTS dispute_unit_working;
CREATE INDEX dispute_unit_working ON dispute (
    unit_id, (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END), year, serial,
    state, due_at, follow_up_at)
    WHERE state IN ('open', 'mediating', 'resolved');
-- The follow-ups due of one unit's subtree (`followups`, `list --follow-up-due --unit`)
-- in the order of their follow-up day: each unit's resolved cases one range of this
-- index, read in order up to the page's end, and counted from the index alone (the
-- state, fixed by its condition, is a column for that). The whole street's are read
-- from dispute_follow_up (migration 004) in the same order.
CREATE INDEX IF NOT EXISTS dispute_unit_follow_up ON dispute (unit_id, follow_up_at, year, serial, state)
    WHERE state = 'resolved';
