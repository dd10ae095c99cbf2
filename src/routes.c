/*
 * The one list of the site's addresses (cgit's cmd.c): method, pattern,
 * handler, the parameters each accepts with their validators, the body it
 * takes, and who may use it.  Pages are in ui-*.c, JSON in api-*.c.
 * The OpenAPI description (docs/openapi.yaml) lists the same /api/ routes;
 * a test checks that the two agree.
 */
#include <string.h>

#include "otklik.h"
#include "http.h"
#include "routes.h"

static int
check_lang(const char *v, char *why, size_t len)
{
	if (strcmp(v, "ru") == 0 || strcmp(v, "en") == 0)
		return 0;
	snprintf(why, len, "expected ru or en");
	return -1;
}

static const struct http_param lang_params[] = {
	{"to", 1, 2, check_lang},
	{"back", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};

const struct route routes[] = {
	/* Public pages and service endpoints (ui-public.c, http.c). */
	{"GET", "/", ui_home, NULL, 0, ROUTE_PUBLIC, NULL, "home page"},
	{"GET", "/{org}/registry", ui_public_registry, NULL, 0, ROUTE_PUBLIC,
	    NULL, "the published registry of an organization"},
	{"GET", "/static/otklik.css", ui_static_css, NULL, 0, ROUTE_PUBLIC,
	    NULL, "style sheet"},
	{"GET", "/lang", ui_lang, lang_params, 0, ROUTE_PUBLIC, NULL,
	    "language switch"},
	{"GET", "/healthz", http_healthz, NULL, 0, ROUTE_PUBLIC, NULL,
	    "health check"},
	{"GET", "/metrics", http_metrics, NULL, 0, ROUTE_PUBLIC, NULL,
	    "Prometheus metrics"},

	/* Sign-in (ui-login.c). */

	/* Staff pages of the registry (ui-registry.c). */

	/* Administration (ui-admin.c). */

	/* JSON API (api-registry.c). */
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
