/*
 * The client-centricity level of R-AN-5 [002 def 16] (level.c): one
 * index 0–100 per organization and period, the weighted mean of five
 * components, each 0–100, shown beside it with the count behind it:
 *
 *   satisfaction  0.40  the index of the rating "overall" of the external
 *                       instruments ((r - 1) × 25); without it, of all
 *                       external ratings
 *   standards     0.20  kept / (kept + breached) of R-AN-3, × 100
 *   complaints    0.20  satisfied / (satisfied + unsatisfied) complaints
 *   registry      0.10  current touchpoints without an error of the
 *                       checks of R-REG-3, in % of all
 *   publication   0.10  the mean of: the registry's current version is
 *                       published (100 or 0); the report of the year
 *                       before is published (100 or 0)
 *
 * A component without data (n = 0) is left out and the weights of the
 * others are scaled to sum to 1; the level is then marked partial.  The
 * same formula for every organization makes levels comparable within a
 * region (level_region).
 */
#ifndef OTKLIK_LEVEL_H
#define OTKLIK_LEVEL_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct report;

enum { LEVEL_SATISFACTION, LEVEL_STANDARDS, LEVEL_COMPLAINTS, LEVEL_REGISTRY,
	LEVEL_PUBLICATION, LEVEL__COUNT };

struct level_part {
	const char *key;	/* "satisfaction", "standards", … */
	const char *ru, *en;
	double	    weight;	/* as in the formula */
	double	    value;	/* 0–100 */
	int64_t	    n;		/* answers, messages or touchpoints behind it */
	int	    have;	/* n > 0 */
};

struct level {
	int64_t		  org_id;
	double		  index;	/* 0–100 */
	int		  have;		/* at least one component */
	int		  partial;	/* some component left out */
	struct level_part part[LEVEL__COUNT];
};

int level_compute(struct db *, int64_t org_id, int32_t from, int32_t to,
    struct level *, struct err *);
/* Every organization's level for the period, highest first. */
int level_region(struct db *, int32_t from, int32_t to, struct level **,
    size_t *n, struct err *);

/* The level as report tables ("level": the components; "level_region":
 * the organizations), for report_build (RW_LEVEL). */
int level_report(struct db *, struct report *, struct err *);

#endif
