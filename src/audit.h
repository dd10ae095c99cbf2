/*
 * The audit log of R-ORG-3: every change to the registry, organizations,
 * staff and the calendar is appended with who, when, what, and the object
 * before and after (JSON).  Each entry carries the BLAKE2b hash of the
 * previous one, so an edited or deleted entry breaks the chain.
 */
#ifndef OTKLIK_AUDIT_H
#define OTKLIK_AUDIT_H

#include <stdint.h>

struct db;
struct err;

/*
 * Appends an entry inside the caller's open transaction.  "object" names
 * what changed ("touchpoint:12", "org:moh"); before and after are JSON
 * texts or NULL.  Returns 0, or -1 with the error filled.
 */
int audit_append(struct db *, const char *actor, int64_t org_id,
    const char *action, const char *object, const char *before,
    const char *after, struct err *);

struct audit_report {
	int64_t entries;
	int64_t first_bad;	/* sequence number of the first broken entry */
	char	reason[256];
	char	head[65];	/* hash of the last entry */
};

/* Walks the whole chain; returns 0 if intact, 1 if broken, -1 on error. */
int audit_verify(struct db *, struct audit_report *, struct err *);

#endif
