-- sweep --dry-run: the active cases past their due date (what the sweep decides on).
SELECT count(*) FROM dispute WHERE state IN ('open', 'mediating') AND due_at < :now;
