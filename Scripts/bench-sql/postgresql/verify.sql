-- verify on PostgreSQL: ../verify.sql without SQLite's integrity check (the server has no
-- page check in SQL without amcheck; mediate runs none there either).
SELECT count(*), sum(length(detail)) FROM (SELECT id, case_id, action, actor, effective_at, entered_at, detail, hash
                                           FROM event ORDER BY id) e;
SELECT count(*) FROM (SELECT * FROM dispute ORDER BY id) d;
