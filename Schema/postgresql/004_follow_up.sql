-- 004 (PostgreSQL, as Schema/004; json_extract is defined by 001): the agreement's follow-up (回访) and judicial confirmation (司法确认) on the case
-- row, as its events say: the perform-by day and the form of the agreement (a written one
-- may be confirmed by a court within 30 days, Art. 33 of the People's Mediation Law),
-- the person assigned to follow it up, what the follow-up found, and the application for
-- confirmation with the court's ruling. NULL where there is none.
ALTER TABLE dispute ADD COLUMN perform_by TEXT;
ALTER TABLE dispute ADD COLUMN agreement_form TEXT CHECK (agreement_form IN ('written', 'oral'));
ALTER TABLE dispute ADD COLUMN follow_up_by TEXT REFERENCES person (login);
ALTER TABLE dispute ADD COLUMN performance TEXT CHECK (performance IN ('performed', 'partly', 'not'));
ALTER TABLE dispute ADD COLUMN confirm_applied TEXT;
ALTER TABLE dispute ADD COLUMN confirm_ruling TEXT CHECK (confirm_ruling IN ('valid', 'invalid'));

-- Cases resolved before this migration: their last agreement, from its event.
UPDATE dispute SET
    perform_by = (SELECT json_extract(e.detail, '$.perform_by') FROM event e
                  WHERE e.case_id = dispute.id AND e.action = 'resolve' ORDER BY e.case_seq DESC LIMIT 1),
    agreement_form = (SELECT json_extract(e.detail, '$.form') FROM event e
                      WHERE e.case_id = dispute.id AND e.action = 'resolve' ORDER BY e.case_seq DESC LIMIT 1)
WHERE state IN ('resolved', 'closed');

-- The follow-ups due: resolved cases by their follow-up time.
CREATE INDEX dispute_follow_up ON dispute (state, follow_up_at);
