-- The citizen's own Helhed (issue 19, docs/citizen-area.md): what the citizen does in the
-- citizen area, signed in with MitID. A row the citizen wrote has no user behind it: the
-- columns below say that the citizen did it themself, kept in step with the user columns by
-- CHECKs, so "who" is never ambiguous. The audit log tells the citizen's actions apart by
-- their action ("self." prefix, store.Who.Citizen): the action is hashed into the audit
-- chain, so the actor kind cannot be changed afterwards either.

-- Consents the citizen gives or withdraws themself (recorded_by NULL: given by the citizen).
ALTER TABLE consents
    ALTER COLUMN recorded_by DROP NOT NULL,
    ADD COLUMN given_by_citizen boolean NOT NULL DEFAULT false,
    ADD COLUMN withdrawn_by_citizen boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT consents_given_by_check CHECK ((recorded_by IS NULL) = given_by_citizen),
    ADD CONSTRAINT consents_withdrawn_by_check CHECK (
        NOT withdrawn_by_citizen OR (withdrawn_at IS NOT NULL AND withdrawn_by IS NULL));

-- A document the citizen uploaded themself (uploaded_by NULL is otherwise Helhed's own).
ALTER TABLE documents
    ADD COLUMN uploaded_by_citizen boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT documents_uploaded_by_citizen_check CHECK (NOT uploaded_by_citizen OR uploaded_by IS NULL);

-- WHO-5 as the citizen answers it themself before a samtale: self-reported, beside the
-- caseworker's screenings in the WHO-5 trend and marked as the citizen's own. Health data.
-- items are the five answers (0–5), who5 the score (0–100, helhed.WHO5Score).
CREATE TABLE who5_self_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id  bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    samtale_id  bigint REFERENCES samtaler (id) ON DELETE CASCADE,
    answered_on date NOT NULL,
    items       smallint[] NOT NULL CHECK (cardinality(items) = 5 AND array_ndims(items) = 1
                    AND array_position(items, NULL) IS NULL AND 0 <= ALL (items) AND 5 >= ALL (items)),
    who5        int NOT NULL CHECK (who5 BETWEEN 0 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX who5_self_reports_citizen_idx ON who5_self_reports (citizen_id, answered_on, id);
CREATE INDEX who5_self_reports_samtale_idx ON who5_self_reports (samtale_id) WHERE samtale_id IS NOT NULL;

-- The citizen's own rating of how far they have come with each goal of their plan
-- (1 "ikke begyndt" … 5 "nået"). The goals are in the citizen's words and name their
-- health: health data, like the caseworker's progression (follow_up_scores).
CREATE TABLE goal_self_ratings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    goal_id    bigint NOT NULL REFERENCES plan_goals (id) ON DELETE CASCADE,
    rated_on   date NOT NULL,
    rating     smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_self_ratings_citizen_idx ON goal_self_ratings (citizen_id, goal_id, created_at DESC, id DESC);
CREATE INDEX goal_self_ratings_goal_idx ON goal_self_ratings (goal_id);

-- The citizen's own comments on their plan (meeting_case_id NULL) or on the
-- rehabiliteringsteam's indstilling in a case (meeting_case_id). They answer goals and
-- reasons that name diagnoses: health data.
CREATE TABLE self_comments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id      bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    meeting_case_id bigint REFERENCES meeting_cases (id) ON DELETE CASCADE,
    text            text NOT NULL CHECK (text <> '' AND char_length(text) <= 4000),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX self_comments_citizen_idx ON self_comments (citizen_id, created_at DESC, id DESC);
CREATE INDEX self_comments_meeting_case_idx ON self_comments (meeting_case_id) WHERE meeting_case_id IS NOT NULL;
