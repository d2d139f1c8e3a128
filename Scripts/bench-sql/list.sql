-- list: the first page of the working list (open, mediating, resolved awaiting follow-up)
-- in the order of what is due next; then the parties of the page's cases; then how many
-- there are in all (`mediate list` says "200 of N"), summed from the tally of cases per unit
-- and state (migration 011). The statements `mediate list` runs (Store+Listing.swift): the
-- page reads the columns its table prints, with the unit's code and the worker's name
-- joined; the parties come in one more statement (mediate binds the page's ids, the shell
-- reads them from the index again).
SELECT d.year || '-' || printf('%04d', d.serial), d.id, d.state, u.code, d.severity, d.category,
    coalesce(w.name, d.follow_up_by, d.assignee), d.due_at, d.follow_up_at, d.summary
FROM dispute d INDEXED BY dispute_working
    LEFT JOIN unit u ON u.id = d.unit_id LEFT JOIN person w ON w.login = coalesce(d.follow_up_by, d.assignee)
WHERE d.state IN ('open', 'mediating', 'resolved')
ORDER BY CASE WHEN d.state = 'resolved' THEN d.follow_up_at ELSE d.due_at END, d.year, d.serial
LIMIT :limit;
SELECT 'party', case_id, name, phone FROM party
WHERE case_id IN (SELECT id FROM dispute INDEXED BY dispute_working WHERE state IN ('open', 'mediating', 'resolved')
                  ORDER BY CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END, year, serial LIMIT :limit)
ORDER BY case_id, position;
SELECT 'total', CAST(coalesce(sum(cases), 0) AS BIGINT) FROM dispute_tally WHERE state IN ('open', 'mediating', 'resolved');
