DROP TRIGGER IF EXISTS ref_values_notify ON ref_values;
DROP FUNCTION IF EXISTS notify_refdata();
