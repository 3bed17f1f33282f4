-- Two pages read thousands of table rows to show a few dozen (found with pg_stat_statements
-- and auto_explain under `make bench`, issue 21). Both become index-only scans.
--
-- The provider's inbox chooses its page of 50 from every referral in the tab (1 600 in a
-- health centre's "Nye" at 100 000 citizens) and needs each one's id, which the index did
-- not hold: one table row each, 1 400 pages read for a page of 50 (20-70 ms). With the id in
-- the index the page and the tab counts read the index alone (about 1 ms).
DROP INDEX referrals_inbox_idx;
CREATE INDEX referrals_inbox_idx ON referrals (to_unit_id, state, created_at, id);

-- A health professional's TFA invitations (the inbox and the front page) join their
-- participations with the open drafts. After five years a professional has taken part in
-- 2 300 TFAs, 42 of them still open, and every participation and every open draft was read
-- from the table (2 300 + 1 100 pages, 36-75 ms). The participations by user and unit, with
-- the draft and the time, and the open drafts by id, with the citizen and the number, are
-- enough for the join (6 ms, most of it the 42 citizens' names).
DROP INDEX assessment_participants_user_idx;
CREATE INDEX assessment_participants_user_idx ON assessment_participants (user_id, unit_id)
    INCLUDE (assessment_id, added_at);
CREATE INDEX assessments_open_idx ON assessments (id) INCLUDE (citizen_id, number)
    WHERE concluded_at IS NULL;
