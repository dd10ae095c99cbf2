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

/* api-feedback.c */
int api_check_fb_state(const char *, char *, size_t);
int api_check_fb_kind(const char *, char *, size_t);
int api_messages_post(struct req *);
int api_message_status(struct req *);
int api_messages_list(struct req *);

/* ui-feedback-public.c */
struct html;
int ui_fbp_check_kind(const char *, char *, size_t);
int ui_fbp_check_form(const char *, char *, size_t);
int ui_fbp_check_once(const char *, char *, size_t);
int ui_fbp_check_rating(const char *, char *, size_t);
int ui_fbp_check_reply(const char *, char *, size_t);
int ui_fbp_check_page(const char *, char *, size_t);
int ui_fb_form(struct req *);
int ui_fb_send(struct req *);
int ui_fb_sent(struct req *);
int ui_fb_track_form(struct req *);
int ui_fb_track(struct req *);
int ui_fb_track_reply(struct req *);
int ui_fb_my_form(struct req *);
int ui_fb_my(struct req *);
int ui_fb_withdraw(struct req *);
int ui_fb_rate(struct req *);
int ui_fb_rate_thanks(struct req *);
/* The quick "was this page useful" form (R-PUB-3) for a public page of an
 * organization answering a GET. */
void ui_fb_quick(struct req *, struct html *);

/* ui-feedback.c: the staff side of feedback (cases) */
int ui_fb_check_done(const char *, char *, size_t);
int ui_fb_check_outcome(const char *, char *, size_t);
int ui_fb_check_days(const char *, char *, size_t);
int ui_fb_check_minutes(const char *, char *, size_t);
int ui_fb_check_local_time(const char *, char *, size_t);
int ui_fb_cases(struct req *);
int ui_fb_case_new_form(struct req *);
int ui_fb_case_new(struct req *);
int ui_fb_case(struct req *);
int ui_fb_ack(struct req *);
int ui_fb_take(struct req *);
int ui_fb_assign(struct req *);
int ui_fb_classify(struct req *);
int ui_fb_answer(struct req *);
int ui_fb_close(struct req *);
int ui_fb_reopen(struct req *);
int ui_fb_extend(struct req *);
/* The navigation of the staff pages of feedback; cur: the item shown
 * (0 queue, 1 register, 2 topics, 3 templates, 4 channels), -1 none. */
void ui_fb_subnav(struct req *, struct html *, int cur);

/* ui-feedback-admin.c: the dictionaries of feedback */
int ui_fbd_check_done(const char *, char *, size_t);
int ui_fbd_check_kind(const char *, char *, size_t);
int ui_fbd_check_std(const char *, char *, size_t);
int ui_fbd_check_unit(const char *, char *, size_t);
int ui_fbd_check_time(const char *, char *, size_t);
int ui_fbd_check_client(const char *, char *, size_t);
int ui_fbd_topics(struct req *);
int ui_fbd_topic_add(struct req *);
int ui_fbd_topic(struct req *);
int ui_fbd_topic_save(struct req *);
int ui_fbd_templates(struct req *);
int ui_fbd_template_add(struct req *);
int ui_fbd_template(struct req *);
int ui_fbd_template_save(struct req *);
int ui_fbd_channels(struct req *);
int ui_fbd_channel_set(struct req *);
int ui_fbd_standard_set(struct req *);
int ui_fbd_hours_set(struct req *);

/* ui-survey.c: the staff pages of surveys */
#define UI_SRVS_PAPER_MAX (2 << 20)	/* a CSV of paper forms, bytes */
int ui_srvs_check_done(const char *, char *, size_t);
int ui_srvs_check_op(const char *, char *, size_t);
int ui_srvs_check_channel(const char *, char *, size_t);
int ui_srvs_check_access(const char *, char *, size_t);
int ui_srvs_check_target(const char *, char *, size_t);
int ui_srvs_list(struct req *);
int ui_srvs_add(struct req *);
int ui_srvs_overview(struct req *);
int ui_srvs_publish(struct req *);
int ui_srvs_discard(struct req *);
int ui_srvs_open(struct req *);
int ui_srvs_access(struct req *);
int ui_srvs_attach(struct req *);
int ui_srvs_detach(struct req *);
int ui_srvs_invite(struct req *);
int ui_srvs_edit(struct req *);
int ui_srvs_edit_post(struct req *);
int ui_srvs_preview(struct req *);
int ui_srvs_results(struct req *);
int ui_srvs_export_csv(struct req *);
int ui_srvs_export_xlsx(struct req *);
int ui_srvs_paper_form(struct req *);
int ui_srvs_paper(struct req *);
int ui_srvs_paper_upload(struct req *);
int ui_srvs_paper_import(struct req *);

/* ui-survey-public.c: the respondent's side of surveys */
int ui_srvp_check_token(const char *, char *, size_t);
int ui_srvp_list(struct req *);
int ui_srvp_form(struct req *);
int ui_srvp_answer(struct req *);
int ui_srvp_thanks(struct req *);
int ui_srvp_qr_svg(struct req *);
int ui_srvp_qr_png(struct req *);
int ui_srvp_poster(struct req *);
int ui_srvp_script(struct req *);
/* Answers one address may send in ten minutes (default 20; 0: no limit),
 * set by "otklik serve" before the server starts. */
void ui_srvp_set_limit(int);

/* ui-report.c: the staff pages of the analysis */
int ui_rep_check_done(const char *, char *, size_t);
int ui_rep_check_what(const char *, char *, size_t);
int ui_rep_report(struct req *);
int ui_rep_export_csv(struct req *);
int ui_rep_export_xlsx(struct req *);
int ui_rep_export_json(struct req *);
int ui_rep_pain(struct req *);
int ui_rep_pain_form(struct req *);
int ui_rep_pain_save(struct req *);
int ui_rep_confirm(struct req *);
int ui_rep_level(struct req *);
int ui_rep_public(struct req *);
int ui_rep_publish(struct req *);

/* ui-report-public.c: the yearly public report */
int ui_pubrep_list(struct req *);
int ui_pubrep_year(struct req *);
int ui_pubrep_print(struct req *);
int ui_pubrep_file(struct req *);

#endif
