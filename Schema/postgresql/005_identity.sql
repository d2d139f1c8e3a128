-- 005 (PostgreSQL, as Schema/005): who ran each command, and people who may no longer act.
-- The OS login of the real user that ran the command, beside the acting person
-- (`actor`): they differ when an admin acts for someone with --as. NULL in events
-- written before this migration, whose hashes do not cover it.
ALTER TABLE event ADD COLUMN os_login TEXT;
-- A person is disabled, never deleted: their events keep naming them.
ALTER TABLE person ADD COLUMN disabled_at BIGINT;
