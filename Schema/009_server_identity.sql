-- 009: nothing to change in a file. On PostgreSQL this migration makes the connected
-- role the person and adds row-level security by unit subtree (Schema/postgresql/009);
-- a file has no roles: its readers are those the file's group lets in (see README).
SELECT 1;
