-- list on PostgreSQL: ../list.sql without SQLite's index hint (PostgreSQL has none), lpad
-- for printf, and the page's order said again after the join (PostgreSQL's join does not
-- keep the subquery's order, SQLite's loop does). The total from the tally, as mediate reads
-- it for a role that row-level security does not bind (the check and the sum, one statement
-- here, two in mediate).
SELECT d.year || '-' || lpad(d.serial::text, 4, '0'), p.name, p.phone
FROM (SELECT id, year, serial, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS k FROM dispute
      WHERE state IN ('open', 'mediating', 'resolved')
      ORDER BY k, year, serial LIMIT :limit) d
LEFT JOIN party p ON p.case_id = d.id
ORDER BY d.k, d.year, d.serial, p.position;
SELECT 'total', CAST(coalesce(sum(cases), 0) AS BIGINT) FROM dispute_tally WHERE state IN ('open', 'mediating', 'resolved')
    AND (NOT row_security_active('dispute') OR mediate_sees_all(current_user));
