/*
 * Organizations and their units (R-ORG-1), and staff accounts (R-ORG-2).
 */
#ifndef OTKLIK_ORG_H
#define OTKLIK_ORG_H

#include <stdint.h>

struct db;
struct err;

struct org {
	int64_t id;
	char   *slug;
	char   *name;
	char   *short_name;
	char   *region;	/* calendar region: "ru", "ru-ta" … */
	char   *tz;	/* tz database zone */
	char   *site_url;
	int64_t created_at;
};

/* Checks a slug: 2–40 of a-z, 0-9 and "-", starting with a letter. */
int	    org_slug_valid(const char *);
/* Is the slug one the site's own addresses use ("api", "login" …)? */
int	    org_slug_reserved(const char *);
/* Normalizes a region code ("RU-TA", "ta" → "ru-ta"); NULL if invalid. */
char	   *org_region_normalize(const char *);
int	    org_add(struct db *, const char *actor, const struct org *,
	int64_t *id, struct err *);
struct org *org_find(struct db *, const char *slug, struct err *);
/* The only organization, when there is exactly one; else NULL + error. */
struct org *org_default(struct db *, struct err *);
/* Fills *list with every organization ordered by slug; returns the count. */
int	    org_list(struct db *, struct org **list, struct err *);
void	    org_free(struct org *);
void	    org_clear(struct org *);

/* Finds a unit by name, creating it (audited) if asked; 0 or -1. */
int	    unit_get(struct db *, const char *actor, int64_t org_id,
	const char *name, int create, int64_t *id, struct err *);

/* Roles of R-ORG-2. */
int	    role_valid(const char *);
int	    staff_add(struct db *, const char *actor, const char *login,
	const char *name, int64_t *id, struct err *);
int	    staff_grant(struct db *, const char *actor, const char *login,
	int64_t org_id, const char *role, int64_t unit_id, struct err *);
int	    staff_exists(struct db *, const char *login);

#endif
