-- 008: indexes that let the daily sweep and the overdue lists read only the cases they
-- act on or show, however long the history behind them. The sweep escalates or flags
-- an overdue case not yet under supervision, escalates one under supervision that is
-- still below its severity's ceiling, and flags a resolved case whose follow-up is a
-- week late once per agreement; the cases it leaves alone (under supervision at their
-- ceiling, follow-ups already flagged) pile up over the years and are in none of these.
CREATE INDEX IF NOT EXISTS dispute_overdue_unsupervised ON dispute (due_at)
    WHERE state IN ('open', 'mediating') AND supervised_at IS NULL;
CREATE INDEX IF NOT EXISTS dispute_overdue_supervised ON dispute (severity, level, due_at)
    WHERE state IN ('open', 'mediating') AND supervised_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS dispute_follow_up_unflagged ON dispute (follow_up_at)
    WHERE state = 'resolved' AND (supervised_at IS NULL OR supervised_at < resolved_at);
-- The working list of one unit's subtree (`list --unit`, `list --overdue --unit`) in the
-- order of what is due next: each unit's cases one range of this index.
CREATE INDEX IF NOT EXISTS dispute_unit_working ON dispute (
    unit_id, (CASE WHEN state = 'resolved' THEN follow_up_at ELSE due_at END), year, serial)
    WHERE state IN ('open', 'mediating', 'resolved');
