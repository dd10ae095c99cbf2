/*
 * A limit on how often one client address may do something (R-SRV-3:
 * repeat answers limited without identity).  The table is in memory
 * only, of a fixed size given when it is made, and holds no address: an
 * entry is keyed by a keyed hash (SipHash, crypto_shorthash) of it under
 * a key drawn at random when the table is made, so the table cannot be
 * turned back into addresses even by someone who reads the process's
 * memory and tries every address, without the key, and nothing of it
 * outlives the process.  When the table is full the entry whose window
 * started longest ago gives way, so a flood of addresses can at worst
 * let an old address start afresh, never grow the memory.
 */
#ifndef OTKLIK_RATELIMIT_H
#define OTKLIK_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/*
 * A limit of max events per window seconds for each address, in a
 * table of about slots entries (rounded up to a whole number of sets of
 * eight).  Thread-safe.
 */
struct ratelimit *ratelimit_new(size_t slots, int max, int window);
void		  ratelimit_free(struct ratelimit *);	/* NULL is harmless */

/*
 * Counts one event of the address at the moment now (seconds).  Returns
 * 0 when it is within the limit; otherwise, without counting it, the
 * number of seconds (at least 1) until the address's window ends.
 */
int ratelimit_take(struct ratelimit *, const char *addr, int64_t now);
/* The same answer without counting: to refuse early what take would. */
int ratelimit_peek(struct ratelimit *, const char *addr, int64_t now);

/* For tests: the entries in use, and the table's bytes (whose entries
 * must hold no address). */
size_t	    ratelimit_used(struct ratelimit *);
const void *ratelimit_table(struct ratelimit *, size_t *len);

#endif
