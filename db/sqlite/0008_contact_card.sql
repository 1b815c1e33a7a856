-- A bureau may show petitioners the handling officer's contact card; an organization may publish an office phone.
ALTER TABLE organizations ADD COLUMN contact_card integer NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN contact_phone varchar(40) NULL;
