-- "Borger til stede": when the citizen sits in the meeting room, the shared screen shows the
-- other cases on the agenda by time and number only, never by name. The chair switches it;
-- every open board follows (the meeting's live topic).
ALTER TABLE meetings ADD COLUMN citizen_present boolean NOT NULL DEFAULT false;
