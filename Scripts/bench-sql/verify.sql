-- verify: SQLite's own check, then every event in chain order and every case row (the
-- reading `mediate verify` does; the shell cannot hash, so this is its floor).
PRAGMA integrity_check;
SELECT count(*), sum(length(detail)) FROM (SELECT id, case_id, action, actor, effective_at, entered_at, detail, hash
                                           FROM event ORDER BY id);
SELECT count(*) FROM (SELECT * FROM dispute ORDER BY id);
