-- An upload of the registry waiting for the registry officer's
-- confirmation (R-REG-8): the staff pages show the preview of every row
-- and check before anything is written, and the confirmation imports the
-- same bytes.  The file is kept as base64 text (the storage interface
-- binds text, and both engines store it alike).  A row is deleted when
-- the import is confirmed or cancelled, and any row older than an hour is
-- deleted whenever an upload is made or looked at.
CREATE TABLE pending_import (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	login		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	file_name	TEXT NOT NULL,
	client		TEXT NOT NULL DEFAULT 'external'
			    CHECK (client IN ('external', 'internal')),
	note		TEXT,
	data		TEXT NOT NULL
);
CREATE INDEX pending_import_created ON pending_import (created_at);
