-- The app keeps the dated settings and the units in memory too (read on almost every page,
-- changed a few times a year). As with the reference data (0011), any change — from the app
-- or by an administrator in SQL — tells every app instance to read them again, in the same
-- transaction as the change. The topic is the trigger's argument.
CREATE FUNCTION notify_live_topic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('helhed_live', TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_live_topic('settings');

CREATE TRIGGER units_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION notify_live_topic('units');
