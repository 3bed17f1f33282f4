-- Back to the reference data of migration 0022, as far as it can be without losing records:
-- the barnets lov values go only if nothing uses them (the foreign keys refuse otherwise).
-- Dates the up migration set are undone; labels and descriptions it changed are restored.
UPDATE ref_values SET valid_from = DATE '1900-01-01'
WHERE (kind, code) IN (('benefit_type', 'uddannelseshjaelp'), ('benefit_type', 'integrationsydelse'),
    ('benefit_type', 'ressourceforloeb'), ('benefit_type', 'jobafklaringsforloeb'),
    ('indstilling', 'ressourceforloeb'), ('indstilling', 'jobafklaringsforloeb'), ('indstilling', 'fleksjob'),
    ('indstilling', 'foertidspension'), ('indstilling', 'ordinaer'), ('indstilling', 'andet'),
    ('team_area', 'beskaeftigelse'), ('team_area', 'sundhed'), ('team_area', 'social'), ('team_area', 'sundhedskoordinator'));
UPDATE ref_values SET valid_to = NULL
WHERE (kind, code) IN (('benefit_type', 'uddannelseshjaelp'), ('benefit_type', 'integrationsydelse'), ('legal_basis', 'sel_11'));
UPDATE ref_values SET label = 'Integrationsydelse' WHERE kind = 'benefit_type' AND code = 'integrationsydelse';
UPDATE ref_values SET description = '' WHERE (kind, code) IN (('benefit_type', 'kontanthjaelp'),
    ('benefit_type', 'uddannelseshjaelp'), ('benefit_type', 'integrationsydelse'), ('benefit_type', 'jobafklaringsforloeb'),
    ('benefit_type', 'ledighedsydelse'), ('benefit_type', 'fleksjob'), ('visitation_category', 'aktivitetsparat'),
    ('visitation_category', 'aabenlyst_uddannelsesparat'), ('visitation_category', 'uddannelsesparat'),
    ('visitation_category', 'sdp_kategori_2'), ('legal_basis', 'sel_101'), ('unit_kind', 'jobcenter'));
UPDATE ref_values SET description = 'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); igangværende forløb fortsætter.'
WHERE kind = 'benefit_type' AND code = 'ressourceforloeb';
UPDATE ref_values SET description = 'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); en administrator sætter slutdato, når det træder i kraft'
WHERE kind = 'indstilling' AND code = 'ressourceforloeb';
UPDATE ref_values SET description = 'Kan påtage sig ordinært arbejde inden for 3 måneder'
WHERE kind = 'visitation_category' AND code = 'jobparat';
UPDATE ref_values SET description = 'Forventes raskmeldt inden for 8 uger'
WHERE kind = 'visitation_category' AND code = 'sdp_kategori_1';
UPDATE ref_values SET description = 'Afskaffet med lov nr. 1657/2024'
WHERE kind = 'visitation_category' AND code = 'sdp_kategori_3';
UPDATE ref_values SET description = 'Lov om en aktiv beskæftigelsesindsats'
WHERE kind = 'legal_basis' AND code = 'lab_167';
UPDATE ref_values SET description = 'Kontrollér ved lovændringer: dele af børne- og familieområdet er flyttet til barnets lov.'
WHERE kind = 'legal_basis' AND code = 'sel_11';
DELETE FROM ref_values WHERE kind = 'legal_basis' AND code IN ('bl_29', 'bl_30', 'bl_32');
ALTER TABLE ref_values DROP COLUMN source;
