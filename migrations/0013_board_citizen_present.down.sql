ALTER TABLE meetings DROP COLUMN citizen_present;
