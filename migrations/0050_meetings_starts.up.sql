-- The citizen page lists the next 30 meetings the citizen can be put on
-- (store.UpcomingMeetings): an index range in start order that stops after 30, whose plan
-- PostgreSQL can cache because it is the same whatever the start.
CREATE INDEX meetings_starts_idx ON meetings (starts_at, id);
