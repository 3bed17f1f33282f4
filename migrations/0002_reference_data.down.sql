DELETE FROM roles;
DELETE FROM ref_values;
DELETE FROM ref_kinds;
