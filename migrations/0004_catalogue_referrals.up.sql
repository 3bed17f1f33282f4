-- Indsatskatalog (offers) and closed-loop referrals (henvisninger).
--
-- Opgavetyper and legal bases are reference data with validity dates like every other
-- law-dependent vocabulary: a new law renames or replaces a basis by an UPDATE/INSERT, never a
-- migration. The offers themselves are the municipality's data and are seeded by internal/seed
-- (they need the units, which a fresh database does not have yet).
--
-- Referral states are the municipality's workflow (internal/helhed/referral.go), not law; the
-- CHECK only keeps a typo out of the table, the transitions are enforced in Go.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('opgavetype', 'Opgavetyper', 'Indsatskatalogets opgavetyper (Faxe Kommunes inddeling i 10)'),
    ('legal_basis', 'Lovgrundlag', 'Lovgrundlag for tilbud i indsatskataloget');

INSERT INTO ref_values (kind, code, label, sort_order, description) VALUES
    ('opgavetype', 'ot01', 'Træning af sociale færdigheder', 1, ''),
    ('opgavetype', 'ot02', 'Voksenstøtte efter serviceloven', 2, ''),
    ('opgavetype', 'ot03', 'Mentor efter LAB', 3, ''),
    ('opgavetype', 'ot04', 'Kognitiv terapi, mindfulness og lign.', 4, ''),
    ('opgavetype', 'ot05', 'Rusmiddelbehandling', 5, ''),
    ('opgavetype', 'ot06', 'Motion og livsstil', 6, ''),
    ('opgavetype', 'ot07', 'Genoptræning og kronikertilbud', 7, ''),
    ('opgavetype', 'ot08', 'Beskæftigelsesrettede tilbud', 8, ''),
    ('opgavetype', 'ot09', 'Uddannelsesrettede aktiviteter', 9, ''),
    ('opgavetype', 'ot10', 'Familieterapeutisk indsats', 10, ''),

    ('legal_basis', 'lab_167', 'LAB § 167 – mentorstøtte', 10, 'Lov om en aktiv beskæftigelsesindsats'),
    ('legal_basis', 'lab_kap10', 'LAB kap. 10 – vejledning og opkvalificering', 20, ''),
    ('legal_basis', 'lab_kap11', 'LAB kap. 11 – virksomhedspraktik', 30, ''),
    ('legal_basis', 'sul_119', 'Sundhedsloven § 119 – forebyggelse og sundhedsfremme', 40, ''),
    ('legal_basis', 'sul_140', 'Sundhedsloven § 140 – genoptræning', 50, ''),
    ('legal_basis', 'sul_141', 'Sundhedsloven § 141 – alkoholbehandling', 60, ''),
    ('legal_basis', 'sel_85', 'Serviceloven § 85 – socialpædagogisk bistand', 70, ''),
    ('legal_basis', 'sel_101', 'Serviceloven § 101 – stofmisbrugsbehandling', 80, ''),
    ('legal_basis', 'sel_11', 'Serviceloven § 11 – familierettet rådgivning og familieterapi', 90,
        'Kontrollér ved lovændringer: dele af børne- og familieområdet er flyttet til barnets lov.');

CREATE TABLE offers (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL CHECK (name <> ''),
    description      text NOT NULL DEFAULT '',
    opgavetype       text NOT NULL, -- ref_values kind 'opgavetype'
    provider_unit_id bigint NOT NULL REFERENCES units (id),
    -- Target risk groups and KRAMS factors are the domain's own fixed codes (helhed.RiskGroup,
    -- helhed.KRAMSFactor); benefit groups are ref_values codes of kind 'benefit_type'.
    target_risk      text[] NOT NULL DEFAULT '{}' CHECK (target_risk <@ ARRAY['hoej', 'mellem', 'lav']),
    target_benefits  text[] NOT NULL DEFAULT '{}',
    krams            text[] NOT NULL DEFAULT '{}'
                     CHECK (krams <@ ARRAY['kost', 'rygning', 'alkohol', 'motion', 'soevn']),
    legal_basis      text, -- ref_values kind 'legal_basis'
    duration_weeks   int CHECK (duration_weeks BETWEEN 1 AND 520),
    attendance       text NOT NULL DEFAULT '', -- mødepligt and similar rules, in the provider's words
    capacity         int NOT NULL CHECK (capacity > 0),
    start_dates      date[] NOT NULL DEFAULT '{}',
    contact          text NOT NULL DEFAULT '',
    retired_at       timestamptz, -- NULL = active; retired offers take no new referrals
    version          int NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- One index per catalogue filter. The catalogue is small (tens to hundreds of offers), so the
-- planner often prefers a sequential scan; the indexes keep the filters cheap as it grows.
CREATE INDEX offers_opgavetype_idx ON offers (opgavetype, name) WHERE retired_at IS NULL;
CREATE INDEX offers_provider_idx ON offers (provider_unit_id, name);
CREATE INDEX offers_target_risk_idx ON offers USING gin (target_risk);
CREATE INDEX offers_target_benefits_idx ON offers USING gin (target_benefits);
CREATE INDEX offers_krams_idx ON offers USING gin (krams);
CREATE INDEX offers_text_trgm_idx ON offers USING gin ((lower(name || ' ' || description)) gin_trgm_ops);

CREATE TABLE referrals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id       bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    offer_id         bigint NOT NULL REFERENCES offers (id),
    from_user_id     bigint NOT NULL REFERENCES users (id),
    from_unit_id     bigint NOT NULL REFERENCES units (id),
    to_unit_id       bigint NOT NULL REFERENCES units (id), -- the offer's provider when sent
    state            text NOT NULL CHECK (state IN ('sendt', 'modtaget', 'accepteret', 'venteliste', 'afvist',
                         'startet', 'afsluttet', 'udeblevet', 'afbrudt', 'annulleret')),
    note             text NOT NULL DEFAULT '', -- may hold health information: shown under consent only
    reason           text NOT NULL DEFAULT '', -- reason of the last transition that required one
    citizen_accepted boolean NOT NULL,         -- the citizen's recorded acceptance of the referral
    created_at       timestamptz NOT NULL DEFAULT now(),
    state_changed_at timestamptz NOT NULL DEFAULT now(),
    -- When the referring caseworker last saw the referral: a later state change is "new" to them
    -- (the notification badge).
    referrer_seen_at timestamptz NOT NULL DEFAULT now(),
    version          int NOT NULL DEFAULT 1
);
-- Seats and waiting lists per offer (catalogue list, offer page, the accept transaction).
CREATE INDEX referrals_offer_state_idx ON referrals (offer_id, state, created_at);
-- The provider unit's inbox, by state and age.
CREATE INDEX referrals_inbox_idx ON referrals (to_unit_id, state, created_at);
-- The citizen page, and store.Relation's "referred to my unit" check.
CREATE INDEX referrals_citizen_idx ON referrals (citizen_id, to_unit_id);
-- The referring caseworker's list, and the badge of state changes they have not seen.
CREATE INDEX referrals_from_user_idx ON referrals (from_user_id, state_changed_at DESC);
CREATE INDEX referrals_unseen_idx ON referrals (from_user_id) WHERE state_changed_at > referrer_seen_at;

-- Every transition, timestamped with who made it. from_state is NULL for the creation.
CREATE TABLE referral_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    from_state  text,
    to_state    text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    by_user_id  bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, at, id);

