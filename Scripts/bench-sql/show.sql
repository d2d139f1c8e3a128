-- show CASE: the case row, its parties and its events (the statements `mediate show` runs).
SELECT * FROM dispute WHERE year = :year AND serial = :serial;
SELECT name, role, phone, id_number, address FROM party
    WHERE case_id = (SELECT id FROM dispute WHERE year = :year AND serial = :serial) ORDER BY position;
SELECT id, case_seq, action, actor, effective_at, entered_at, detail, hash, os_login FROM event
    WHERE case_id = (SELECT id FROM dispute WHERE year = :year AND serial = :serial) ORDER BY case_seq;
