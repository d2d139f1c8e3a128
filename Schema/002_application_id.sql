-- 002: mark the file as mediate's. SQLite keeps this number in the file header
-- (offset 68), where `file` and mediate itself can tell a mediate database from any
-- other SQLite file: 0x4D454449, "MEDI".
PRAGMA application_id = 1296385097;
