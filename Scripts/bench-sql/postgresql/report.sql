-- report --month M on PostgreSQL: ../report.sql with what PostgreSQL needs spelled out (a
-- boolean and json_extract's text summed as integers). The month's cohort and the month
-- before's, each case as its last event before the cutoff left it; the first row is the
-- month's, the second the one before.
WITH cohort AS (
    SELECT d.id, d.origin_unit_id AS grid, d.source, d.filed_at,
        (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.effective_at < :cutoff
         ORDER BY e.case_seq DESC LIMIT 1) AS last_id,
        (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.action = 'resolve' AND e.effective_at < :cutoff
         ORDER BY e.case_seq DESC LIMIT 1) AS resolve_id
    FROM dispute d
    WHERE d.filed_at >= :start AND d.filed_at < :end
)
SELECT count(*), sum((l.state IN ('resolved', 'closed'))::int),
    sum((SELECT count(*) FROM event b WHERE b.case_id = c.id AND b.breach > 0 AND b.effective_at < :cutoff)),
    sum(json_extract(r.detail, '$.amount_fen')::bigint)
FROM cohort c
JOIN event l ON l.id = c.last_id
LEFT JOIN event r ON r.id = c.resolve_id;
WITH cohort AS (
    SELECT d.id,
        (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.effective_at < :start
         ORDER BY e.case_seq DESC LIMIT 1) AS last_id,
        (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.action = 'resolve' AND e.effective_at < :start
         ORDER BY e.case_seq DESC LIMIT 1) AS resolve_id
    FROM dispute d
    WHERE d.filed_at >= :previous AND d.filed_at < :start
)
SELECT count(*), sum((l.state IN ('resolved', 'closed'))::int),
    sum((SELECT count(*) FROM event b WHERE b.case_id = c.id AND b.breach > 0 AND b.effective_at < :start)),
    sum(json_extract(r.detail, '$.amount_fen')::bigint)
FROM cohort c
JOIN event l ON l.id = c.last_id
LEFT JOIN event r ON r.id = c.resolve_id;
