/*
 * An in-memory rate limit by client address (ratelimit.h): a set-
 * associative table of fixed windows.  An address hashes to a set of
 * eight entries; its entry counts events since its window started, and
 * starts a new window when the old one is over.  One mutex guards the
 * table: taking it costs far less than the request it limits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "otklik.h"
#include "ratelimit.h"

#define WAYS 8

struct slot {
	uint64_t hash;		/* 0: free */
	int64_t	 start;		/* the window's start, seconds */
	int	 count;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned char	key[crypto_shorthash_KEYBYTES];
	struct slot    *slot;
	size_t		nsets;
	int		max;
	int		window;
};

struct ratelimit *
ratelimit_new(size_t slots, int max, int window)
{
	struct ratelimit *rl;

	if (sodium_init() < 0)
		fatal("ratelimit: libsodium cannot be initialized");
	if (max < 1 || window < 1)
		fatal("ratelimit: a limit needs max and window of at least 1");
	rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	randombytes_buf(rl->key, sizeof(rl->key));
	rl->nsets = (slots + WAYS - 1) / WAYS;
	if (rl->nsets == 0)
		rl->nsets = 1;
	rl->slot = xcalloc(rl->nsets, WAYS * sizeof(*rl->slot));
	rl->max = max;
	rl->window = window;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	sodium_memzero(rl->key, sizeof(rl->key));
	free(rl->slot);
	free(rl);
}

static uint64_t
addr_hash(const struct ratelimit *rl, const char *addr)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t      h;

	crypto_shorthash(out, (const unsigned char *)addr, strlen(addr),
	    rl->key);
	memcpy(&h, out, sizeof(h));
	return h != 0 ? h : 1;	/* 0 marks a free entry */
}

/*
 * The entry to give a new address in a set: a free one, else one whose
 * window is over, else the one whose window started first.
 */
static struct slot *
victim(const struct ratelimit *rl, struct slot *set, int64_t now)
{
	struct slot *v = &set[0];
	int	     i;

	for (i = 0; i < WAYS; i++) {
		if (set[i].hash == 0 || now - set[i].start >= rl->window)
			return &set[i];
		if (set[i].start < v->start)
			v = &set[i];
	}
	return v;
}

/* Counts an event (count) or only looks; the wait, or 0. */
static int
limit(struct ratelimit *rl, const char *addr, int64_t now, int count)
{
	struct slot *set, *s = NULL;
	uint64_t     h = addr_hash(rl, addr != NULL ? addr : "");
	int64_t	     left;
	int	     i, wait = 0;

	pthread_mutex_lock(&rl->lock);
	set = &rl->slot[(h % rl->nsets) * WAYS];
	for (i = 0; i < WAYS && s == NULL; i++)
		if (set[i].hash == h)
			s = &set[i];
	if (s != NULL && now - s->start >= rl->window) {
		s->count = 0;
		s->start = now;
	}
	if (s != NULL && s->count >= rl->max) {
		left = s->start + rl->window - now;
		wait = left < 1 ? 1 : left > rl->window ? rl->window
							: (int)left;
	} else if (count) {
		if (s == NULL) {
			s = victim(rl, set, now);
			s->hash = h;
			s->count = 0;
			s->start = now;
		}
		s->count++;
	}
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

int
ratelimit_take(struct ratelimit *rl, const char *addr, int64_t now)
{
	return limit(rl, addr, now, 1);
}

int
ratelimit_peek(struct ratelimit *rl, const char *addr, int64_t now)
{
	return limit(rl, addr, now, 0);
}

size_t
ratelimit_used(struct ratelimit *rl)
{
	size_t i, n = 0;

	pthread_mutex_lock(&rl->lock);
	for (i = 0; i < rl->nsets * WAYS; i++)
		n += rl->slot[i].hash != 0;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

const void *
ratelimit_table(struct ratelimit *rl, size_t *len)
{
	*len = rl->nsets * WAYS * sizeof(*rl->slot);
	return rl->slot;
}
