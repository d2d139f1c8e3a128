-- list on PostgreSQL: ../list.sql without SQLite's index hint (PostgreSQL has none) and with
-- lpad for printf: the page with the columns its table prints (the unit's code and the
-- worker's name joined), the page's parties, and the total from the tally, as mediate reads
-- it for a role that row-level security does not bind (the check and the sum, one statement
-- here, two in mediate).
SELECT d.year || '-' || lpad(d.serial::text, 4, '0'), d.id, d.state, u.code, d.severity, d.category,
    coalesce(w.name, d.follow_up_by, d.assignee), d.due_at, d.follow_up_at, d.summary
FROM dispute d
    LEFT JOIN unit u ON u.id = d.unit_id LEFT JOIN person w ON w.login = coalesce(d.follow_up_by, d.assignee)
WHERE d.state IN ('open', 'mediating', 'resolved')
ORDER BY CASE WHEN d.state = 'resolved' THEN d.follow_up_at ELSE d.due_at END, d.year, d.serial
LIMIT :limit;
SELECT 'party', case_id, name, phone FROM party
WHERE case_id IN (SELECT id FROM dispute WHERE state IN ('open', 'mediating', 'resolved')
                  ORDER BY CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END, year, serial LIMIT :limit)
ORDER BY case_id, position;
SELECT 'total', CAST(coalesce(sum(cases), 0) AS BIGINT) FROM dispute_tally WHERE state IN ('open', 'mediating', 'resolved')
    AND (NOT row_security_active('dispute') OR mediate_sees_all(current_user));
