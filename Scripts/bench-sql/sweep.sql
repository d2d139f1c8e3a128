-- sweep --dry-run: the rows the sweep reads to decide on, with the statements it runs
-- (migration 008's indexes): active cases past their due date not yet supervised, or
-- supervised below their ceiling in a unit with one above; resolved ones a week past
-- their follow-up and not flagged since their agreement.
SELECT d.* FROM dispute d INDEXED BY dispute_overdue_unsupervised
WHERE d.state IN ('open', 'mediating') AND d.supervised_at IS NULL AND d.due_at < :now AND d.last_event_at <= :now
UNION ALL
SELECT d.* FROM severity s CROSS JOIN dispute d INDEXED BY dispute_overdue_supervised
WHERE d.severity = s.code AND d.state IN ('open', 'mediating') AND d.supervised_at IS NOT NULL AND d.level < s.ceiling
  AND d.due_at < :now AND d.last_event_at <= :now
  AND EXISTS (SELECT 1 FROM unit u WHERE u.id = d.unit_id AND u.parent_id IS NOT NULL)
ORDER BY due_at, id;
SELECT d.* FROM dispute d INDEXED BY dispute_follow_up_unflagged
WHERE d.state = 'resolved' AND (d.supervised_at IS NULL OR d.supervised_at < d.resolved_at)
  AND d.resolved_at IS NOT NULL AND d.follow_up_at < :late AND d.last_event_at <= :now
ORDER BY d.follow_up_at, d.id;
