-- The law as it stands in December 2026 (issue 15). Reference data gets its source: the law
-- (number and date) its validity rests on, shown to administrators, in the law calendar
-- (/lovkalender) and in the reason a benefit period is refused. The values get the dates the
-- law gives them where a source was found; docs/law.md lists every fact with its source and
-- what stays open. A value whose start is not dated keeps 1900-01-01, which Helhed shows as
-- "ikke dateret (før Helhed)": the value existed before any record Helhed holds.
--
-- The update never overwrites an administrator's work: a start date is set only where it is
-- still 1900-01-01, an end date only where there is none, a label or a description only where
-- it is still the one the earlier migrations seeded. Every value it touches gets a new version,
-- so an edit form opened before the migration is refused instead of saving over it.

ALTER TABLE ref_values ADD COLUMN source text NOT NULL DEFAULT ''
    CHECK (char_length(source) <= 300);

-- Barnets lov §§ 29, 30 and 32 took over serviceloven § 11 on 1 January 2024.
INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description, source) VALUES
    ('legal_basis', 'bl_29', 'Barnets lov § 29 – familieorienteret rådgivning', 91, '2024-01-01',
        'Gratis, anonym og åben familieorienteret rådgivning til forældre og kommende forældre (var serviceloven § 11, stk. 2).',
        'Barnets lov (lov nr. 721 af 13.6.2023), i kraft 1.1.2024'),
    ('legal_basis', 'bl_30', 'Barnets lov § 30 – tidligt forebyggende indsatser', 92, '2024-01-01',
        'Fx konsulentbistand med familierettede indsatser og netværks- og samtalegrupper (var serviceloven § 11, stk. 3).',
        'Barnets lov (lov nr. 721 af 13.6.2023), i kraft 1.1.2024'),
    ('legal_basis', 'bl_32', 'Barnets lov § 32 – støttende indsatser, herunder familiebehandling', 93, '2024-01-01',
        'Familiebehandling er en støttende indsats efter § 32, stk. 1, nr. 5; det er en afgørelse, der kræver samtykke fra forældremyndighedens indehaver.',
        'Barnets lov (lov nr. 721 af 13.6.2023), i kraft 1.1.2024');

UPDATE ref_values r SET
    valid_from = CASE WHEN v.valid_from IS NOT NULL AND r.valid_from = DATE '1900-01-01'
                           AND (r.valid_to IS NULL OR r.valid_to >= v.valid_from)
                      THEN v.valid_from ELSE r.valid_from END,
    valid_to = CASE WHEN v.valid_to IS NOT NULL AND r.valid_to IS NULL THEN v.valid_to ELSE r.valid_to END,
    label = CASE WHEN v.label IS NOT NULL AND r.label = v.old_label THEN v.label ELSE r.label END,
    description = CASE WHEN v.description IS NOT NULL AND r.description = v.old_description
                       THEN v.description ELSE r.description END,
    source = v.source,
    version = r.version + 1
FROM (VALUES
    -- Benefit types.
    ('benefit_type', 'kontanthjaelp', NULL::date, NULL::date, NULL, NULL, '',
        'Fra 1.7.2025 én kontanthjælp efter LAS §§ 16-20 med mindstesats, grundsats, forhøjet sats og sats for hjemmeboende samt tillæg; den afløste uddannelseshjælp, overgangsydelse og selvforsørgelses- og hjemrejseydelse. Satsen er en oplysning om forløbet, ikke en ydelsestype.',
        'Lov om aktiv socialpolitik (lov nr. 455 af 10.6.1997); fra 1.7.2025 kontanthjælp efter §§ 16-20 (lov nr. 1655 af 30.12.2024)'),
    ('benefit_type', 'uddannelseshjaelp', DATE '2014-01-01', DATE '2025-06-30', NULL, NULL, '',
        'For unge under 30 uden erhvervskompetencegivende uddannelse. Modtagere fik fra 1.7.2025 deres hjælp beregnet efter de nye regler om kontanthjælp.',
        'Indført ved lov nr. 894 af 4.7.2013; afskaffet ved lov nr. 1655 af 30.12.2024'),
    ('benefit_type', 'sygedagpenge', NULL, NULL, NULL, NULL, '', NULL,
        'Lov om sygedagpenge (lov nr. 563 af 9.6.2006)'),
    ('benefit_type', 'integrationsydelse', DATE '2015-09-01', DATE '2025-06-30',
        'Integrationsydelse', 'Integrationsydelse / overgangsydelse / selvforsørgelses- og hjemrejseydelse', '',
        'Ydelsen efter LAS § 22 til personer, der ikke opfylder opholdskravet. Omdøbt til selvforsørgelses- og hjemrejseydelse (flygtninge) og overgangsydelse (andre) efter lovforslag L 140 (2018-19); kilderne er uenige om, hvornår navnet skiftede (januar 2019 eller 1.1.2020), så Helhed har én kode for hele perioden.',
        'Indført ved lov nr. 1000 af 30.8.2015; afskaffet ved lov nr. 1655 af 30.12.2024'),
    ('benefit_type', 'dagpenge', NULL, NULL, NULL, NULL, '', NULL,
        'Lov om arbejdsløshedsforsikring m.v.'),
    ('benefit_type', 'ressourceforloeb', DATE '2013-01-01', NULL, NULL, NULL,
        'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); igangværende forløb fortsætter.',
        'Afskaffet for nye borgere ved lov nr. 1750 af 29.12.2025; igangværende forløb fortsætter efter de tidligere regler. Loven trådte i kraft 1.2. og 1.7.2026; hvilken dato der lukker ressourceforløb, er ikke bekræftet, så slutdatoen står åben, til en administrator har set lovens ikrafttrædelsesbestemmelse.',
        'Indført ved lov nr. 1380 af 23.12.2012; afskaffet for nye borgere ved lov nr. 1750 af 29.12.2025'),
    ('benefit_type', 'jobafklaringsforloeb', DATE '2014-07-01', NULL, NULL, NULL, '',
        'Efter sygedagpenge, når de ikke kan forlænges ved revurderingen. Et varslet lovforslag afskaffer jobafklaringsforløb fra 1.1.2027; det var ikke vedtaget i de kilder, Helhed har læst, så slutdatoen står åben.',
        'Indført ved lov nr. 720 af 25.6.2014'),
    ('benefit_type', 'ledighedsydelse', NULL, NULL, NULL, NULL, '',
        'Forsørgelse for personer, der er visiteret til fleksjob og er ledige.',
        'Lov om aktiv socialpolitik §§ 74-74 h'),
    ('benefit_type', 'fleksjob', NULL, NULL, NULL, NULL, '',
        'Fleksjob er ansættelse med løntilskud, ikke en forsørgelsesydelse; Jobindsats tæller det dog med i offentlig forsørgelse. Den nuværende ordning gælder fra 1.1.2013.',
        'Lov om en aktiv beskæftigelsesindsats (fleksjob); ordningen ændret ved lov nr. 1380 af 23.12.2012'),

    -- Visitation categories.
    ('visitation_category', 'jobparat', NULL, NULL, NULL, NULL,
        'Kan påtage sig ordinært arbejde inden for 3 måneder',
        'Kan påtage sig ordinært arbejde inden for 3 måneder. Bruges fortsat efter kontanthjælpsreformen 1.7.2025. Den varslede nye hovedlov gør alle kontanthjælpsmodtagere jobparate som udgangspunkt; ikke dateret, før loven kendes.',
        'Målgrupper efter lov om en aktiv beskæftigelsesindsats (bek. nr. 2636 af 28.12.2021 § 1); lov om aktiv socialpolitik § 19'),
    ('visitation_category', 'aktivitetsparat', NULL, NULL, NULL, NULL, '',
        'Bruges fortsat efter kontanthjælpsreformen 1.7.2025 (særligt ungetillæg efter LAS § 19 gives til aktivitetsparate under 30).',
        'Målgrupper efter lov om en aktiv beskæftigelsesindsats (bek. nr. 2636 af 28.12.2021 § 1); lov om aktiv socialpolitik § 19'),
    ('visitation_category', 'aabenlyst_uddannelsesparat', NULL, NULL, NULL, NULL, '',
        'Ingen kilde efter kontanthjælpsreformen 1.7.2025 nævner kategorien; om den findes endnu, er ikke afklaret, så den står åben.',
        'Lov om en aktiv beskæftigelsesindsats (målgrupper før 1.7.2025)'),
    ('visitation_category', 'uddannelsesparat', NULL, NULL, NULL, NULL, '',
        'Kontanthjælpsmodtagere under 30 uden erhvervskompetencegivende uddannelse; findes fortsat efter 1.7.2025.',
        'Bek. nr. 2636 af 28.12.2021 § 1; fortsat efter lov nr. 1655 af 30.12.2024'),
    ('visitation_category', 'sdp_kategori_1', NULL, NULL, NULL, NULL,
        'Forventes raskmeldt inden for 8 uger',
        'Forventes raskmeldt inden for 8 uger. Lov nr. 1750 af 29.12.2025 udfaser visitationskategorierne for sygemeldte; datoen og om de ophæves formelt, er ikke bekræftet.',
        'Lov om sygedagpenge § 12, stk. 1, nr. 1'),
    ('visitation_category', 'sdp_kategori_2', NULL, NULL, NULL, NULL, '',
        'Lov nr. 1750 af 29.12.2025 udfaser visitationskategorierne for sygemeldte; datoen og om de ophæves formelt, er ikke bekræftet.',
        'Lov om sygedagpenge § 12, stk. 1, nr. 2'),
    ('visitation_category', 'sdp_kategori_3', NULL, NULL, NULL, NULL,
        'Afskaffet med lov nr. 1657/2024',
        'Ophævet fra 1.1.2025 efter aftalen om forenkling af sygedagpengereglerne; lovens egen ikrafttrædelsesbestemmelse er ikke set.',
        'Ophævet ved lov nr. 1657 af 30.12.2024 (sygedagpengeloven § 12, stk. 1, nr. 3)'),

    -- Legal bases of the catalogue's offers.
    ('legal_basis', 'lab_167', NULL, NULL, NULL, NULL, 'Lov om en aktiv beskæftigelsesindsats',
        'Lov om en aktiv beskæftigelsesindsats. Brugen af mentorordningen er begrænset fra 1.1.2026 ved en særskilt lov (nummeret er ikke fundet).',
        'Lov om en aktiv beskæftigelsesindsats (lov nr. 548 af 7.5.2019) § 167'),
    ('legal_basis', 'lab_kap10', NULL, NULL, NULL, NULL, '', NULL,
        'Lov om en aktiv beskæftigelsesindsats (lov nr. 548 af 7.5.2019) kapitel 10'),
    ('legal_basis', 'lab_kap11', NULL, NULL, NULL, NULL, '', NULL,
        'Lov om en aktiv beskæftigelsesindsats (lov nr. 548 af 7.5.2019) kapitel 11'),
    ('legal_basis', 'sul_119', NULL, NULL, NULL, NULL, '', NULL, 'Sundhedsloven § 119'),
    ('legal_basis', 'sul_140', NULL, NULL, NULL, NULL, '', NULL, 'Sundhedsloven § 140'),
    ('legal_basis', 'sul_141', NULL, NULL, NULL, NULL, '', NULL, 'Sundhedsloven § 141'),
    ('legal_basis', 'sel_85', NULL, NULL, NULL, NULL, '', NULL,
        'Lov om social service (lov nr. 573 af 24.6.2005) § 85'),
    ('legal_basis', 'sel_101', NULL, NULL, NULL, NULL, '',
        'For voksne. Social stofmisbrugsbehandling af børn og unge sker efter barnets lov § 33.',
        'Lov om social service (lov nr. 573 af 24.6.2005) § 101'),
    ('legal_basis', 'sel_11', NULL, DATE '2023-12-31', NULL, NULL,
        'Kontrollér ved lovændringer: dele af børne- og familieområdet er flyttet til barnets lov.',
        'Serviceloven § 11 er ophævet; fra 1.1.2024 gælder barnets lov § 29 (familieorienteret rådgivning), § 30 (tidligt forebyggende indsatser) og § 32 (støttende indsatser, herunder familiebehandling).',
        'Afløst af barnets lov (lov nr. 721 af 13.6.2023), i kraft 1.1.2024'),

    -- The rehabiliteringsteam's indstilling (the team came with the reform of 1.1.2013).
    ('indstilling', 'ressourceforloeb', DATE '2013-01-01', NULL, NULL, NULL,
        'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); en administrator sætter slutdato, når det træder i kraft',
        'Afskaffet for nye borgere ved lov nr. 1750 af 29.12.2025; datoen (1.2. eller 1.7.2026) er ikke bekræftet, så slutdatoen står åben.',
        'Indført ved lov nr. 1380 af 23.12.2012; afskaffet for nye borgere ved lov nr. 1750 af 29.12.2025'),
    ('indstilling', 'jobafklaringsforloeb', DATE '2014-07-01', NULL, NULL, NULL, '', NULL,
        'Indført ved lov nr. 720 af 25.6.2014'),
    ('indstilling', 'fleksjob', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('indstilling', 'foertidspension', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('indstilling', 'ordinaer', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('indstilling', 'andet', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),

    -- The rehabiliteringsteam's areas. From 1.1.2025 only employment and the region's clinical
    -- function are required (lov nr. 1657 af 30.12.2024); lov nr. 1750 removes the duty to have
    -- a team (date not pinned). The area "uddannelse" is not dated: no source said when it came.
    ('team_area', 'beskaeftigelse', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('team_area', 'sundhed', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('team_area', 'social', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet indført ved lov nr. 1380 af 23.12.2012'),
    ('team_area', 'sundhedskoordinator', DATE '2013-01-01', NULL, NULL, NULL, '', NULL,
        'Sundhedsfaglig rådgivning fra regionens kliniske funktion, indført ved lov nr. 1380 af 23.12.2012'),
    ('team_area', 'uddannelse', NULL, NULL, NULL, NULL, '', NULL,
        'Rehabiliteringsteamet (lov om organisering og understøttelse af beskæftigelsesindsatsen)'),

    -- Unit kinds: only the jobcenter is a term of the law.
    ('unit_kind', 'jobcenter', NULL, NULL, NULL, NULL, '',
        'Kravet om et jobcenter er ophævet ved lov nr. 1750 af 29.12.2025 (loven siger nu "kommunen"); værdien er kommunens egen organisering og gælder fortsat.',
        'Lov nr. 1750 af 29.12.2025 (kravet om jobcentre ophævet)'),

    -- The opgavetyper are the municipality's own grouping of its catalogue, not the law's.
    ('opgavetype', 'ot01', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot02', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot03', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot04', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot05', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot06', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot07', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot08', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot09', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)'),
    ('opgavetype', 'ot10', NULL, NULL, NULL, NULL, NULL, NULL, 'Kommunens inddeling af indsatskataloget (ikke lovbestemt)')
) AS v(kind, code, valid_from, valid_to, old_label, label, old_description, description, source)
WHERE r.kind = v.kind AND r.code = v.code;
