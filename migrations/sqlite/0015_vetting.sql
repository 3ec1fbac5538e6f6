-- Vetting (issue 11): a volunteer's standing. 'approved': vetted (added by a dispatcher, or
-- approved by an admin); 'pending': joined by text under join.approval = "dispatcher", never
-- alerted until approved; 'unvetted': joined under "open", alerted with the zone or a rough
-- place only, never a verifier, answers not counted towards the responders wanted.
-- Everyone already on the roster was added or accepted before vetting existed: approved.
-- Keep in step with migrations/postgres/0015_vetting.sql.
ALTER TABLE volunteers ADD COLUMN standing TEXT NOT NULL DEFAULT 'approved'
    CHECK (standing IN ('approved', 'pending', 'unvetted'));
