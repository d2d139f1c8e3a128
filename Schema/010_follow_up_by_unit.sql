-- 010: the follow-ups due of one unit's subtree (`followups`, `list --follow-up-due
-- --unit`) in the order of their follow-up day: each unit's resolved cases one range of
-- this index, read in order up to the page's end. The state, though fixed by the
-- index's condition, is a column too: so that counting them reads the index alone.
-- The whole street's are read from dispute_follow_up (migration 004) in the same order.
CREATE INDEX IF NOT EXISTS dispute_unit_follow_up ON dispute (unit_id, follow_up_at, year, serial, state)
    WHERE state = 'resolved';
