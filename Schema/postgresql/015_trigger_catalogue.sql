-- 015 (PostgreSQL): the catalogue of triggers that `verify` compares with the schema's says
-- more of each trigger: the columns an UPDATE trigger is limited to, whether it has a WHEN
-- condition, whether its function runs as its owner (SECURITY DEFINER), and whether that
-- function's settings are the search path the migrations fix (" path"), other settings
-- (" set") or none. A trigger made again as `BEFORE UPDATE OF hash` or `WHEN (false)` lets
-- updates through under its own name, type bits and function, and a function made
-- SECURITY INVOKER or given another search path changes what runs: each now differs.
CREATE OR REPLACE VIEW sqlite_master (type, name, tbl_name, sql) AS
    SELECT 'table'::text, c.relname::text, c.relname::text, NULL::text
    FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
    UNION ALL
    SELECT 'trigger'::text, t.tgname::text, c.relname::text,
        format('%s %s %s %s', t.tgtype, t.tgenabled, p.proname, encode(sha256(convert_to(p.prosrc, 'UTF8')), 'hex'))
        || coalesce(' of ' || (
            SELECT string_agg(a.attname::text, ',' ORDER BY a.attname) FROM pg_attribute a
            WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])), '')
        || CASE WHEN t.tgqual IS NOT NULL THEN ' when' ELSE '' END
        || CASE WHEN p.prosecdef THEN ' definer' ELSE '' END
        || CASE
            WHEN p.proconfig IS NULL THEN ''
            WHEN p.proconfig = ARRAY[format('search_path=%I, pg_temp', current_schema())] THEN ' path'
            ELSE ' set'
        END
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal AND t.tgenabled <> 'D';
