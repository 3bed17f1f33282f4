-- Providers report back (Faxe's closed loop): the provider unit records the citizen's
-- attendance per session or per week, writes status reports, and an afslutningsnotat when the
-- course ends. Everything here belongs to the referral's provider unit and is classified by
-- the referral's row (access.ProviderReportRow): the case-holding unit reads it, other units
-- only under the consent the referral's class needs. Repeated no-shows show the caseworker a
-- warning (setting no_show_warning).
CREATE TABLE referral_attendance (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    period      text NOT NULL CHECK (period IN ('gang', 'uge')),      -- one session, or one week
    held_on     date NOT NULL,                                         -- the session's day, or the week's Monday
    attendance  text NOT NULL CHECK (attendance IN ('moedt', 'afbud', 'udeblevet')),
    note        text NOT NULL DEFAULT '',
    recorded_by bigint NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (period <> 'uge' OR extract(isodow FROM held_on) = 1),
    UNIQUE (referral_id, period, held_on)
);
CREATE INDEX referral_attendance_recorded_by_idx ON referral_attendance (recorded_by);
-- The no-show warning counts a referral's no-shows (ReferralsWithRepeatedNoShows).
CREATE INDEX referral_attendance_no_show_idx ON referral_attendance (referral_id) WHERE attendance = 'udeblevet';

CREATE TABLE referral_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('status', 'afslutning')),
    text        text NOT NULL CHECK (text <> ''),
    written_by  bigint NOT NULL REFERENCES users (id),
    written_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_reports_referral_idx ON referral_reports (referral_id, written_at, id);
CREATE INDEX referral_reports_written_by_idx ON referral_reports (written_by);
-- One afslutningsnotat per referral.
CREATE UNIQUE INDEX referral_reports_one_closing_idx ON referral_reports (referral_id) WHERE kind = 'afslutning';

INSERT INTO settings (key, valid_from, value, note) VALUES
    ('no_show_warning', '1900-01-01', '3',
     'Antal udeblivelser fra et tilbud, før sagsbehandleren får en advarsel på borgeren og sagslisten');
