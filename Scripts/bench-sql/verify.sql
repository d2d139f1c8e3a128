-- verify: SQLite's own check, then every event in chain order hashed with the hash before
-- it, and every case row: the reading and hashing `mediate verify` does, by hand.
-- The shell has no SHA-256 but has sha3(X, 256): json_array of an event's stored columns
-- gives byte for byte the content mediate hashes (the OS login a 17th element only when
-- there is one), so the shell hashes the same bytes per event, the previous event's hash
-- first (looked up by id: cheaper here than a window's lag), with another function.
-- (Until round three this file only read the events and said "the shell cannot hash": a
-- floor without the hashing, against which verify measured 2.5-3.8x.)
PRAGMA integrity_check;
SELECT count(*), sum(length(h)) FROM (
    SELECT sha3(coalesce((SELECT p.hash FROM event p WHERE p.id = e.id - 1), x'') || CASE WHEN os_login IS NULL
        THEN json_array(id, case_id, case_seq, action, actor, effective_at, entered_at, state, unit_id, level,
                        top_level, severity, category, due_at, breach, detail)
        ELSE json_array(id, case_id, case_seq, action, actor, effective_at, entered_at, state, unit_id, level,
                        top_level, severity, category, due_at, breach, detail, os_login) END, 256) AS h
    FROM event e ORDER BY id);
SELECT count(*) FROM (SELECT * FROM dispute ORDER BY id);
-- The tally of cases per unit and state (migration 011) against one recount of the rows,
-- as `mediate verify` compares them: the recount's groups and how many differ from their
-- tally row (looked up by its key), then the tally's rows that count any case. The tally
-- agrees when none differs and the two numbers of rows are equal.
SELECT count(*), sum(r.cases <> coalesce((SELECT t.cases FROM dispute_tally t WHERE t.state = r.state AND t.unit_id = r.unit_id), 0))
FROM (SELECT unit_id, state, count(*) AS cases FROM dispute NOT INDEXED GROUP BY unit_id, state) r;
SELECT count(*) FROM dispute_tally WHERE cases <> 0;
