-- file: one new case in one transaction: the case row, its first event chained to the
-- head of the log (the shell hashes with sha3(X, 256) what mediate hashes with SHA-256:
-- the previous hash and the event's columns as a JSON array, as verify.sql does), and its
-- party. (Until round three this floor wrote no event: against it a filing into a
-- million-case log, whose event indexes are deeper, measured 2.6x.)
BEGIN IMMEDIATE;
INSERT INTO dispute (year, serial, origin_unit_id, unit_id, level, top_level, state, severity, category, source,
    summary, filed_at, due_at, breaches, version, last_event_at)
VALUES (2099, (SELECT coalesce(max(serial), 0) + 1 FROM dispute WHERE year = 2099), 1, 1, 1, 1, 'open', 'minor',
    'neighbour', 'patrol', 'bench', :now, :now + 604800, 0, 1, :now);
INSERT INTO event (id, case_id, case_seq, action, actor, effective_at, entered_at, state, unit_id, level, top_level,
    severity, category, due_at, breach, detail, hash)
SELECT n.id, n.case_id, 1, 'file', 'g001-worker', :now, :now, 'open', 1, 1, 1, 'minor', 'neighbour', :now + 604800, 0,
    n.detail,
    sha3(coalesce((SELECT hash FROM event ORDER BY id DESC LIMIT 1), x'')
         || json_array(n.id, n.case_id, 1, 'file', 'g001-worker', :now, :now, 'open', 1, 1, 1, 'minor', 'neighbour',
                       :now + 604800, 0, n.detail), 256)
FROM (SELECT coalesce((SELECT max(id) FROM event), 0) + 1 AS id, last_insert_rowid() AS case_id,
             json_object('number', '2099-' || (SELECT max(serial) FROM dispute WHERE year = 2099), 'unit', '1',
                         'severity', 'minor', 'category', 'neighbour', 'source', 'patrol', 'summary', 'bench',
                         'party.1.name', '张三', 'party.1.role', 'applicant', 'level', '1',
                         'due_at', CAST(:now + 604800 AS TEXT)) AS detail) n;
INSERT INTO party (case_id, position, name, role)
VALUES ((SELECT case_id FROM event WHERE id = last_insert_rowid()), 1, '张三', 'applicant');
COMMIT;
