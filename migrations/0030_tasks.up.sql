-- Tasks (issue 17): a caseworker's personal list of what the case asks of them, generated
-- from the case (a mentor period ending, a referral unanswered, a follow-up due, a
-- partshøring's deadline, a samtale of the kontaktforløb due, a consent expiring, an
-- indstilling without a decision), and manual tasks. A task is assigned to a person, or to a
-- unit (assignee_id NULL): the unit's staff share it.
--
-- source is the program's own code (store.TaskSources), held by a CHECK; a generated task is
-- one per (source, source_key) — the key names the thing and, where it recurs, its day — so
-- generating again never duplicates it, and a task marked done stays done. When its cause
-- is gone (the samtale was held, the partshøring answered) the generator closes it:
-- done_at with resolved = true and no done_by. Done and snooze are the user's, audited.
--
-- title is the task's text: the generator writes a fixed Danish text from the case; a manual
-- task's is free text, and the classification counts it as health data.
CREATE TABLE tasks (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id    bigint REFERENCES citizens (id) ON DELETE CASCADE,
    source        text NOT NULL CHECK (source IN ('manuel', 'mentor', 'henvisning', 'opfoelgning', 'partshoering',
                                                  'samtale', 'samtykke', 'afgoerelse', 'overdragelse')),
    source_key    text NOT NULL DEFAULT '' CHECK (char_length(source_key) <= 100),
    title         text NOT NULL CHECK (title <> '' AND char_length(title) <= 300),
    due           date NOT NULL,
    assignee_id   bigint REFERENCES users (id),
    unit_id       bigint NOT NULL REFERENCES units (id),
    snoozed_until date,
    done_at       timestamptz,
    done_by       bigint REFERENCES users (id),
    resolved      boolean NOT NULL DEFAULT false,
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    version       int NOT NULL DEFAULT 1,
    CONSTRAINT tasks_manual_key CHECK ((source = 'manuel') = (source_key = '')),
    CONSTRAINT tasks_resolved_done CHECK (NOT resolved OR done_at IS NOT NULL)
);
-- One generated task per cause.
CREATE UNIQUE INDEX tasks_source_key ON tasks (source, source_key) WHERE source <> 'manuel';
-- The open tasks of a person and of a unit, by day (the list and the header's badge).
CREATE INDEX tasks_assignee_open_idx ON tasks (assignee_id, due) WHERE done_at IS NULL;
CREATE INDEX tasks_unit_open_idx ON tasks (unit_id, due) WHERE done_at IS NULL;
-- The foreign keys' own indexes (the open-task indexes above are partial on another condition).
CREATE INDEX tasks_assignee_idx ON tasks (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX tasks_unit_idx ON tasks (unit_id);
CREATE INDEX tasks_citizen_idx ON tasks (citizen_id, source) WHERE citizen_id IS NOT NULL;
CREATE INDEX tasks_done_by_idx ON tasks (done_by) WHERE done_by IS NOT NULL;
CREATE INDEX tasks_created_by_idx ON tasks (created_by) WHERE created_by IS NOT NULL;
