-- Screening as the municipal sources describe it (issue 15, item 5): the standard self-rated
-- health item as reference data, BMI limits in the rule set, the record that the caseworker
-- encouraged the citizen to see their own doctor (egen læge) after a low WHO-5, and what an
-- offer works on beyond the KRAMS factors, so suggestions can follow what the screening found.
-- docs/screening.md explains the cut-offs and their sources.

-- 1. Self-rated health: "Hvordan synes du, dit helbred er alt i alt?", the general-health item
-- that opens the SF-36 and SF-12, with its five standard answers. The earlier four-point
-- answers stay as ended values so screenings made with them still read as they were.
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('self_rated_health', 'Selvvurderet helbred',
        'Svarene på screeningens spørgsmål "Hvordan synes du, dit helbred er alt i alt?"');
INSERT INTO ref_values (kind, code, label, sort_order, valid_from, valid_to, description, source) VALUES
    ('self_rated_health', 'fremragende', 'Fremragende', 10, '1900-01-01', NULL, '',
        'SF-36/SF-12 spm. 1 (generelt helbred), dansk ordlyd som i kommunale sundhedstjek'),
    ('self_rated_health', 'vaeldig_godt', 'Vældig godt', 20, '1900-01-01', NULL, '',
        'SF-36/SF-12 spm. 1 (generelt helbred), dansk ordlyd som i kommunale sundhedstjek'),
    ('self_rated_health', 'godt', 'Godt', 30, '1900-01-01', NULL, '',
        'SF-36/SF-12 spm. 1 (generelt helbred), dansk ordlyd som i kommunale sundhedstjek'),
    ('self_rated_health', 'mindre_godt', 'Mindre godt', 40, '1900-01-01', NULL, '',
        'SF-36/SF-12 spm. 1 (generelt helbred), dansk ordlyd som i kommunale sundhedstjek'),
    ('self_rated_health', 'daarligt', 'Dårligt', 50, '1900-01-01', NULL, '',
        'SF-36/SF-12 spm. 1 (generelt helbred), dansk ordlyd som i kommunale sundhedstjek'),
    ('self_rated_health', 'virkelig_godt', 'Virkelig godt', 91, '1900-01-01', '2026-12-06',
        'Helheds tidligere firetrinsskala, afløst af standardspørgsmålets fem svar', ''),
    ('self_rated_health', 'nogenlunde', 'Nogenlunde', 92, '1900-01-01', '2026-12-06',
        'Helheds tidligere firetrinsskala, afløst af standardspørgsmålets fem svar', '');

-- The answer is also kept in a keyed column, so only a code of the vocabulary can be stored
-- (the answers document holds it as answered, for re-scoring and display).
ALTER TABLE screenings
    ADD COLUMN self_rated_health text,
    ADD COLUMN self_rated_health_kind text GENERATED ALWAYS AS ('self_rated_health') STORED,
    ADD CONSTRAINT screenings_self_rated_health_fkey FOREIGN KEY (self_rated_health_kind, self_rated_health)
        REFERENCES ref_values (kind, code);
CREATE INDEX screenings_self_rated_health_idx ON screenings (self_rated_health, self_rated_health_kind)
    WHERE self_rated_health IS NOT NULL;
UPDATE screenings SET self_rated_health = answers->>'SelfHealth'
WHERE answers->>'SelfHealth' IN (SELECT code FROM ref_values WHERE kind = 'self_rated_health');

-- 2. The rule set in force gets BMI limits (in tenths, as the rule set holds whole numbers):
-- under 18,5 and from 30 count as a KRAMS risk for diet and exercise (WHO's BMI classes). The
-- new version keeps every other threshold and the start of the version it follows, so it
-- scores every new screening from now on; screenings already made keep their version.
INSERT INTO rule_sets (version, params, valid_from, note)
SELECT r.version + 1,
       r.params || jsonb_build_object('Version', r.version + 1, 'BMILow10', 185, 'BMIHigh10', 300),
       r.valid_from,
       'BMI-grænser tilføjet (WHO: undervægt < 18,5, svær overvægt ≥ 30). WHO-5 ≤ 28 (tegn på depression; '
       || 'opfordring til egen læge) og ≤ 50 (nedsat trivsel): Topp, Østergaard, Søndergaard & Bech, '
       || 'Psychother Psychosom 2015;84:167-176.'
FROM rule_sets r ORDER BY r.version DESC LIMIT 1;

-- 3. That the caseworker encouraged the citizen to see their own doctor, by whom and when.
-- Health data like the rest of the screening (it tells that WHO-5 was low).
ALTER TABLE screenings
    ADD COLUMN gp_encouraged_at timestamptz,
    ADD COLUMN gp_encouraged_by bigint REFERENCES users (id),
    ADD CONSTRAINT screenings_gp_encouraged_check CHECK ((gp_encouraged_at IS NULL) = (gp_encouraged_by IS NULL));
CREATE INDEX screenings_gp_encouraged_by_idx ON screenings (gp_encouraged_by) WHERE gp_encouraged_by IS NOT NULL;

-- 4. What an offer works on beyond KRAMS: mental health (matched by a low WHO-5) and
-- rusmidler (hash and other drugs). The domain's own fixed codes, like the KRAMS factors.
ALTER TABLE offers ADD COLUMN focus text[] NOT NULL DEFAULT '{}'
    CHECK (focus <@ ARRAY['mental', 'rusmidler']);
CREATE INDEX offers_focus_idx ON offers USING gin (focus);
