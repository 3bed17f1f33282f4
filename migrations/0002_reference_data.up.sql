-- Reference data in force today. Administrators maintain it afterwards (valid_from/valid_to),
-- so history keeps the values that applied when a record was made.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('benefit_type', 'Ydelsestyper', 'Offentlige forsørgelsesydelser og forløb'),
    ('exit_reason', 'Afgangsårsager', 'Hvorfor et ydelsesforløb sluttede'),
    ('visitation_category', 'Visitationskategorier', 'Match- og visitationskategorier'),
    ('unit_kind', 'Enhedstyper', 'Typer af organisatoriske enheder');

INSERT INTO ref_values (kind, code, label, sort_order, valid_from, valid_to, description) VALUES
    ('benefit_type', 'kontanthjaelp', 'Kontanthjælp', 10, '1900-01-01', NULL, ''),
    ('benefit_type', 'uddannelseshjaelp', 'Uddannelseshjælp', 20, '1900-01-01', NULL, ''),
    ('benefit_type', 'sygedagpenge', 'Sygedagpenge', 30, '1900-01-01', NULL, ''),
    ('benefit_type', 'integrationsydelse', 'Integrationsydelse', 40, '1900-01-01', NULL, ''),
    ('benefit_type', 'dagpenge', 'Dagpenge (forsikret ledig)', 50, '1900-01-01', NULL, ''),
    ('benefit_type', 'ressourceforloeb', 'Ressourceforløb', 60, '1900-01-01', NULL,
        'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); igangværende forløb fortsætter.'),
    ('benefit_type', 'jobafklaringsforloeb', 'Jobafklaringsforløb', 70, '1900-01-01', NULL, ''),
    ('benefit_type', 'ledighedsydelse', 'Ledighedsydelse', 80, '1900-01-01', NULL, ''),
    ('benefit_type', 'fleksjob', 'Fleksjob', 90, '1900-01-01', NULL, ''),

    ('exit_reason', 'job', 'Job', 10, '1900-01-01', NULL, ''),
    ('exit_reason', 'uddannelse', 'Uddannelse', 20, '1900-01-01', NULL, ''),
    ('exit_reason', 'fleksjob', 'Fleksjob', 30, '1900-01-01', NULL, ''),
    ('exit_reason', 'foertidspension', 'Førtidspension', 40, '1900-01-01', NULL, ''),
    ('exit_reason', 'andet', 'Andet', 90, '1900-01-01', NULL, ''),

    ('visitation_category', 'jobparat', 'Jobparat', 10, '1900-01-01', NULL,
        'Kan påtage sig ordinært arbejde inden for 3 måneder'),
    ('visitation_category', 'aktivitetsparat', 'Aktivitetsparat', 20, '1900-01-01', NULL, ''),
    ('visitation_category', 'aabenlyst_uddannelsesparat', 'Åbenlyst uddannelsesparat', 30, '1900-01-01', NULL, ''),
    ('visitation_category', 'uddannelsesparat', 'Uddannelsesparat', 40, '1900-01-01', NULL, ''),
    ('visitation_category', 'sdp_kategori_1', 'Sygedagpenge kategori 1', 50, '1900-01-01', NULL,
        'Forventes raskmeldt inden for 8 uger'),
    ('visitation_category', 'sdp_kategori_2', 'Sygedagpenge kategori 2', 60, '1900-01-01', NULL, ''),
    ('visitation_category', 'sdp_kategori_3', 'Sygedagpenge kategori 3', 70, '1900-01-01', '2024-12-31',
        'Afskaffet med lov nr. 1657/2024'),

    ('unit_kind', 'jobcenter', 'Jobcenter', 10, '1900-01-01', NULL, ''),
    ('unit_kind', 'sundhedscenter', 'Sundhedscenter', 20, '1900-01-01', NULL, ''),
    ('unit_kind', 'socialforvaltning', 'Socialforvaltning', 30, '1900-01-01', NULL, ''),
    ('unit_kind', 'region', 'Region', 40, '1900-01-01', NULL, ''),
    ('unit_kind', 'uddannelse', 'Uddannelse', 50, '1900-01-01', NULL, ''),
    ('unit_kind', 'ekstern', 'Ekstern leverandør', 60, '1900-01-01', NULL, ''),
    ('unit_kind', 'administration', 'Administration', 70, '1900-01-01', NULL, '');

INSERT INTO roles (code, label, description, sort_order) VALUES
    ('sagsbehandler', 'Sagsbehandler', 'Jobcenterets sagsbehandler: sagsstamme, screening, TFA, plan, henvisninger', 10),
    ('sundhedsmedarbejder', 'Sundhedsmedarbejder', 'Sundhedscentret: egne tilbud, henvisningsindbakke, fremmøde', 20),
    ('socialmedarbejder', 'Socialmedarbejder', 'Socialforvaltningen: egne tilbud, henvisningsindbakke', 30),
    ('rehabteam', 'Rehabiliteringsteam', 'Medlem af rehabiliteringsteamet: møder og indstillinger', 40),
    ('leder', 'Leder', 'Teamleder/leder: overblik over sagsstammer, kapacitet og effekt', 50),
    ('admin', 'Administrator', 'Brugere, enheder, roller, referencedata og auditlog', 60);
