/*
 * The one list of the site's addresses (cgit's cmd.c): method, pattern,
 * handler, the parameters each accepts with their validators, the body it
 * takes, and who may use it.  Pages are in ui-*.c, JSON in api-*.c.
 * The OpenAPI description (docs/openapi.yaml) lists the same /api/ routes;
 * a test checks that the two agree.
 */
#include <string.h>

#include "otklik.h"
#include "feedback.h"
#include "http.h"
#include "routes.h"
#include "survey.h"
#include "table.h"

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

/* Parameters of signing in (ui-login.c).  Not "required": an empty
 * field comes back as the form, marked. */
static const struct http_param login_form_params[] = {
	{"next", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param login_params[] = {
	{"login", 0, 200, NULL},
	{"password", 0, 1024, NULL},	/* PASSWORD_MAX_BYTES */
	{"next", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};

/* Parameters of the staff pages of the registry (ui-registry.c).  Text
 * fields are not "required" here: the page checks them and shows each
 * message next to its field.  The limits are above what the registry
 * takes, so that a field a little too long gets that message, not a 400. */
static const struct http_param reg_done_params[] = {
	{"done", 0, 16, ui_reg_check_done},
	{"v", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_entries_params[] = {
	{"q", 0, 500, NULL},
	{"done", 0, 16, ui_reg_check_done},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_changes_params[] = {
	{"state", 0, 16, http_check_state},
	{"done", 0, 16, ui_reg_check_done},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_form_params[] = {
	{"area", 0, 8000, NULL},
	{"process", 0, 8000, NULL},
	{"name", 0, 8000, NULL},
	{"channel", 0, 16, http_check_channel},
	{"kind", 0, 16, http_check_kind},
	{"client", 0, 16, http_check_client},
	{"needs", 0, 4000, NULL},
	{"interaction", 0, 80000, NULL},
	{"features", 0, 80000, NULL},
	{"phone", 0, 1000, NULL},
	{"email", 0, 1000, NULL},
	{"url", 0, 2000, NULL},
	{"address", 0, 2000, NULL},
	{"room", 0, 1000, NULL},
	{"unit", 0, 2000, NULL},
	{"basis", 0, 16, ui_reg_check_basis},
	{"basis_ref", 0, 4000, NULL},
	{"key", 0, 1, http_check_flag},
	{"low_demand", 0, 1, http_check_flag},
	{"not_counted", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_return_params[] = {
	{"comment", 0, 8000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_diff_params[] = {
	{"a", 0, 18, http_check_int},
	{"b", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_import_params[] = {
	{"client", 0, 16, http_check_client},
	{"note", 0, 1000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_export_params[] = {
	{"version", 0, 18, http_check_int},
	{"extended", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param reg_publish_params[] = {
	{"version", 0, 18, NULL},	/* checked by the page, next to it */
	{"url", 0, 2000, NULL},
	{"at", 0, 10, http_check_date},
	{NULL, 0, 0, NULL},
};

/* Parameters of the administration pages (ui-admin.c).  Form fields are
 * not "required" here: the page checks them and shows each message next
 * to its field. */
static const struct http_param admin_done_params[] = {
	{"done", 0, 32, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_org_params[] = {
	{"slug", 0, 200, NULL},
	{"name", 0, 4000, NULL},
	{"short_name", 0, 4000, NULL},
	{"region", 0, 64, NULL},
	{"tz", 0, 200, NULL},
	{"site_url", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_unit_params[] = {
	{"name", 0, 4000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_person_params[] = {
	{"op", 1, 8, NULL},
	{"login", 0, 200, NULL},
	{"name", 0, 4000, NULL},
	{"role", 0, 32, NULL},
	{"unit", 0, 20, NULL},
	{"password", 0, 4096, NULL},
	{"password2", 0, 4096, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_roles_params[] = {
	{"op", 1, 8, NULL},
	{"role", 0, 32, NULL},
	{"unit", 0, 20, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_password_params[] = {
	{"password", 0, 4096, NULL},
	{"password2", 0, 4096, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param admin_audit_params[] = {
	{"since", 0, 32, NULL},
	{"until", 0, 32, NULL},
	{"action", 0, 200, NULL},
	{"actor", 0, 200, NULL},
	{"page", 0, 8, http_check_int},
	{NULL, 0, 0, NULL},
};

/* Parameters of the JSON API (api-registry.c). */
static const struct http_param api_version_params[] = {
	{"version", 0, 18, http_check_int},
	{"as_of", 0, 10, http_check_date},
	{NULL, 0, 0, NULL},
};

static const struct http_param api_diff_params[] = {
	{"a", 1, 18, api_check_version_ref},
	{"b", 1, 18, api_check_version_ref},
	{NULL, 0, 0, NULL},
};

static const struct http_param api_export_params[] = {
	{"format", 1, 4, api_check_format},
	{"version", 0, 18, http_check_int},
	{"as_of", 0, 10, http_check_date},
	{"extended", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};

static const struct http_param api_changes_params[] = {
	{"state", 0, 16, http_check_state},
	{NULL, 0, 0, NULL},
};

static const struct http_param api_import_params[] = {
	{"dry_run", 0, 1, http_check_flag},
	{"client", 0, 8, http_check_client},
	{"note", 0, 1000, NULL},
	{NULL, 0, 0, NULL},
};

/* The feedback queue of the API (api-feedback.c). */
static const struct http_param api_messages_params[] = {
	{"state", 0, 16, api_check_fb_state},
	{"overdue", 0, 1, http_check_flag},
	{"client", 0, 16, http_check_client},
	{"kind", 0, 16, api_check_fb_kind},
	{"q", 0, 200, NULL},
	{"limit", 0, 4, http_check_int},
	{"offset", 0, 9, http_check_int},
	{NULL, 0, 0, NULL},
};

/* Parameters of the public pages of feedback (ui-feedback-public.c).
 * Text fields are not "required" here and their limits are twice what a
 * message takes: the page checks them and shows each message next to its
 * field, with the form kept. */
static const struct http_param fbp_form_params[] = {
	{"touchpoint", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_send_params[] = {
	{"kind", 0, 16, ui_fbp_check_kind},
	{"form", 0, 16, ui_fbp_check_form},
	{"touchpoint", 0, 18, http_check_int},
	{"subject", 0, 2 * FB_SUBJECT_MAX, NULL},
	{"text", 0, 2 * FB_TEXT_MAX, NULL},
	{"anonymous", 0, 1, http_check_flag},
	{"name", 0, 2 * FB_FIELD_MAX, NULL},
	{"email", 0, 2 * FB_FIELD_MAX, NULL},
	{"phone", 0, 2 * FB_FIELD_MAX, NULL},
	{"address", 0, 2 * FB_FIELD_MAX, NULL},
	{"consent", 0, 1, http_check_flag},
	{"key", 0, 200, NULL},
	{"once", 0, 32, ui_fbp_check_once},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_track_form_params[] = {
	{"code", 0, 64, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_track_params[] = {
	{"done", 0, 16, ui_fbp_check_reply},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_reply_params[] = {
	{"solved", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_key_params[] = {
	{"key", 0, 200, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_rate_params[] = {
	{"rating", 0, 1, ui_fbp_check_rating},
	{"comment", 0, 4000, NULL},
	{"page", 0, 200, ui_fbp_check_page},
	{"back", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbp_thanks_params[] = {
	{"back", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};

/* Parameters of the staff pages of feedback (ui-feedback.c).  Form
 * fields of the registration are not "required": the page marks each
 * one next to its field. */
static const struct http_param fb_cases_params[] = {
	{"state", 0, 16, api_check_fb_state},
	{"client", 0, 16, http_check_client},
	{"kind", 0, 16, api_check_fb_kind},
	{"channel", 0, 16, http_check_channel},
	{"overdue", 0, 1, http_check_flag},
	{"q", 0, 200, NULL},
	{"done", 0, 16, ui_fb_check_done},
	{"page", 0, 4, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_new_params[] = {
	{"channel", 0, 16, http_check_channel},
	{"kind", 0, 16, api_check_fb_kind},
	{"client", 0, 16, http_check_client},
	{"subject", 0, FB_SUBJECT_MAX * 2, NULL},
	{"text", 0, FB_TEXT_MAX * 2, NULL},
	{"name", 0, FB_FIELD_MAX * 2, NULL},
	{"phone", 0, FB_FIELD_MAX * 2, NULL},
	{"email", 0, FB_FIELD_MAX * 2, NULL},
	{"address", 0, FB_FIELD_MAX * 2, NULL},
	{"consent", 0, 1, http_check_flag},
	{"wait", 0, 4, ui_fb_check_minutes},
	{"transfers", 0, 3, http_check_int},
	{"received", 0, 16, ui_fb_check_local_time},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_case_params[] = {
	{"done", 0, 16, ui_fb_check_done},
	{"tq", 0, 200, NULL},
	{"template", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_assign_params[] = {
	{"unit", 0, 18, http_check_int},
	{"assignee", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_classify_params[] = {
	{"topic", 0, 18, http_check_int},
	{"reason", 0, 18, http_check_int},
	{"form", 0, 16, NULL},	/* "" clears; else checked by the store */
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_answer_params[] = {
	{"answer", 0, FB_ANSWER_MAX, NULL},
	{"template_id", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_close_params[] = {
	{"outcome", 0, 16, ui_fb_check_outcome},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_reopen_params[] = {
	{"why", 0, FB_FIELD_MAX, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param fb_extend_params[] = {
	{"days", 1, 2, ui_fb_check_days},
	{"notice", 0, FB_FIELD_MAX, NULL},
	{NULL, 0, 0, NULL},
};

/* Parameters of the dictionaries of feedback (ui-feedback-admin.c). */
static const struct http_param fbd_done_params[] = {
	{"done", 0, 16, ui_fbd_check_done},
	{"kind", 0, 8, ui_fbd_check_kind},
	{"q", 0, 200, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbd_topic_params[] = {
	{"kind", 0, 8, ui_fbd_check_kind},
	{"title", 0, 1000, NULL},
	{"keywords", 0, 4000, NULL},
	{"active", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbd_template_params[] = {
	{"title", 0, 1000, NULL},
	{"body", 0, 40000, NULL},
	{"topic", 0, 18, http_check_int},
	{"active", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbd_channel_params[] = {
	{"channel", 1, 16, http_check_channel},
	{"enabled", 0, 1, http_check_flag},
	{"online", 0, 1, http_check_flag},
	{"client", 0, 8, ui_fbd_check_client},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbd_standard_params[] = {
	{"code", 1, 32, ui_fbd_check_std},
	{"amount", 0, 6, http_check_int},
	{"unit", 0, 16, ui_fbd_check_unit},
	{"working", 0, 1, http_check_flag},
	{"enabled", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param fbd_hours_params[] = {
	{"start", 1, 5, ui_fbd_check_time},
	{"end", 1, 5, ui_fbd_check_time},
	{NULL, 0, 0, NULL},
};

/* Parameters of the public pages of surveys (ui-survey-public.c): the
 * answers come as "q.<code>" fields (ui-survey.h), the contact section's
 * fields as "c-…"; "k" is an invitation, "tp" a touchpoint. */
static const struct http_param srvp_form_params[] = {
	{"k", 0, 64, ui_srvp_check_token},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvp_answer_params[] = {
	{"k", 0, 64, ui_srvp_check_token},
	{"q.*", 0, 16000, NULL},
	{"c-name", 0, 1000, NULL},
	{"c-email", 0, 1000, NULL},
	{"c-phone", 0, 1000, NULL},
	{"c-comment", 0, 8000, NULL},
	{"c-consent", 0, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvp_qr_params[] = {
	{"tp", 0, 18, http_check_int},
	{NULL, 0, 0, NULL},
};

/* Parameters of the staff pages of surveys (ui-survey.c).  Text fields
 * are not "required": the page checks them and shows each message next
 * to its field or question. */
static const struct http_param srvs_done_params[] = {
	{"done", 0, 16, ui_srvs_check_done},
	{"n", 0, 9, http_check_int},
	{"skipped", 0, 9, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_add_params[] = {
	{"code", 0, 200, NULL},
	{"title", 0, 2000, NULL},
	{"client", 0, 16, http_check_client},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_open_params[] = {
	{"open", 1, 1, http_check_flag},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_access_params[] = {
	{"access", 1, 8, ui_srvs_check_access},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_attach_params[] = {
	{"kind", 1, 16, ui_srvs_check_target},
	{"touchpoint", 0, 18, http_check_int},
	{"name", 0, 2000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_invite_params[] = {
	{"n", 0, 9, http_check_int},
	{"batch", 0, 400, NULL},
	{"base", 0, 400, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_edit_params[] = {
	{"op", 1, 8, ui_srvs_check_op},
	{"i", 0, 4, http_check_int},
	{"at", 0, 200, NULL},
	{"title_ru", 0, 2000, NULL},
	{"title_en", 0, 2000, NULL},
	{"intro_ru", 0, 16000, NULL},
	{"intro_en", 0, 16000, NULL},
	{"code", 0, 200, NULL},
	{"type", 0, 16, NULL},
	{"text_ru", 0, 2000, NULL},
	{"text_en", 0, 2000, NULL},
	{"hint_ru", 0, 16000, NULL},
	{"hint_en", 0, 16000, NULL},
	{"required", 0, 1, http_check_flag},
	{"max", 0, 9, http_check_int},
	{"options", 0, 65536, NULL},
	{"show_if", 0, 200, NULL},
	{"show_any", 0, 4000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_preview_params[] = {
	{"version", 0, 9, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_results_params[] = {
	{"from", 0, 10, http_check_date},
	{"to", 0, 10, http_check_date},
	{"tp", 0, 18, http_check_int},
	{"channel", 0, 8, ui_srvs_check_channel},
	{NULL, 0, 0, NULL},
};
/* A paper form: the answers come as "q.<code>" fields (ui-survey.h). */
static const struct http_param srvs_paper_params[] = {
	{"paper_ref", 0, 400, NULL},
	{"day", 0, 10, http_check_date},
	{"touchpoint", 0, 18, http_check_int},
	{"service", 0, SRV_TITLE_MAX, NULL},
	{"situation", 0, SRV_TITLE_MAX, NULL},
	{"q.*", 0, 16000, NULL},
	{"done", 0, 16, ui_srvs_check_done},
	{"n", 0, 9, http_check_int},
	{"skipped", 0, 9, http_check_int},
	{NULL, 0, 0, NULL},
};
static const struct http_param srvs_import_params[] = {
	{"name", 0, 1000, NULL},
	{"data", 1, UI_SRVS_PAPER_MAX / 3 * 4 + 16, NULL},
	{NULL, 0, 0, NULL},
};

/* Parameters of the pages of reports (ui-report.c, ui-report-public.c).
 * Form fields are not "required": the page checks them and shows each
 * message next to its field. */
static const struct http_param rep_params[] = {
	{"period", 0, 64, NULL},	/* checked by the page, next to it */
	{"custom", 0, 64, NULL},
	{"clients", 0, 16, http_check_client},
	{"what", 0, 8, ui_rep_check_what},
	{"done", 0, 16, ui_rep_check_done},
	{NULL, 0, 0, NULL},
};
static const struct http_param rep_pain_params[] = {
	{"period", 0, 64, NULL},
	{"clients", 0, 16, http_check_client},
	{"segment", 0, 4000, NULL},
	{"journey_step", 0, 4000, NULL},
	{"cause", 0, 4000, NULL},
	{"measure", 0, 4000, NULL},
	{"unit", 0, 18, http_check_int},
	{"due", 0, 20, NULL},
	{"state", 0, 16, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param rep_confirm_params[] = {
	{"period", 0, 64, NULL},
	{"clients", 0, 16, http_check_client},
	{"minutes_ref", 0, 400, NULL},
	{"note", 0, 4000, NULL},
	{NULL, 0, 0, NULL},
};
static const struct http_param rep_public_params[] = {
	{"year", 0, 4, http_check_int},
	{"done", 0, 16, ui_rep_check_done},
	{NULL, 0, 0, NULL},
};
static const struct http_param rep_publish_params[] = {
	{"year", 1, 4, http_check_int},
	{"summary", 0, 16000, NULL},
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

	/* Public pages of feedback (ui-feedback-public.c): no sign-in; the
	 * cross-site check of http.c guards their POSTs. */
	{"GET", "/{org}/feedback", ui_fb_form, fbp_form_params, 0,
	    ROUTE_PUBLIC, NULL, "the form to send feedback or an appeal"},
	{"POST", "/{org}/feedback", ui_fb_send, fbp_send_params, 262144,
	    ROUTE_PUBLIC, NULL, "send feedback: answered after the commit"},
	{"GET", "/{org}/feedback/sent/{name}", ui_fb_sent, NULL, 0,
	    ROUTE_PUBLIC, NULL, "the confirmation with the tracking code"},
	{"GET", "/{org}/track", ui_fb_track_form, fbp_track_form_params, 0,
	    ROUTE_PUBLIC, NULL, "the form to type a tracking code"},
	{"GET", "/{org}/track/{name}", ui_fb_track, fbp_track_params, 0,
	    ROUTE_PUBLIC, NULL, "where a message stands, and its answer"},
	{"POST", "/{org}/track/{name}", ui_fb_track_reply, fbp_reply_params,
	    4096, ROUTE_PUBLIC, NULL,
	    "the client says whether the problem is solved"},
	{"GET", "/{org}/my", ui_fb_my_form, NULL, 0, ROUTE_PUBLIC, NULL,
	    "the form to type a history key"},
	{"POST", "/{org}/my", ui_fb_my, fbp_key_params, 4096, ROUTE_PUBLIC,
	    NULL, "the client's messages, by the history key in the body"},
	{"POST", "/{org}/my/withdraw", ui_fb_withdraw, fbp_key_params, 4096,
	    ROUTE_PUBLIC, NULL, "withdraw the consent to personal data"},
	{"POST", "/{org}/rate", ui_fb_rate, fbp_rate_params, 16384,
	    ROUTE_PUBLIC, NULL, "quick feedback on a public page"},
	{"GET", "/{org}/rate/thanks", ui_fb_rate_thanks, fbp_thanks_params, 0,
	    ROUTE_PUBLIC, NULL, "the confirmation of a quick rating"},

	/* Public pages of surveys (ui-survey-public.c): anonymous, so the
	 * access log keeps neither the address nor the person (R-SRV-3). */
	{"GET", "/{org}/s", ui_srvp_list, NULL, 0, ROUTE_PUBLIC | ROUTE_ANON,
	    NULL, "the open surveys of an organization"},
	{"GET", "/{org}/s/{name}", ui_srvp_form, srvp_form_params, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL, "the form of a survey"},
	{"POST", "/{org}/s/{name}", ui_srvp_answer, srvp_answer_params, 262144,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL,
	    "answer a survey: answered after the commit"},
	{"GET", "/{org}/s/{name}/{id}", ui_srvp_form, srvp_form_params, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL,
	    "the form of a survey at a touchpoint"},
	{"POST", "/{org}/s/{name}/{id}", ui_srvp_answer, srvp_answer_params,
	    262144, ROUTE_PUBLIC | ROUTE_ANON, NULL,
	    "answer a survey at a touchpoint"},
	{"GET", "/{org}/s/{name}/thanks", ui_srvp_thanks, NULL, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL, "thanks for answering a survey"},
	{"GET", "/{org}/s/{name}/qr.svg", ui_srvp_qr_svg, srvp_qr_params, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL, "the QR code of a survey (SVG)"},
	{"GET", "/{org}/s/{name}/qr.png", ui_srvp_qr_png, srvp_qr_params, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL, "the QR code of a survey (PNG)"},
	{"GET", "/{org}/s/{name}/poster", ui_srvp_poster, srvp_qr_params, 0,
	    ROUTE_PUBLIC | ROUTE_ANON, NULL, "an A4 poster with the QR code"},
	{"GET", "/static/survey.js", ui_srvp_script, NULL, 0, ROUTE_PUBLIC,
	    NULL, "the script of the survey form"},

	/* The yearly public report (ui-report-public.c). */
	{"GET", "/{org}/report", ui_pubrep_list, NULL, 0, ROUTE_PUBLIC, NULL,
	    "the published yearly reports of an organization"},
	{"GET", "/{org}/report/{id}", ui_pubrep_year, NULL, 0, ROUTE_PUBLIC,
	    NULL, "the published report of a year"},
	{"GET", "/{org}/report/{id}/print", ui_pubrep_print, NULL, 0,
	    ROUTE_PUBLIC, NULL, "the report of a year as a printable document"},
	{"GET", "/{org}/report/{name}", ui_pubrep_file, NULL, 0, ROUTE_PUBLIC,
	    NULL, "the figures of a year's report: YEAR.csv"},

	/* Sign-in (ui-login.c). */
	{"GET", "/login", ui_login_form, login_form_params, 0, ROUTE_PUBLIC,
	    NULL, "the staff sign-in form"},
	{"POST", "/login", ui_login, login_params, 8192, ROUTE_PUBLIC, NULL,
	    "sign in: sets the session cookie"},
	{"POST", "/logout", ui_logout, NULL, 1024, 0, NULL, "sign out"},
	{"POST", "/logout-all", ui_logout_all, NULL, 1024, 0, NULL,
	    "end every session of the account"},

	/* Staff pages of the registry (ui-registry.c). */
	{"GET", "/{org}/", ui_reg_front, reg_done_params, 0, 0, NULL,
	    "an organization's front page for staff: publication deadlines"},
	{"GET", "/{org}/registry/entries", ui_reg_entries, reg_entries_params,
	    0, 0, NULL, "browse and search the registry"},
	{"GET", "/{org}/registry/entries/{id}", ui_reg_entry, reg_done_params,
	    0, 0, NULL, "one touchpoint and its history"},
	{"GET", "/{org}/registry/entries/{id}/edit", ui_reg_edit_form, NULL,
	    0, 0, "editor", "the form to change a touchpoint"},
	{"POST", "/{org}/registry/entries/{id}/edit", ui_reg_edit_post,
	    reg_form_params, 262144, 0, "editor",
	    "draft a change of a touchpoint"},
	{"POST", "/{org}/registry/entries/{id}/exclude", ui_reg_exclude_post,
	    NULL, 4096, 0, "editor", "draft an exclusion of a touchpoint"},
	{"GET", "/{org}/registry/new", ui_reg_new_form, NULL, 0, 0, "editor",
	    "the form to add a touchpoint"},
	{"POST", "/{org}/registry/new", ui_reg_new_post, reg_form_params,
	    262144, 0, "editor", "draft an addition of a touchpoint"},
	{"GET", "/{org}/registry/changes", ui_reg_changes, reg_changes_params,
	    0, 0, NULL, "changes of the registry, by state"},
	{"GET", "/{org}/registry/changes/{id}", ui_reg_change, reg_done_params,
	    0, 0, NULL, "one change with its checks and workflow"},
	{"GET", "/{org}/registry/changes/{id}/edit", ui_reg_change_form, NULL,
	    0, 0, "editor", "the form to correct a draft"},
	{"POST", "/{org}/registry/changes/{id}/edit", ui_reg_change_post,
	    reg_form_params, 262144, 0, "editor",
	    "save a corrected draft as a new draft"},
	{"POST", "/{org}/registry/changes/{id}/submit", ui_reg_submit, NULL,
	    4096, 0, "editor", "submit a draft for verification"},
	{"POST", "/{org}/registry/changes/{id}/include", ui_reg_include, NULL,
	    4096, 0, "officer", "include a change as a new version"},
	{"POST", "/{org}/registry/changes/{id}/return", ui_reg_return,
	    reg_return_params, 65536, 0, "officer",
	    "return a change to its author with a comment"},
	{"GET", "/{org}/registry/versions", ui_reg_versions, reg_done_params,
	    0, 0, NULL, "versions and publications"},
	{"GET", "/{org}/registry/diff", ui_reg_diff, reg_diff_params, 0, 0,
	    NULL, "two versions side by side"},
	{"GET", "/{org}/registry/import", ui_reg_import_form, reg_done_params,
	    0, 0, "officer", "the form to upload the registry"},
	{"POST", "/{org}/registry/import", ui_reg_import_post,
	    reg_import_params, TABLE_MAX_FILE + 65536, ROUTE_UPLOAD, "officer",
	    "upload the official form: a preview, nothing written"},
	{"GET", "/{org}/registry/import/{id}", ui_reg_import_preview, NULL, 0,
	    0, "officer", "the preview of an uploaded file"},
	{"POST", "/{org}/registry/import/{id}", ui_reg_import_confirm, NULL,
	    4096, 0, "officer", "import an uploaded file as a new version"},
	{"POST", "/{org}/registry/import/{id}/cancel", ui_reg_import_cancel,
	    NULL, 4096, 0, "officer", "forget an uploaded file"},
	{"GET", "/{org}/registry/export.html", ui_reg_export_html,
	    reg_export_params, 0, 0, NULL, "the official form as HTML"},
	{"GET", "/{org}/registry/export.csv", ui_reg_export_csv,
	    reg_export_params, 0, 0, NULL, "the official form as CSV"},
	{"GET", "/{org}/registry/export.xlsx", ui_reg_export_xlsx,
	    reg_export_params, 0, 0, NULL, "the official form as XLSX"},
	{"POST", "/{org}/registry/publish", ui_reg_publish, reg_publish_params,
	    16384, 0, "officer", "record a publication of the registry"},

	/* Staff pages of feedback: the cases (ui-feedback.c). */
	{"GET", "/{org}/cases", ui_fb_cases, fb_cases_params, 0, 0, "operator",
	    "the queue of cases, nearest deadline first"},
	{"GET", "/{org}/cases/new", ui_fb_case_new_form, NULL, 0, 0,
	    "operator", "the form to register a message taken offline"},
	{"POST", "/{org}/cases/new", ui_fb_case_new, fb_new_params, 131072, 0,
	    "operator", "register a message taken by phone, reception, post"},
	{"GET", "/{org}/cases/{id}", ui_fb_case, fb_case_params, 0, 0,
	    "operator", "one case: fields, timers, history, actions"},
	{"POST", "/{org}/cases/{id}/ack", ui_fb_ack, NULL, 4096, 0,
	    "operator", "acknowledge the receipt of a message"},
	{"POST", "/{org}/cases/{id}/take", ui_fb_take, NULL, 4096, 0,
	    "operator", "take a case into work"},
	{"POST", "/{org}/cases/{id}/assign", ui_fb_assign, fb_assign_params,
	    4096, 0, "operator", "assign a case to a unit and a person"},
	{"POST", "/{org}/cases/{id}/classify", ui_fb_classify,
	    fb_classify_params, 4096, 0, "operator",
	    "set the topic, reason and form of interaction"},
	{"POST", "/{org}/cases/{id}/answer", ui_fb_answer, fb_answer_params,
	    FB_ANSWER_MAX * 3 + 4096, 0, "operator", "answer a case"},
	{"POST", "/{org}/cases/{id}/close", ui_fb_close, fb_close_params,
	    4096, 0, "operator", "close an answered case"},
	{"POST", "/{org}/cases/{id}/reopen", ui_fb_reopen, fb_reopen_params,
	    8192, 0, "operator", "reopen an answered or closed case"},
	{"POST", "/{org}/cases/{id}/extend", ui_fb_extend, fb_extend_params,
	    8192, 0, "operator", "extend the term under 59-FZ, with a notice"},

	/* The dictionaries of feedback (ui-feedback-admin.c). */
	{"GET", "/{org}/feedback/topics", ui_fbd_topics, fbd_done_params, 0, 0,
	    "operator", "topics and reasons, with the suggestions' accuracy"},
	{"POST", "/{org}/feedback/topics", ui_fbd_topic_add, fbd_topic_params,
	    16384, 0, "operator", "add a topic or a reason"},
	{"GET", "/{org}/feedback/topics/{id}", ui_fbd_topic, fbd_done_params,
	    0, 0, "operator", "one topic or reason, to edit"},
	{"POST", "/{org}/feedback/topics/{id}", ui_fbd_topic_save,
	    fbd_topic_params, 16384, 0, "operator",
	    "change or deactivate a topic or a reason"},
	{"GET", "/{org}/feedback/templates", ui_fbd_templates,
	    fbd_done_params, 0, 0, "operator",
	    "answer templates, searched by words"},
	{"POST", "/{org}/feedback/templates", ui_fbd_template_add,
	    fbd_template_params, 131072, 0, "operator",
	    "add an answer template"},
	{"GET", "/{org}/feedback/templates/{id}", ui_fbd_template,
	    fbd_done_params, 0, 0, "operator", "one answer template, to edit"},
	{"POST", "/{org}/feedback/templates/{id}", ui_fbd_template_save,
	    fbd_template_params, 131072, 0, "operator",
	    "change or deactivate an answer template"},
	{"GET", "/{org}/feedback/channels", ui_fbd_channels, fbd_done_params,
	    0, 0, "operator", "channels, service standards, working hours"},
	{"POST", "/{org}/feedback/channels", ui_fbd_channel_set,
	    fbd_channel_params, 4096, 0, "admin",
	    "set how a channel takes feedback"},
	{"POST", "/{org}/feedback/standards", ui_fbd_standard_set,
	    fbd_standard_params, 4096, 0, "admin",
	    "tighten a service standard"},
	{"POST", "/{org}/feedback/hours", ui_fbd_hours_set, fbd_hours_params,
	    4096, 0, "admin", "set the working hours"},

	/* Staff pages of surveys (ui-survey.c): any staff member sees the
	 * list and an instrument; analysts build, publish and invite; the
	 * results page also lets the working group in (checked there);
	 * operators enter paper forms. */
	{"GET", "/{org}/surveys", ui_srvs_list, srvs_done_params, 0, 0, NULL,
	    "the surveys of an organization"},
	{"POST", "/{org}/surveys", ui_srvs_add, srvs_add_params, 16384, 0,
	    "analyst", "make a survey as a draft"},
	{"GET", "/{org}/surveys/{name}", ui_srvs_overview, srvs_done_params, 0,
	    0, NULL, "one survey: versions, places, link, invitations"},
	{"POST", "/{org}/surveys/{name}/publish", ui_srvs_publish, NULL, 4096,
	    0, "analyst", "publish a survey's draft"},
	{"POST", "/{org}/surveys/{name}/discard", ui_srvs_discard, NULL, 4096,
	    0, "analyst", "discard a survey's draft"},
	{"POST", "/{org}/surveys/{name}/open", ui_srvs_open, srvs_open_params,
	    4096, 0, "analyst", "open or close a survey to answers"},
	{"POST", "/{org}/surveys/{name}/access", ui_srvs_access,
	    srvs_access_params, 4096, 0, "analyst",
	    "answers by open link or by invitation"},
	{"POST", "/{org}/surveys/{name}/targets", ui_srvs_attach,
	    srvs_attach_params, 16384, 0, "analyst",
	    "offer a survey at a touchpoint, service or life situation"},
	{"POST", "/{org}/surveys/{name}/targets/{id}/detach", ui_srvs_detach,
	    NULL, 4096, 0, "analyst", "stop offering a survey there"},
	{"POST", "/{org}/surveys/{name}/invites", ui_srvs_invite,
	    srvs_invite_params, 4096, 0, "analyst",
	    "make single-use invitations: a CSV of the links, shown once"},
	{"GET", "/{org}/surveys/{name}/edit", ui_srvs_edit, srvs_done_params,
	    0, 0, "analyst", "the builder of a survey's draft"},
	{"POST", "/{org}/surveys/{name}/edit", ui_srvs_edit_post,
	    srvs_edit_params, 262144, 0, "analyst",
	    "change the draft: title, a question, its place"},
	{"GET", "/{org}/surveys/{name}/preview", ui_srvs_preview,
	    srvs_preview_params, 0, 0, "analyst",
	    "a version of a survey as respondents see it"},
	{"GET", "/{org}/surveys/{name}/results", ui_srvs_results,
	    srvs_results_params, 0, 0, NULL,
	    "results: shares and indexes with their n (analysts, group)"},
	{"GET", "/{org}/surveys/{name}/results.csv", ui_srvs_export_csv,
	    srvs_results_params, 0, 0, "analyst", "the answers as CSV"},
	{"GET", "/{org}/surveys/{name}/results.xlsx", ui_srvs_export_xlsx,
	    srvs_results_params, 0, 0, "analyst", "the answers as XLSX"},
	{"GET", "/{org}/surveys/{name}/paper", ui_srvs_paper_form,
	    srvs_paper_params, 0, 0, "operator",
	    "the entry of paper forms"},
	{"POST", "/{org}/surveys/{name}/paper", ui_srvs_paper,
	    srvs_paper_params, 262144, 0, "operator",
	    "enter one paper form: answered after the commit"},
	{"POST", "/{org}/surveys/{name}/paper/upload", ui_srvs_paper_upload,
	    NULL, UI_SRVS_PAPER_MAX + 65536, ROUTE_UPLOAD, "operator",
	    "check a CSV of paper forms: nothing written"},
	{"POST", "/{org}/surveys/{name}/paper/import", ui_srvs_paper_import,
	    srvs_import_params, UI_SRVS_PAPER_MAX / 3 * 4 + 65536, 0,
	    "operator", "enter the checked CSV of paper forms"},

	/* Staff pages of reports (ui-report.c): analysts and the working
	 * group see them (checked there); analysts record decisions on
	 * problems; the group confirms the order and publishes. */
	{"GET", "/{org}/reports", ui_rep_report, rep_params, 0, 0, NULL,
	    "the report of a period with its charts (analysts, group)"},
	{"GET", "/{org}/reports/report.csv", ui_rep_export_csv, rep_params, 0,
	    0, NULL, "the report of a period as CSV"},
	{"GET", "/{org}/reports/report.xlsx", ui_rep_export_xlsx, rep_params,
	    0, 0, NULL, "the report of a period as XLSX with charts"},
	{"GET", "/{org}/reports/report.json", ui_rep_export_json, rep_params,
	    0, 0, NULL, "the report of a period as JSON"},
	{"GET", "/{org}/reports/pain", ui_rep_pain, rep_params, 0, 0, NULL,
	    "the pain map, ranked, with the group's decisions"},
	{"GET", "/{org}/reports/pain/{name}", ui_rep_pain_form,
	    rep_pain_params, 0, 0, NULL,
	    "one problem of the pain map, to decide about"},
	{"POST", "/{org}/reports/pain/{name}", ui_rep_pain_save,
	    rep_pain_params, 65536, 0, "analyst",
	    "record the cause, measure, unit, due date and state of a problem"},
	{"POST", "/{org}/reports/pain/confirm", ui_rep_confirm,
	    rep_confirm_params, 16384, 0, "group",
	    "confirm the order of reengineering, with the minutes"},
	{"GET", "/{org}/reports/level", ui_rep_level, rep_params, 0, 0, NULL,
	    "the client-centricity level and the region's comparison"},
	{"GET", "/{org}/reports/public", ui_rep_public, rep_public_params, 0,
	    0, NULL, "the preview of the yearly public report"},
	{"POST", "/{org}/reports/public", ui_rep_publish, rep_publish_params,
	    65536, 0, "group", "publish the yearly public report"},

	/* Administration (ui-admin.c). */
	{"GET", "/admin/orgs", ui_admin_orgs, admin_done_params, 0, 0, NULL,
	    "organizations (installation administrators)"},
	{"POST", "/admin/orgs", ui_admin_org_add, admin_org_params, 16384, 0,
	    NULL, "add an organization (installation administrators)"},
	{"GET", "/{org}/admin/units", ui_admin_units, admin_done_params, 0, 0,
	    "admin", "units of an organization"},
	{"POST", "/{org}/admin/units", ui_admin_unit_add, admin_unit_params,
	    16384, 0, "admin", "add a unit"},
	{"GET", "/{org}/admin/people", ui_admin_people, admin_done_params, 0,
	    0, "admin", "people and their roles in an organization"},
	{"POST", "/{org}/admin/people", ui_admin_person_add,
	    admin_person_params, 16384, 0, "admin",
	    "add a person with a role, or grant a role to an account"},
	{"POST", "/{org}/admin/people/{id}/roles", ui_admin_person_roles,
	    admin_roles_params, 4096, 0, "admin", "grant or revoke a role"},
	{"POST", "/{org}/admin/people/{id}/password", ui_admin_person_password,
	    admin_password_params, 16384, 0, "admin", "set a password"},
	{"GET", "/{org}/audit", ui_admin_audit, admin_audit_params, 0, 0,
	    "officer", "the audit log of an organization (officers, admins)"},

	/* JSON API (api-registry.c, api-session.c; docs/openapi.yaml). */
	{"GET", "/api/v1/session", api_session, NULL, 0, ROUTE_JSON, NULL,
	    "the person signed in, their roles and CSRF token"},
	{"GET", "/api/v1/orgs", api_orgs, NULL, 0, ROUTE_JSON, NULL,
	    "organizations where the person holds a role"},
	{"GET", "/api/v1/needs", api_needs, NULL, 0, ROUTE_JSON, NULL,
	    "the needs taxonomy"},
	{"GET", "/api/v1/channels", api_channels, NULL, 0, ROUTE_JSON, NULL,
	    "the channel types of touchpoints"},
	{"GET", "/api/v1/orgs/{org}/registry", api_registry_get,
	    api_version_params, 0, ROUTE_JSON, NULL,
	    "the registry of the latest version, a version or a date"},
	{"GET", "/api/v1/orgs/{org}/registry/entries/{id}", api_registry_entry,
	    api_version_params, 0, ROUTE_JSON, NULL, "one entry of the registry"},
	{"GET", "/api/v1/orgs/{org}/registry/check", api_registry_check,
	    api_version_params, 0, ROUTE_JSON, NULL,
	    "the checks of the order on a version"},
	{"GET", "/api/v1/orgs/{org}/registry/versions", api_registry_versions,
	    NULL, 0, ROUTE_JSON, NULL, "versions of the registry"},
	{"POST", "/api/v1/orgs/{org}/registry/versions", api_versions_create,
	    NULL, 65536, ROUTE_JSON | ROUTE_JSON_BODY, "officer",
	    "include submitted changes as a new version"},
	{"GET", "/api/v1/orgs/{org}/registry/diff", api_registry_diff,
	    api_diff_params, 0, ROUTE_JSON, NULL, "compare two versions"},
	{"GET", "/api/v1/orgs/{org}/registry/status", api_registry_status,
	    NULL, 0, ROUTE_JSON, NULL, "publications due, with deadlines"},
	{"GET", "/api/v1/orgs/{org}/registry/export", api_registry_export,
	    api_export_params, 0, ROUTE_JSON, NULL,
	    "the official form as HTML, CSV or XLSX"},
	{"POST", "/api/v1/orgs/{org}/registry/import", api_registry_import,
	    api_import_params, TABLE_MAX_FILE, ROUTE_JSON | ROUTE_JSON_BODY,
	    "officer", "load the registry from a CSV or XLSX file"},
	{"GET", "/api/v1/orgs/{org}/registry/changes", api_changes_list,
	    api_changes_params, 0, ROUTE_JSON, NULL, "changes, by state"},
	{"POST", "/api/v1/orgs/{org}/registry/changes", api_change_create,
	    NULL, 65536, ROUTE_JSON | ROUTE_JSON_BODY, "editor",
	    "draft an addition, change or exclusion"},
	{"GET", "/api/v1/orgs/{org}/registry/changes/{id}", api_change_get,
	    NULL, 0, ROUTE_JSON, NULL, "one change"},
	{"POST", "/api/v1/orgs/{org}/registry/changes/{id}/submit",
	    api_change_submit, NULL, 1024, ROUTE_JSON | ROUTE_JSON_BODY,
	    "editor", "submit a draft for verification"},
	{"POST", "/api/v1/orgs/{org}/registry/changes/{id}/verify",
	    api_change_verify, NULL, 1024, ROUTE_JSON | ROUTE_JSON_BODY,
	    "officer", "the checks on the registry with the change"},
	{"POST", "/api/v1/orgs/{org}/registry/changes/{id}/include",
	    api_change_include, NULL, 1024, ROUTE_JSON | ROUTE_JSON_BODY,
	    "officer", "include one change as a new version"},
	{"POST", "/api/v1/orgs/{org}/registry/changes/{id}/return",
	    api_change_return, NULL, 65536, ROUTE_JSON | ROUTE_JSON_BODY,
	    "officer", "return a change to its author with a comment"},
	{"POST", "/api/v1/orgs/{org}/registry/publications",
	    api_publication_create, NULL, 4096, ROUTE_JSON | ROUTE_JSON_BODY,
	    "officer", "record that a version was published"},
	/* Feedback (api-feedback.c): the write path of DESIGN.md. */
	{"POST", "/api/v1/orgs/{org}/messages", api_messages_post, NULL, 65536,
	    ROUTE_PUBLIC | ROUTE_JSON | ROUTE_JSON_BODY, NULL,
	    "send a message: an appeal, complaint, request, comment…"},
	{"GET", "/api/v1/orgs/{org}/messages/{name}", api_message_status, NULL,
	    0, ROUTE_PUBLIC | ROUTE_JSON, NULL,
	    "where a message stands, by its tracking code"},
	{"GET", "/api/v1/orgs/{org}/messages", api_messages_list,
	    api_messages_params, 0, ROUTE_JSON, "operator",
	    "the queue of messages, nearest deadline first"},
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
