-- The app keeps the reference data in memory (a few hundred rows read on almost every page).
-- Any change to it — from the app or by an administrator in SQL — tells every app instance to
-- read it again, in the same transaction as the change.
CREATE FUNCTION notify_refdata() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('helhed_live', 'refdata');
    RETURN NULL;
END $$;

CREATE TRIGGER ref_values_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref_values
    FOR EACH STATEMENT EXECUTE FUNCTION notify_refdata();
