/*
 * The hash-chained audit log.  An entry's hash is BLAKE2b-256 over the
 * previous hash and every field of the entry, each length-prefixed so
 * that no two different entries can serialize alike.  The chain head is
 * kept in audit_head, updated in the same transaction; the UPDATE …
 * RETURNING that reads it also locks it, so concurrent writers (on
 * PostgreSQL) append one after the other.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "audit.h"
#include "db.h"

#define HASH_BYTES 32

static void
hash_field(crypto_generichash_state *st, const char *s)
{
	uint64_t      n = s != NULL ? strlen(s) : UINT64_MAX;
	unsigned char len[8];
	int	      i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(st, len, sizeof(len));
	if (s != NULL)
		crypto_generichash_update(st, (const unsigned char *)s,
		    strlen(s));
}

static void
audit_hash(int64_t seq, int64_t at, const char *actor, int64_t org_id,
    const char *action, const char *object, const char *before,
    const char *after, const char *prev, char out[2 * HASH_BYTES + 1])
{
	crypto_generichash_state st;
	unsigned char		 h[HASH_BYTES];
	char			 num[64];

	crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
	hash_field(&st, prev);
	snprintf(num, sizeof(num), "%" PRId64 " %" PRId64 " %" PRId64, seq, at,
	    org_id);
	hash_field(&st, num);
	hash_field(&st, actor);
	hash_field(&st, action);
	hash_field(&st, object);
	hash_field(&st, before);
	hash_field(&st, after);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 2 * HASH_BYTES + 1, h, sizeof(h));
}

int
audit_append(struct db *db, const char *actor, int64_t org_id,
    const char *action, const char *object, const char *before,
    const char *after, struct err *e)
{
	struct db_stmt *s;
	char		prev[2 * HASH_BYTES + 1], hash[2 * HASH_BYTES + 1];
	int64_t		seq, at = clock_now();

	s = db_prepare(db,
	    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 "
	    "RETURNING seq, hash",
	    NULL);
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "audit log: %s", db_errmsg(db));
	}
	seq = db_col_int(s, 0);
	snprintf(prev, sizeof(prev), "%s", db_col_text(s, 1));
	db_step(s);
	db_finalize(s);

	audit_hash(seq, at, actor, org_id, action, object, before, after, prev,
	    hash);
	if (db_run(db, NULL,
		"INSERT INTO audit (seq, at, actor, org_id, action, object, "
		"before_json, after_json, prev_hash, hash) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iititttttt", seq, at, actor, org_id, action, object, before,
		after, prev, hash) != 0 ||
	    db_run(db, NULL, "UPDATE audit_head SET hash = ? WHERE id = 1", "t",
		hash) != 0)
		return err_set(e, EXIT_IOERR, "audit log: %s", db_errmsg(db));
	return 0;
}

int
audit_verify(struct db *db, struct audit_report *r, struct err *e)
{
	struct db_stmt *s;
	char		prev[2 * HASH_BYTES + 1], want[2 * HASH_BYTES + 1];
	int64_t		seq, expect = 1, head_seq = 0;
	int		step;

	memset(r, 0, sizeof(*r));
	memset(prev, '0', 2 * HASH_BYTES);
	prev[2 * HASH_BYTES] = '\0';

	s = db_prepare(db,
	    "SELECT seq, at, actor, org_id, action, object, before_json, "
	    "after_json, prev_hash, hash FROM audit ORDER BY seq",
	    NULL);
	if (s == NULL)
		return err_set(e, EXIT_IOERR, "audit log: %s", db_errmsg(db));
	while ((step = db_step(s)) == DB_ROW) {
		seq = db_col_int(s, 0);
		if (seq != expect) {
			r->first_bad = expect;
			snprintf(r->reason, sizeof(r->reason),
			    "entry %" PRId64 " is missing (deleted)", expect);
			break;
		}
		if (strcmp(db_col_text(s, 8), prev) != 0) {
			r->first_bad = seq;
			snprintf(r->reason, sizeof(r->reason),
			    "entry %" PRId64 " does not follow the one before it",
			    seq);
			break;
		}
		audit_hash(seq, db_col_int(s, 1), db_col_text(s, 2),
		    db_col_int(s, 3), db_col_text(s, 4), db_col_text(s, 5),
		    db_col_text(s, 6), db_col_text(s, 7), prev, want);
		if (strcmp(want, db_col_text(s, 9)) != 0) {
			r->first_bad = seq;
			snprintf(r->reason, sizeof(r->reason),
			    "entry %" PRId64 " was altered after it was written",
			    seq);
			break;
		}
		snprintf(prev, sizeof(prev), "%s", want);
		r->entries++;
		expect++;
	}
	db_finalize(s);
	if (step == DB_FAIL)
		return err_set(e, EXIT_IOERR, "audit log: %s", db_errmsg(db));
	snprintf(r->head, sizeof(r->head), "%s", prev);
	if (r->first_bad != 0)
		return 1;

	s = db_prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1",
	    NULL);
	if (s == NULL || db_step(s) != DB_ROW) {
		db_finalize(s);
		return err_set(e, EXIT_IOERR, "audit log: %s", db_errmsg(db));
	}
	head_seq = db_col_int(s, 0);
	if (head_seq != r->entries || strcmp(db_col_text(s, 1), prev) != 0) {
		r->first_bad = r->entries + 1;
		snprintf(r->reason, sizeof(r->reason),
		    "the log ends at entry %" PRId64 " but its head records "
		    "entry %" PRId64 " (entries were removed from the end)",
		    r->entries, head_seq);
	}
	db_finalize(s);
	return r->first_bad != 0 ? 1 : 0;
}
