-- The task badge beside "Opgaver" is counted on every page. It counted "the user's, or the
-- unit's unassigned" open tasks in one condition and read every such task from the table to
-- check its snooze date (49 buffers a page at 100 000 citizens; pg_stat_statements under
-- make bench). It is now two counts added (store.taskBadgeSQL), each an index-only scan: the
-- user's open tasks by due date with the snooze date in the index, and the unit's open
-- unassigned tasks likewise.
DROP INDEX tasks_assignee_open_idx;
CREATE INDEX tasks_assignee_open_idx ON tasks (assignee_id, due) INCLUDE (snoozed_until) WHERE done_at IS NULL;
CREATE INDEX tasks_unit_unassigned_idx ON tasks (unit_id, due) INCLUDE (snoozed_until)
    WHERE done_at IS NULL AND assignee_id IS NULL;
