-- A bureau may show petitioners the handling officer's contact card; an organization may publish an office phone.
ALTER TABLE organizations ADD contact_card bit NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD contact_phone nvarchar(40) NULL;
