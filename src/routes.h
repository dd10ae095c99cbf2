/*
 * The handlers the route table names, by the file that defines them.
 */
#ifndef OTKLIK_ROUTES_H
#define OTKLIK_ROUTES_H

#include <stddef.h>

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
int ui_login_form(struct req *);
int ui_login(struct req *);
int ui_logout(struct req *);
int ui_logout_all(struct req *);

/* ui-registry.c */
int ui_reg_check_done(const char *, char *, size_t);
int ui_reg_check_basis(const char *, char *, size_t);
int ui_reg_front(struct req *);
int ui_reg_publish(struct req *);
int ui_reg_entries(struct req *);
int ui_reg_entry(struct req *);
int ui_reg_new_form(struct req *);
int ui_reg_new_post(struct req *);
int ui_reg_edit_form(struct req *);
int ui_reg_edit_post(struct req *);
int ui_reg_exclude_post(struct req *);
int ui_reg_changes(struct req *);
int ui_reg_change(struct req *);
int ui_reg_change_form(struct req *);
int ui_reg_change_post(struct req *);
int ui_reg_submit(struct req *);
int ui_reg_include(struct req *);
int ui_reg_return(struct req *);
int ui_reg_versions(struct req *);
int ui_reg_diff(struct req *);
int ui_reg_import_form(struct req *);
int ui_reg_import_post(struct req *);
int ui_reg_import_preview(struct req *);
int ui_reg_import_confirm(struct req *);
int ui_reg_import_cancel(struct req *);
int ui_reg_export_html(struct req *);
int ui_reg_export_csv(struct req *);
int ui_reg_export_xlsx(struct req *);

/* ui-admin.c */
int ui_admin_orgs(struct req *);
int ui_admin_org_add(struct req *);
int ui_admin_units(struct req *);
int ui_admin_unit_add(struct req *);
int ui_admin_people(struct req *);
int ui_admin_person_add(struct req *);
int ui_admin_person_roles(struct req *);
int ui_admin_person_password(struct req *);
int ui_admin_audit(struct req *);

/* api-registry.c, api-session.c */
int api_check_version_ref(const char *, char *, size_t);
int api_check_format(const char *, char *, size_t);
int api_session(struct req *);
int api_orgs(struct req *);
int api_needs(struct req *);
int api_channels(struct req *);
int api_registry_get(struct req *);
int api_registry_entry(struct req *);
int api_registry_check(struct req *);
int api_registry_versions(struct req *);
int api_versions_create(struct req *);
int api_registry_diff(struct req *);
int api_registry_status(struct req *);
int api_registry_export(struct req *);
int api_registry_import(struct req *);
int api_changes_list(struct req *);
int api_change_create(struct req *);
int api_change_get(struct req *);
int api_change_submit(struct req *);
int api_change_verify(struct req *);
int api_change_include(struct req *);
int api_change_return(struct req *);
int api_publication_create(struct req *);
/* Text as a JSON string; invalid UTF-8 becomes U+FFFD, never a failure. */
struct json_t *api_text(const char *);

#endif
