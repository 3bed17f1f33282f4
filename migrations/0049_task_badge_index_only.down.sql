DROP INDEX tasks_unit_unassigned_idx;
DROP INDEX tasks_assignee_open_idx;
CREATE INDEX tasks_assignee_open_idx ON tasks (assignee_id, due) WHERE done_at IS NULL;
