-- list --overdue --unit C01 on PostgreSQL: ../list-overdue.sql, the unit's code quoted by
-- psql (:'unit'), lpad for printf, greatest for max; each unit's first page of keys read
-- by a LATERAL subquery (mediate's per-unit statement, once a unit), merged, then the
-- page's rows in its order.
WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE code = :'unit'
                           UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id),
page AS (
    SELECT k.id, k.due, k.year, k.serial FROM sub CROSS JOIN LATERAL (
        SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial
        FROM dispute
        WHERE unit_id = sub.id AND state IN ('open', 'mediating', 'resolved')
          AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
          AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < greatest(:now, :late)
        ORDER BY due, year, serial LIMIT :limit) k
    ORDER BY k.due, k.year, k.serial LIMIT :limit)
SELECT d.year || '-' || lpad(d.serial::text, 4, '0'), p.name
FROM page JOIN dispute d ON d.id = page.id LEFT JOIN party p ON p.case_id = d.id
ORDER BY page.due, page.year, page.serial, p.position;
