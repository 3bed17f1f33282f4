-- The TFA by section: every profession writes its own part of the analysis (Hjørring's model:
-- the jobcenter's resource profile, the health centre's health tracks, the social
-- administration's social circumstances), and the case-holding unit writes the citizen's goals
-- and the conclusion. The answers stay in assessments.tracks and assessments.resources (a
-- section is a set of their keys, access.SectionOfElement); this table keeps, per section, who
-- wrote it last and when, and the section's own optimistic lock, so two professions can write
-- their sections at once while two saves of the same section still conflict.
CREATE TABLE assessment_sections (
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    section       text NOT NULL CHECK (section IN ('beskaeftigelse', 'sundhed', 'social', 'samlet')),
    version       int NOT NULL DEFAULT 1,
    updated_by    bigint NOT NULL REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, section)
);
CREATE INDEX assessment_sections_updated_by_idx ON assessment_sections (updated_by);

-- The TFA conference: the meeting where the professionals and (usually) the citizen go
-- through the analysis together. Who attended is chosen from the TFA's participants.
CREATE TABLE assessment_conferences (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id   bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    held_on         date NOT NULL,
    citizen_present boolean NOT NULL,
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_conferences_assessment_idx ON assessment_conferences (assessment_id, held_on, id);
CREATE INDEX assessment_conferences_created_by_idx ON assessment_conferences (created_by);

CREATE TABLE assessment_conference_attendees (
    conference_id bigint NOT NULL REFERENCES assessment_conferences (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (conference_id, user_id)
);
CREATE INDEX assessment_conference_attendees_user_idx ON assessment_conference_attendees (user_id);
