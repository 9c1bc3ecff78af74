-- A unit's figures of other periods (last period, the same period last year, this year's earlier
-- months: issue 24) are found by template and period; without this index each lookup scanned every
-- round once per period wanted, so its cost grew with the deployment's rounds (review 24).
CREATE INDEX rounds_by_template_period ON rounds (template_id, period);
