-- 014 (PostgreSQL, as Schema/014): `list` in each of its orders read from an index, and a
-- filter of filing days in the default order read week by week (issue #11). By filing:
-- the filing indexes hold the order whole and each case's state, for the street and for
-- each unit. Most recently changed first: new indexes, descending as the list is. A filter
-- of filing days in what is due next: the working and the final cases by the week they
-- were filed in (whole seconds / 604800), each week in the list's order.
DROP INDEX IF EXISTS dispute_filed;
CREATE INDEX dispute_filed ON dispute (filed_at, year, serial, state);
DROP INDEX IF EXISTS dispute_unit;
CREATE INDEX dispute_unit ON dispute (unit_id, filed_at, year, serial, state);
CREATE INDEX IF NOT EXISTS dispute_updated ON dispute (last_event_at DESC, year, serial, state);
CREATE INDEX IF NOT EXISTS dispute_unit_updated ON dispute (unit_id, last_event_at DESC, year, serial, state);
CREATE INDEX IF NOT EXISTS dispute_working_filed ON dispute (
    (filed_at / 604800), (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END), year, serial, state,
    filed_at, due_at, follow_up_at)
    WHERE state IN ('open', 'mediating', 'resolved');
CREATE INDEX IF NOT EXISTS dispute_final_filed ON dispute ((filed_at / 604800), due_at, year, serial, state, filed_at)
    WHERE state NOT IN ('open', 'mediating', 'resolved');
