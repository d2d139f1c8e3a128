-- list --overdue --unit C01: active cases past their due date, and resolved ones whose
-- follow-up day has passed, in the community's subtree, most urgent first. The statements
-- `mediate list` runs: from each unit's range of its working index (migrations 008, 010,
-- read from the index alone) the keys of at most a page in order, merged; the page's rows
-- and parties; how many match, counted up to mediate's cap (max(1000, five pages)) and one
-- more. mediate runs the per-unit statement once a unit;
-- here it is written out for the bench street's community and its ten grids, the
-- subtree read first as mediate reads it (one recursive statement).
CREATE TEMP TABLE sub AS
    WITH RECURSIVE tree(id) AS (SELECT id FROM unit WHERE code = :unit
                                UNION SELECT u.id FROM unit u JOIN tree ON u.parent_id = tree.id)
    SELECT id FROM tree ORDER BY id;
WITH keys AS (
    SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 0) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 1) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 2) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 3) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 4) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 5) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 6) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 7) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 8) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 9) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)
    UNION ALL SELECT * FROM (SELECT id, CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END AS due, year, serial FROM dispute INDEXED BY dispute_unit_working
      WHERE unit_id = (SELECT id FROM sub LIMIT 1 OFFSET 10) AND state IN ('open', 'mediating', 'resolved')
        AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
        AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
      ORDER BY due, year, serial LIMIT :limit)),
page AS (SELECT id, due, year, serial FROM keys ORDER BY due, year, serial LIMIT :limit)
SELECT d.year || '-' || printf('%04d', d.serial), p.name
FROM page JOIN dispute d ON d.id = page.id LEFT JOIN party p ON p.case_id = d.id
ORDER BY page.due, page.year, page.serial, p.position;
SELECT 'total', count(*) FROM (SELECT 1 FROM dispute INDEXED BY dispute_unit_working
WHERE state IN ('open', 'mediating', 'resolved') AND unit_id IN (SELECT id FROM sub)
  AND ((state IN ('open', 'mediating') AND due_at < :now) OR (state = 'resolved' AND follow_up_at < :late))
  AND (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END) < max(:now, :late)
LIMIT max(1000, 5 * :limit) + 1);
