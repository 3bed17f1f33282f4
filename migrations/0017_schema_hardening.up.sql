-- Schema hardening: an index behind every foreign key, CHECKs on the codes the domain fixes,
-- and foreign keys from every reference-code column to ref_values.
--
-- 1. Reference codes. A column that holds a code of a vocabulary (benefit type, effort status
--    …) references ref_values (kind, code), the table's primary key, so a code cannot name a
--    value that does not exist. Vocabularies stay data: an administrator adds and retires
--    values (valid_from/valid_to) without a migration, and records keep their codes, retired
--    or not. Values are never deleted and a code never changes (store.AddRefValue,
--    RetireRefValue): the keys are plain NO ACTION, so a DELETE of a value still in use, made
--    by hand in SQL, is refused.
--
--    A composite key needs the kind on the referencing side too. Each code column X gets a
--    companion X_kind GENERATED ALWAYS AS ('<kind>') STORED: a constant nobody writes (an
--    INSERT or UPDATE that names it is refused), which no INSERT in the code has to mention,
--    and which says in the table's definition which vocabulary the column holds. A DEFAULT
--    plus a CHECK would do the same with two clauses instead of one and would accept a write
--    of the same constant. The price is one table rewrite per table here (a stored generated
--    column is computed for every existing row) — once, in this migration.
--
--    Codes inside arrays and JSON documents (offers.target_benefits, the TFA's tracks and
--    resources, plan snapshots) cannot be foreign keys; the forms check them against the
--    vocabulary. This part runs first: it rewrites tables, and the indexes of part 3 are then
--    built once, on the rewritten tables.
--
-- 2. CHECKs where the domain fixes the values in Go: the risk groups (helhed.RiskGroups), the
--    KRAMS factors (helhed.KRAMSCodes) and the referral states (helhed.ReferralStates) on the
--    columns that did not have one yet. These are the program's own codes, never edited by an
--    administrator; store TestFixedCodesFollowTheDomain checks the lists against the domain's.
--
-- 3. An index behind every foreign key: deleting a citizen (the retention job) cascades
--    through plans, efforts and referrals, and deleting any referenced row makes PostgreSQL
--    look for referencing rows. Without an index that look-up is a scan of the whole
--    referencing table per deleted row. A nullable column gets a partial index WHERE col IS
--    NOT NULL (a NULL references nothing, and the look-up "col = $1" implies it), so mostly
--    empty columns cost almost nothing. store TestEveryForeignKeyHasAnIndex holds every key,
--    present and future, to this rule.
--
-- Existing data is checked first: a code that is not in ref_values, or a fixed code outside
-- the domain's list, stops the migration with a list of what to correct, before anything
-- changes.

DO $$
DECLARE
    c record;
    bad text;
    problems text[] := '{}';
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('units', 'kind', 'unit_kind'),
        ('citizens', 'visitation_code', 'visitation_category'),
        ('benefit_periods', 'benefit_code', 'benefit_type'),
        ('benefit_periods', 'exit_code', 'exit_reason'),
        ('consents', 'information', 'consent_information'),
        ('offers', 'opgavetype', 'opgavetype'),
        ('offers', 'legal_basis', 'legal_basis'),
        ('assessment_participants', 'unit_kind', 'unit_kind'),
        ('plan_efforts', 'area', 'effort_area'),
        ('plan_efforts', 'status', 'effort_status'),
        ('rehab_team_members', 'area', 'team_area'),
        ('meeting_cases', 'outcome', 'indstilling'),
        ('initiatives', 'theme', 'initiative_theme'),
        ('initiatives', 'status', 'initiative_status'),
        ('initiative_status_changes', 'status', 'initiative_status')
    ) AS v(tbl, col, kind)
    LOOP
        EXECUTE format(
            'SELECT string_agg(format(''%%L (%%s rows)'', code, n), '', '' ORDER BY code)
             FROM (SELECT t.%1$I AS code, count(*) AS n FROM %2$I t
                   WHERE t.%1$I IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM ref_values r WHERE r.kind = %3$L AND r.code = t.%1$I)
                   GROUP BY 1) d', c.col, c.tbl, c.kind) INTO bad;
        IF bad IS NOT NULL THEN
            problems := problems || format('%s.%s: codes not in reference data %L: %s', c.tbl, c.col, c.kind, bad);
        END IF;
    END LOOP;

    FOR c IN SELECT * FROM (VALUES
        ('citizens', 'risk_group', 'risk group', '{hoej,mellem,lav,ingen}'),
        ('screenings', 'computed_group', 'risk group', '{hoej,mellem,lav,ingen}'),
        ('screenings', 'final_group', 'risk group', '{hoej,mellem,lav,ingen}'),
        ('referral_events', 'from_state', 'referral state',
            '{sendt,modtaget,accepteret,venteliste,afvist,startet,afsluttet,udeblevet,afbrudt,annulleret}'),
        ('referral_events', 'to_state', 'referral state',
            '{sendt,modtaget,accepteret,venteliste,afvist,startet,afsluttet,udeblevet,afbrudt,annulleret}')
    ) AS v(tbl, col, what, allowed)
    LOOP
        EXECUTE format(
            'SELECT string_agg(format(''%%L (%%s rows)'', code, n), '', '' ORDER BY code)
             FROM (SELECT %1$I AS code, count(*) AS n FROM %2$I
                   WHERE %1$I IS NOT NULL AND %1$I <> ALL (%3$L::text[]) GROUP BY 1) d',
            c.col, c.tbl, c.allowed) INTO bad;
        IF bad IS NOT NULL THEN
            problems := problems || format('%s.%s: not a %s (%s): %s', c.tbl, c.col, c.what, c.allowed, bad);
        END IF;
    END LOOP;

    SELECT string_agg(format('%L (%s rows)', k, n), ', ' ORDER BY k) INTO bad
    FROM (SELECT k, count(*) AS n FROM screenings, unnest(krams_risks) k
          WHERE k <> ALL ('{kost,rygning,alkohol,motion,soevn}') GROUP BY 1) d;
    IF bad IS NOT NULL THEN
        problems := problems || format('screenings.krams_risks: not a KRAMS factor: %s', bad);
    END IF;

    -- golang-migrate reports the message and the detail (not a hint), so the detail says what
    -- to do. It marks the version dirty although the transaction changed nothing; setting it
    -- back to 16 is safe (docs/operations.md).
    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION 'migration 0017: % column(s) hold codes the new constraints would refuse; nothing was changed',
                cardinality(problems)
            USING DETAIL = array_to_string(problems, '; ') || '. Add a missing code to ref_values (retired with '
                || 'valid_to if it is no longer in use) or correct the rows, then run UPDATE schema_migrations '
                || 'SET version = 16, dirty = false and migrate again.',
                  ERRCODE = 'check_violation';
    END IF;
END $$;

-- 1. Reference codes → ref_values (kind, code), each with its index (code first: it also
-- serves a look-up by the code alone).
ALTER TABLE units
    ADD COLUMN kind_kind text GENERATED ALWAYS AS ('unit_kind') STORED,
    ADD CONSTRAINT units_kind_fkey FOREIGN KEY (kind_kind, kind) REFERENCES ref_values (kind, code);
CREATE INDEX units_kind_idx ON units (kind, kind_kind);

ALTER TABLE citizens
    ADD COLUMN visitation_code_kind text GENERATED ALWAYS AS ('visitation_category') STORED,
    ADD CONSTRAINT citizens_visitation_code_fkey
        FOREIGN KEY (visitation_code_kind, visitation_code) REFERENCES ref_values (kind, code);
CREATE INDEX citizens_visitation_code_idx ON citizens (visitation_code, visitation_code_kind)
    WHERE visitation_code IS NOT NULL;

ALTER TABLE benefit_periods
    ADD COLUMN benefit_code_kind text GENERATED ALWAYS AS ('benefit_type') STORED,
    ADD COLUMN exit_code_kind text GENERATED ALWAYS AS ('exit_reason') STORED,
    ADD CONSTRAINT benefit_periods_benefit_code_fkey
        FOREIGN KEY (benefit_code_kind, benefit_code) REFERENCES ref_values (kind, code),
    ADD CONSTRAINT benefit_periods_exit_code_fkey
        FOREIGN KEY (exit_code_kind, exit_code) REFERENCES ref_values (kind, code);
CREATE INDEX benefit_periods_benefit_code_idx ON benefit_periods (benefit_code, benefit_code_kind);
CREATE INDEX benefit_periods_exit_code_idx ON benefit_periods (exit_code, exit_code_kind) WHERE exit_code IS NOT NULL;

ALTER TABLE consents
    ADD COLUMN information_kind text GENERATED ALWAYS AS ('consent_information') STORED,
    ADD CONSTRAINT consents_information_fkey
        FOREIGN KEY (information_kind, information) REFERENCES ref_values (kind, code);
CREATE INDEX consents_information_idx ON consents (information, information_kind);

ALTER TABLE offers
    ADD COLUMN opgavetype_kind text GENERATED ALWAYS AS ('opgavetype') STORED,
    ADD COLUMN legal_basis_kind text GENERATED ALWAYS AS ('legal_basis') STORED,
    ADD CONSTRAINT offers_opgavetype_fkey
        FOREIGN KEY (opgavetype_kind, opgavetype) REFERENCES ref_values (kind, code),
    ADD CONSTRAINT offers_legal_basis_fkey
        FOREIGN KEY (legal_basis_kind, legal_basis) REFERENCES ref_values (kind, code);
CREATE INDEX offers_opgavetype_code_idx ON offers (opgavetype, opgavetype_kind);
CREATE INDEX offers_legal_basis_idx ON offers (legal_basis, legal_basis_kind) WHERE legal_basis IS NOT NULL;

ALTER TABLE assessment_participants
    ADD COLUMN unit_kind_kind text GENERATED ALWAYS AS ('unit_kind') STORED,
    ADD CONSTRAINT assessment_participants_unit_kind_fkey
        FOREIGN KEY (unit_kind_kind, unit_kind) REFERENCES ref_values (kind, code);
CREATE INDEX assessment_participants_unit_kind_idx ON assessment_participants (unit_kind, unit_kind_kind);

ALTER TABLE plan_efforts
    ADD COLUMN area_kind text GENERATED ALWAYS AS ('effort_area') STORED,
    ADD COLUMN status_kind text GENERATED ALWAYS AS ('effort_status') STORED,
    ADD CONSTRAINT plan_efforts_area_fkey FOREIGN KEY (area_kind, area) REFERENCES ref_values (kind, code),
    ADD CONSTRAINT plan_efforts_status_fkey FOREIGN KEY (status_kind, status) REFERENCES ref_values (kind, code);
CREATE INDEX plan_efforts_area_idx ON plan_efforts (area, area_kind);
CREATE INDEX plan_efforts_status_idx ON plan_efforts (status, status_kind);

ALTER TABLE rehab_team_members
    ADD COLUMN area_kind text GENERATED ALWAYS AS ('team_area') STORED,
    ADD CONSTRAINT rehab_team_members_area_fkey FOREIGN KEY (area_kind, area) REFERENCES ref_values (kind, code);
CREATE INDEX rehab_team_members_area_idx ON rehab_team_members (area, area_kind);

ALTER TABLE meeting_cases
    ADD COLUMN outcome_kind text GENERATED ALWAYS AS ('indstilling') STORED,
    ADD CONSTRAINT meeting_cases_outcome_fkey FOREIGN KEY (outcome_kind, outcome) REFERENCES ref_values (kind, code);
CREATE INDEX meeting_cases_outcome_idx ON meeting_cases (outcome, outcome_kind) WHERE outcome IS NOT NULL;

ALTER TABLE initiatives
    ADD COLUMN theme_kind text GENERATED ALWAYS AS ('initiative_theme') STORED,
    ADD COLUMN status_kind text GENERATED ALWAYS AS ('initiative_status') STORED,
    ADD CONSTRAINT initiatives_theme_fkey FOREIGN KEY (theme_kind, theme) REFERENCES ref_values (kind, code),
    ADD CONSTRAINT initiatives_status_fkey FOREIGN KEY (status_kind, status) REFERENCES ref_values (kind, code);
CREATE INDEX initiatives_theme_code_idx ON initiatives (theme, theme_kind);
CREATE INDEX initiatives_status_idx ON initiatives (status, status_kind);

ALTER TABLE initiative_status_changes
    ADD COLUMN status_kind text GENERATED ALWAYS AS ('initiative_status') STORED,
    ADD CONSTRAINT initiative_status_changes_status_fkey
        FOREIGN KEY (status_kind, status) REFERENCES ref_values (kind, code);
CREATE INDEX initiative_status_changes_status_idx ON initiative_status_changes (status, status_kind);

-- 2. Codes the domain fixes.
ALTER TABLE citizens
    ADD CONSTRAINT citizens_risk_group_check CHECK (risk_group IN ('hoej', 'mellem', 'lav', 'ingen'));
ALTER TABLE screenings
    ADD CONSTRAINT screenings_computed_group_check CHECK (computed_group IN ('hoej', 'mellem', 'lav', 'ingen')),
    ADD CONSTRAINT screenings_final_group_check CHECK (final_group IN ('hoej', 'mellem', 'lav', 'ingen')),
    ADD CONSTRAINT screenings_krams_risks_check
        CHECK (krams_risks <@ ARRAY['kost', 'rygning', 'alkohol', 'motion', 'soevn']);
ALTER TABLE referral_events
    ADD CONSTRAINT referral_events_from_state_check CHECK (from_state IN ('sendt', 'modtaget', 'accepteret',
        'venteliste', 'afvist', 'startet', 'afsluttet', 'udeblevet', 'afbrudt', 'annulleret')),
    ADD CONSTRAINT referral_events_to_state_check CHECK (to_state IN ('sendt', 'modtaget', 'accepteret',
        'venteliste', 'afvist', 'startet', 'afsluttet', 'udeblevet', 'afbrudt', 'annulleret'));

-- 3. The foreign keys that had no index.
-- Between a citizen's own rows: the cascades of a citizen's deletion walk these.
CREATE INDEX plans_assessment_idx ON plans (assessment_id) WHERE assessment_id IS NOT NULL;
CREATE INDEX plan_efforts_referral_idx ON plan_efforts (referral_id) WHERE referral_id IS NOT NULL;
-- To offers, units, rule sets and roles.
CREATE INDEX plan_efforts_offer_idx ON plan_efforts (offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX plan_efforts_responsible_unit_idx ON plan_efforts (responsible_unit_id);
CREATE INDEX referrals_from_unit_idx ON referrals (from_unit_id);
CREATE INDEX consents_recipient_unit_idx ON consents (recipient_unit_id);
CREATE INDEX assessment_participants_unit_idx ON assessment_participants (unit_id);
CREATE INDEX rehab_teams_unit_idx ON rehab_teams (unit_id);
CREATE INDEX screenings_rule_set_idx ON screenings (rule_set_version);
CREATE INDEX users_role_idx ON users (role);
-- To users: who created, changed, concluded, recorded. The app disables users and never deletes
-- them; these keep a removal by hand (a user created by mistake) from scanning every case
-- table, and cost little: B-tree deduplication keeps one user's many entries in one posting list.
CREATE INDEX assessment_participants_user_idx ON assessment_participants (user_id);
CREATE INDEX assessments_created_by_idx ON assessments (created_by);
CREATE INDEX assessments_updated_by_idx ON assessments (updated_by);
CREATE INDEX assessments_concluded_by_idx ON assessments (concluded_by) WHERE concluded_by IS NOT NULL;
CREATE INDEX citizens_closed_by_idx ON citizens (closed_by) WHERE closed_by IS NOT NULL;
CREATE INDEX citizens_legal_hold_by_idx ON citizens (legal_hold_by) WHERE legal_hold_by IS NOT NULL;
CREATE INDEX consents_recorded_by_idx ON consents (recorded_by);
CREATE INDEX consents_withdrawn_by_idx ON consents (withdrawn_by) WHERE withdrawn_by IS NOT NULL;
CREATE INDEX follow_ups_created_by_idx ON follow_ups (created_by);
CREATE INDEX initiative_status_changes_changed_by_idx ON initiative_status_changes (changed_by) WHERE changed_by IS NOT NULL;
CREATE INDEX initiatives_created_by_idx ON initiatives (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX initiatives_updated_by_idx ON initiatives (updated_by) WHERE updated_by IS NOT NULL;
CREATE INDEX meeting_cases_added_by_idx ON meeting_cases (added_by);
CREATE INDEX meeting_cases_caseworker_idx ON meeting_cases (caseworker_id) WHERE caseworker_id IS NOT NULL;
CREATE INDEX meeting_cases_prepared_by_idx ON meeting_cases (prepared_by) WHERE prepared_by IS NOT NULL;
CREATE INDEX meeting_cases_recorded_by_idx ON meeting_cases (recorded_by) WHERE recorded_by IS NOT NULL;
CREATE INDEX meetings_chair_idx ON meetings (chair_id) WHERE chair_id IS NOT NULL;
CREATE INDEX meetings_minute_taker_idx ON meetings (minute_taker_id) WHERE minute_taker_id IS NOT NULL;
CREATE INDEX meetings_created_by_idx ON meetings (created_by);
CREATE INDEX plan_versions_saved_by_idx ON plan_versions (saved_by);
CREATE INDEX plans_created_by_idx ON plans (created_by);
CREATE INDEX plans_updated_by_idx ON plans (updated_by);
CREATE INDEX referral_events_by_user_idx ON referral_events (by_user_id) WHERE by_user_id IS NOT NULL;
CREATE INDEX rehab_teams_created_by_idx ON rehab_teams (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX rule_sets_published_by_idx ON rule_sets (published_by) WHERE published_by IS NOT NULL;
CREATE INDEX screenings_created_by_idx ON screenings (created_by);
CREATE INDEX screenings_overridden_by_idx ON screenings (overridden_by) WHERE overridden_by IS NOT NULL;
CREATE INDEX settings_created_by_idx ON settings (created_by) WHERE created_by IS NOT NULL;
