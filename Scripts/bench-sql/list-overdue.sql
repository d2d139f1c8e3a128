-- list --overdue --unit C01: active cases past their due date, and resolved ones whose
-- follow-up day has passed, in the community's subtree, most urgent first: the first
-- page and how many match in all, each from the units' ranges of their working index
-- (migration 008). The statements `mediate list` runs.
WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE code = :unit
                           UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
SELECT d.year || '-' || printf('%04d', d.serial), p.name
FROM (SELECT id, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE state IN ('open', 'mediating', 'resolved') AND unit_id IN (SELECT id FROM sub)
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END, year, serial LIMIT :limit) d
LEFT JOIN party p ON p.case_id = d.id;
WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE code = :unit
                           UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
SELECT 'total', count(*) FROM dispute INDEXED BY dispute_unit_working
WHERE state IN ('open', 'mediating', 'resolved') AND unit_id IN (SELECT id FROM sub)
  AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
  AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late);
