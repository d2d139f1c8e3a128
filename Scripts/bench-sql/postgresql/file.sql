-- file on PostgreSQL: ../file.sql without its event (the server guards its chain; not done), the new case's id taken with RETURNING (no
-- last_insert_rowid); the id itself is assigned by mediate's trigger as on SQLite.
BEGIN;
WITH d AS (
    INSERT INTO dispute (year, serial, origin_unit_id, unit_id, level, top_level, state, severity, category, source,
        summary, filed_at, due_at, breaches, version, last_event_at)
    VALUES (2099, (SELECT coalesce(max(serial), 0) + 1 FROM dispute WHERE year = 2099), 1, 1, 1, 1, 'open', 'minor',
        'neighbour', 'patrol', 'bench', :now, :now + 604800, 0, 1, :now)
    RETURNING id)
INSERT INTO party (case_id, position, name, role) SELECT id, 1, '张三', 'applicant' FROM d;
COMMIT;
