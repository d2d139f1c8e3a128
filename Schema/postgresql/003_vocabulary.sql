-- 003 (PostgreSQL, as Schema/003): the words of the field. The category list of the people's-mediation statistics
-- writes 其他 (not the variant 其它); a deployment that renamed the entry keeps its name.
UPDATE category SET name_zh = '其他' WHERE code = 'other' AND name_zh = '其它';
