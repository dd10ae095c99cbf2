/*
 * The handlers the route table names, by the file that defines them.
 */
#ifndef OTKLIK_ROUTES_H
#define OTKLIK_ROUTES_H

struct req;

/* http.c */
int http_healthz(struct req *);
int http_metrics(struct req *);

/* ui-public.c */
int ui_home(struct req *);
int ui_public_registry(struct req *);
int ui_static_css(struct req *);
int ui_lang(struct req *);

/* ui-login.c */

/* ui-registry.c */

/* ui-admin.c */

/* api-registry.c */

#endif
