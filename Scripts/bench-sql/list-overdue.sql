-- list --overdue --unit C01: active cases past their due date, and resolved ones a week
-- past their follow-up, in the community's subtree, most urgent first.
WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE code = :unit
                           UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
SELECT d.year || '-' || printf('%04d', d.serial), p.name
FROM (SELECT id, year, serial FROM dispute
      WHERE ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND unit_id IN (SELECT id FROM sub)
      ORDER BY CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END, year, serial LIMIT :limit) d
LEFT JOIN party p ON p.case_id = d.id;
