DROP MATERIALIZED VIEW IF EXISTS management_rettidighed;
DELETE FROM management_refreshes WHERE view_name = 'management_rettidighed';
