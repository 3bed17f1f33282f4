DROP TRIGGER IF EXISTS units_notify ON units;
DROP TRIGGER IF EXISTS settings_notify ON settings;
DROP FUNCTION IF EXISTS notify_live_topic();
