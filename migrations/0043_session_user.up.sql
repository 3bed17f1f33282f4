-- The session's user, written with the session (web/sessionstore.go), so one statement reads
-- both on every request (store.SessionWithUser) instead of the session and then the user.
-- No foreign key: a session names its user only to read it; users are never deleted, and
-- the session row is scs's to expire.
ALTER TABLE sessions ADD COLUMN user_id bigint;
