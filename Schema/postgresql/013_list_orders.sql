-- 013 (PostgreSQL, as Schema/013): every list's first page read in its order from an
-- index, whatever its filter (issue #11). The street's working index holds each case's
-- state too; the final states (closed, referred, withdrawn) have indexes of their own in
-- the order they are listed in, for the street and for each unit.
DROP INDEX IF EXISTS dispute_working;
CREATE INDEX dispute_working ON dispute (
    (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END), year, serial, state)
    WHERE state IN ('open', 'mediating', 'resolved');
CREATE INDEX IF NOT EXISTS dispute_final ON dispute (due_at, year, serial, state)
    WHERE state NOT IN ('open', 'mediating', 'resolved');
CREATE INDEX IF NOT EXISTS dispute_unit_final ON dispute (unit_id, due_at, year, serial, state)
    WHERE state NOT IN ('open', 'mediating', 'resolved');
-- The assessments by when they took effect: `report` asks which cases had one shortly
-- before the period's escalations, of any month (the few escalations of those cases are
-- looked up, not every escalation's earlier events).
CREATE INDEX IF NOT EXISTS event_assessed ON event (effective_at, case_id) WHERE action = 'assess';
