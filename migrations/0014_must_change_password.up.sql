-- An administrator who sets a password (a new user, a reset) knows it. Such a user must choose
-- their own at the next login and can reach nothing else until they have; changing it clears
-- the flag.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
