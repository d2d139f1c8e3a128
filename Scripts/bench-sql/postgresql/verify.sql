-- verify on PostgreSQL: ../verify.sql without SQLite's integrity check (the server has no
-- page check in SQL without amcheck; mediate runs none there either). The server has
-- sha256() itself: each event's stored columns as a JSON array (json_build_array writes a
-- space after each comma, so a few bytes more than mediate hashes) after the previous
-- event's hash, in chain order.
SELECT count(*), sum(length(h)) FROM (
    SELECT sha256(coalesce((SELECT p.hash FROM event p WHERE p.id = e.id - 1), '\x'::bytea)
                  || convert_to(CASE WHEN os_login IS NULL
                      THEN json_build_array(id, case_id, case_seq, action, actor, effective_at, entered_at, state,
                                            unit_id, level, top_level, severity, category, due_at, breach, detail)
                      ELSE json_build_array(id, case_id, case_seq, action, actor, effective_at, entered_at, state,
                                            unit_id, level, top_level, severity, category, due_at, breach, detail,
                                            os_login) END::text, 'UTF8')) AS h
    FROM event e ORDER BY id) x;
SELECT count(*) FROM (SELECT * FROM dispute ORDER BY id) d;
-- The tally of cases per unit and state (migration 011) against one recount of the rows,
-- as `mediate verify` compares them: the recount's groups and how many differ from their
-- tally row (looked up by its key), then the tally's rows that count any case. The tally
-- agrees when none differs and the two numbers of rows are equal.
SELECT count(*), sum((r.cases <> coalesce((SELECT t.cases FROM dispute_tally t WHERE t.state = r.state AND t.unit_id = r.unit_id), 0))::int)
FROM (SELECT unit_id, state, count(*) AS cases FROM dispute GROUP BY unit_id, state) r;
SELECT count(*) FROM dispute_tally WHERE cases <> 0;
