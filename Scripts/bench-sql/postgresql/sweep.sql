-- sweep --dry-run on PostgreSQL: ../sweep.sql as it is.
SELECT d.* FROM dispute d
WHERE d.state IN ('open', 'mediating') AND d.due_at < :now
  AND (d.supervised_at IS NULL OR d.level < (SELECT s.ceiling FROM severity s WHERE s.code = d.severity))
ORDER BY d.due_at, d.id;
SELECT d.* FROM dispute d WHERE d.state = 'resolved' AND d.follow_up_at < :late ORDER BY d.follow_up_at, d.id;
