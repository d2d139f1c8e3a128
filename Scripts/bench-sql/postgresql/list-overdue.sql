-- list --overdue --unit C01 on PostgreSQL: ../list-overdue.sql, the unit's code quoted by
-- psql (:'unit'), lpad for printf, the order said again after the join.
WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE code = :'unit'
                           UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
SELECT d.year || '-' || lpad(d.serial::text, 4, '0'), p.name
FROM (SELECT id, year, serial, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS k FROM dispute
      WHERE ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND unit_id IN (SELECT id FROM sub)
      ORDER BY k, year, serial LIMIT :limit) d
LEFT JOIN party p ON p.case_id = d.id
ORDER BY d.k, d.year, d.serial, p.position;
