-- file: one new case in one transaction: the case row, its party, its first event.
BEGIN IMMEDIATE;
INSERT INTO dispute (year, serial, origin_unit_id, unit_id, level, top_level, state, severity, category, source,
    summary, filed_at, due_at, breaches, version, last_event_at)
VALUES (2099, (SELECT coalesce(max(serial), 0) + 1 FROM dispute WHERE year = 2099), 1, 1, 1, 1, 'open', 'minor',
    'neighbour', 'patrol', 'bench', :now, :now + 604800, 0, 1, :now);
INSERT INTO party (case_id, position, name, role) VALUES (last_insert_rowid(), 1, '张三', 'applicant');
COMMIT;
