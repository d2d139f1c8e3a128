-- list: the first page of the working list (open, mediating, resolved awaiting follow-up)
-- in the order of what is due next, with the parties of each case shown; then how many
-- there are in all (`mediate list` says "200 of N"), summed from the tally of cases per unit
-- and state (migration 011). The statements `mediate list` runs.
SELECT d.year || '-' || printf('%04d', d.serial), p.name, p.phone
FROM (SELECT id, year, serial FROM dispute INDEXED BY dispute_working
      WHERE state IN ('open', 'mediating', 'resolved')
      ORDER BY CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END, year, serial LIMIT :limit) d
LEFT JOIN party p ON p.case_id = d.id;
SELECT 'total', CAST(coalesce(sum(cases), 0) AS BIGINT) FROM dispute_tally WHERE state IN ('open', 'mediating', 'resolved');
