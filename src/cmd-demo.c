/*
 * otklik demo generate: realistic synthetic feedback and survey answers
 * for one organization, to show the reports and to measure them
 * (bench/report.sh).  The rows are written straight into the detail
 * tables with prepared statements, in transactions of DEMO_BATCH rows,
 * then the organization's rollups are rebuilt once (rollup_rebuild) and
 * one audit entry "demo.generate" records what was made.
 *
 * What makes the data realistic: channels and touchpoints of the
 * organization's registry, topics and reasons of its dictionary, more
 * messages in spring and autumn and fewer in the New Year holidays and in
 * August, most of them in working hours of working days (its calendar),
 * answer times drawn log-normally against the deadlines of its standards
 * (fb_deadlines) so that most are met and some are late, a few weaker
 * touchpoints, complaints closed satisfied or not, transfers by phone and
 * waits at a reception; survey ratings with means of their own per
 * touchpoint and one or two weak questions, conditional questions
 * answered only when shown.  No personal data: no contacts, neutral
 * texts.
 *
 * Deterministic: the same seed on the same database gives the same rows.
 * The generator is splitmix64, not rand(), so that the rows are the same
 * on every system.  Tracking codes of generated messages start with "U",
 * a letter Crockford's base32 (code_make in feedback_store.c) never
 * uses, so they cannot clash with the codes of real messages and no
 * client can look them up; then two characters from the seed and a
 * running number, so that two runs never clash either and the code index
 * grows at its end.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "otklik.h"
#include "audit.h"
#include "cal.h"
#include "cmd.h"
#include "db.h"
#include "feedback.h"
#include "feedback_dict.h"
#include "org.h"
#include "registry.h"
#include "rollup.h"
#include "survey.h"

#define DEMO_MAX	100000000	/* messages, or answers, at most */
#define DEMO_BATCH	50000		/* detail rows per transaction */
#define DEMO_DAYS_MAX	3660		/* a period of at most ten years */
#define DEMO_TP_MAX	100000		/* touchpoints taken from the registry */
#define DEMO_UNITS_MAX	10000
#define DEMO_TEXT_MAX	600
#define DAY		86400

enum { O_MESSAGES, O_ANSWERS, O_SEED, O_FROM, O_TO };
static const struct cmd_opt opts[] = {
	[O_MESSAGES] = {"messages", "N", "feedback messages to make (0 to "
					 "100000000)"},
	[O_ANSWERS] = {"answers", "N", "survey answers to make (0 to "
				       "100000000)"},
	[O_SEED] = {"seed", "S", "seed of the generator (default 1)"},
	[O_FROM] = {"from", "DATE", "first day (default: a year before --to)"},
	[O_TO] = {"to", "DATE", "last day (default: today)"},
	{NULL, NULL, NULL},
};

/* ---- the generator ---- */

struct rng {
	uint64_t s;
};

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, 1). */
static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int
rng_below(struct rng *r, int n)
{
	return n <= 1 ? 0 : (int)(rng_unit(r) * n);
}

static int
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Standard normal (Box–Muller; one of the pair is enough here). */
static double
rng_normal(struct rng *r)
{
	double u = 1.0 - rng_unit(r), v = rng_unit(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* An index drawn by weight; w[] are not negative and total > 0. */
static int
rng_pick(struct rng *r, const double *w, int n, double total)
{
	double x = rng_unit(r) * total;
	int    i;

	for (i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* A number in [0, 1) fixed by a seed and a key (touchpoints, questions). */
static double
hash_unit(uint64_t seed, uint64_t key)
{
	return (double)(mix64(seed ^ mix64(key + 0x632be59bd9b4e019ULL)) >>
	    11) * 0x1.0p-53;
}

/* ---- what the organization has ---- */

/*
 * How a channel type is used, by clients of each kind: its share of the
 * messages, whether messages come at any hour (digital) or in working
 * hours, and which mix of kinds it brings.
 */
enum mix { MIX_WRITTEN, MIX_SOCIAL, MIX_VOICE };
struct chan_prof {
	const char *code;
	double	    ext, in;	/* weights for external, internal clients */
	int	    anytime;
	enum mix    mix;
};
static const struct chan_prof chan_profs[] = {
	{"site", 16, 2, 1, MIX_WRITTEN},
	{"edms", 0.5, 40, 0, MIX_WRITTEN},
	{"email", 12, 25, 1, MIX_WRITTEN},
	{"pos", 14, 0, 1, MIX_WRITTEN},
	{"phone", 18, 10, 0, MIX_VOICE},
	{"callcentre", 8, 0, 0, MIX_VOICE},
	{"reception", 9, 0, 0, MIX_VOICE},
	{"commission", 0.5, 1, 0, MIX_VOICE},
	{"social", 7, 0, 1, MIX_SOCIAL},
	{"messenger", 4, 5, 1, MIX_SOCIAL},
	{"chatbot", 3, 0, 1, MIX_SOCIAL},
	{"voice", 0.5, 0, 1, MIX_VOICE},
	{"app", 2, 0, 1, MIX_WRITTEN},
	{"api", 0.3, 0, 1, MIX_WRITTEN},
	{"post", 5, 1, 0, MIX_WRITTEN},
	{"stand", 0.3, 0, 0, MIX_VOICE},
	{"mfc", 2, 0, 0, MIX_WRITTEN},
	{"workplace", 0.3, 15, 0, MIX_VOICE},
	{"other", 0.5, 0.5, 0, MIX_WRITTEN},
};
#define NCHAN nitems(chan_profs)

static const char *const kinds[] = {"appeal", "complaint", "request",
	"comment", "mention", "post", "proposal"};
enum { K_APPEAL, K_COMPLAINT, K_REQUEST, K_COMMENT, K_MENTION, K_POST,
	K_PROPOSAL, K__COUNT };
static const double kind_mix[3][K__COUNT] = {
	[MIX_WRITTEN] = {45, 15, 22, 10, 0, 0, 8},
	[MIX_SOCIAL] = {20, 13, 7, 25, 30, 5, 0},
	[MIX_VOICE] = {40, 15, 35, 0, 0, 0, 10},
};
static const char *const ext_forms[] = {"service", "appeals", "information",
	"support", "control", "prevention"};
static const double ext_form_w[] = {40, 25, 20, 8, 4, 3};

/* Neutral texts, one per kind, around the topic's title. */
static const char *const kind_text[K__COUNT][2] = {
	{"Прошу разъяснить порядок по вопросу", "."},
	{"Жалоба по вопросу", ": прошу принять меры."},
	{"Прошу предоставить сведения по вопросу", "."},
	{"Комментарий по вопросу", "."},
	{"Упоминание ведомства в публикации по вопросу", "."},
	{"Публикация по вопросу", "."},
	{"Предложение по вопросу", "."},
};
#define ANSWER_TEXT "Дан ответ по существу обращения."

/* The small dictionary put in when an organization has none. */
static const char *const demo_topics[] = {
	"Запись на приём", "Сроки оказания услуги",
	"Порядок получения услуги", "Работа сайта и портала",
	"Перечень документов", "Качество обслуживания", "Режим работы",
	"Льготы и выплаты",
};
static const char *const demo_reasons[] = {
	"Долгое ожидание", "Нет ответа по телефону", "Непонятная информация",
	"Ошибка в документах", "Некорректное поведение сотрудника",
	"Технический сбой", "Отказ в услуге",
};

struct tp {
	int64_t id;
	int64_t unit_id;
	int	internal;	/* a touchpoint of internal clients */
	int	key;		/* a key touchpoint of the registry */
	int	weak;		/* answers later, rated lower */
	double	offset;		/* its ratings' shift */
};

/* Touchpoint indices of one channel and kind of client. */
struct tplist {
	int  *v;
	int   n;
};

struct topic {
	int64_t id;
	char   *title;
};

struct gen {
	struct db      *db;
	struct fb_conf *conf;
	int64_t		org_id;
	uint64_t	seed;
	int64_t		now;
	int32_t		from, to;

	struct tp      *tp;
	int		ntp;
	struct tplist	bych[2][NCHAN];		/* [internal][channel] */
	int64_t		chan_tp[NCHAN];		/* fb_channel's touchpoint */
	double		chw[2][NCHAN];		/* channel weights */
	double		chw_total[2];
	int64_t	       *units;
	int		nunits;
	struct topic   *topics, *reasons;
	int		ntopics, nreasons;
	double	       *topic_w;
	double		topic_total;

	char		prefix[4];	/* "U" and two characters */
	int64_t		seq;		/* the next running number */
	int64_t		last_response;	/* the highest srv_response id */

	/* counts */
	int64_t		messages, responses, answers, done, total;
	int		tty;
	double		t0, shown;
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
progress(struct gen *g, int last)
{
	double now = mono(), rate;

	if (!g->tty || (!last && now - g->shown < 0.25))
		return;
	g->shown = now;
	rate = now > g->t0 ? g->done / (now - g->t0) : 0;
	fprintf(stderr, "\rdemo: %3d%%  %lld of %lld rows  %.0f rows/s   ",
	    g->total > 0 ? (int)(100 * g->done / g->total) : 100,
	    (long long)g->done, (long long)g->total, rate);
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}

static int
db_error(struct gen *g, struct err *e, const char *what)
{
	return err_set(e, EXIT_IOERR, "%s: %s", what, db_errmsg(g->db));
}

static void
tplist_add(struct tplist *l, int i)
{
	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof(*l->v));
	l->v[l->n++] = i;
}

static int
chan_index(const char *code)
{
	size_t i;

	for (i = 0; i < NCHAN; i++)
		if (strcmp(chan_profs[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* The touchpoints of the current registry, by channel and client. */
static int
load_touchpoints(struct gen *g, struct err *e)
{
	struct db_stmt *s;
	int		r, ch, in;

	s = db_prepare(g->db,
	    "SELECT touchpoint_id, channel, client, unit_id, is_key FROM "
	    "touchpoint_rev WHERE org_id = ? AND valid_from IS NOT NULL AND "
	    "valid_to IS NULL AND not_counted = 0 ORDER BY touchpoint_id",
	    "i", g->org_id);
	if (s == NULL)
		return db_error(g, e, "touchpoints");
	while ((r = db_step(s)) == DB_ROW && g->ntp < DEMO_TP_MAX) {
		ch = chan_index(db_col_text(s, 1));
		if (ch < 0)
			continue;
		in = strcmp(db_col_text(s, 2), "internal") == 0;
		g->tp = xreallocarray(g->tp, (size_t)g->ntp + 1,
		    sizeof(*g->tp));
		g->tp[g->ntp].id = db_col_int(s, 0);
		g->tp[g->ntp].unit_id = db_col_int(s, 3);
		g->tp[g->ntp].internal = in;
		g->tp[g->ntp].key = db_col_int(s, 4) != 0;
		/* About one touchpoint in seven lags behind. */
		g->tp[g->ntp].weak =
		    hash_unit(g->seed, (uint64_t)g->tp[g->ntp].id) < 1.0 / 7;
		g->tp[g->ntp].offset = g->tp[g->ntp].weak ? -0.6 :
		    0.5 * hash_unit(g->seed + 1, (uint64_t)g->tp[g->ntp].id) -
			0.2;
		tplist_add(&g->bych[in][ch], g->ntp);
		g->ntp++;
	}
	db_finalize(s);
	if (r == DB_FAIL)
		return db_error(g, e, "touchpoints");
	return 0;
}

/*
 * The channel weights: channels the organization has switched off get
 * none; when the registry has touchpoints, only their channels (and those
 * configured with a touchpoint) get messages, from either kind of client
 * (an internal client may write to a public address).
 */
static int
load_channels(struct gen *g, struct err *e)
{
	struct fb_channel_conf *cc = NULL;
	int			n, i, ch, in, any = 0;

	if ((n = fb_channel_list(g->db, g->org_id, &cc, e)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((ch = chan_index(cc[i].channel)) < 0)
			continue;
		g->chan_tp[ch] = cc[i].touchpoint_id;
	}
	for (ch = 0; ch < (int)NCHAN; ch++)
		any |= g->bych[0][ch].n > 0 || g->bych[1][ch].n > 0;
	for (in = 0; in < 2; in++) {
		g->chw_total[in] = 0;
		for (ch = 0; ch < (int)NCHAN; ch++) {
			double w = in ? chan_profs[ch].in : chan_profs[ch].ext;

			for (i = 0; i < n; i++)
				if (strcmp(cc[i].channel, chan_profs[ch].code) ==
				    0 && (!cc[i].enabled || strcmp(cc[i].client,
				    in ? "external" : "internal") == 0))
					w = 0;
			if (any && g->bych[0][ch].n == 0 &&
			    g->bych[1][ch].n == 0 && g->chan_tp[ch] == 0)
				w = 0;
			g->chw[in][ch] = w;
			g->chw_total[in] += w;
		}
		/* Nothing left (an odd configuration): the defaults. */
		if (g->chw_total[in] <= 0)
			for (ch = 0; ch < (int)NCHAN; ch++) {
				g->chw[in][ch] = in ? chan_profs[ch].in :
				    chan_profs[ch].ext;
				g->chw_total[in] += g->chw[in][ch];
			}
	}
	free(cc);
	return 0;
}

static int
load_units(struct gen *g, struct err *e)
{
	struct db_stmt *s;
	int		r;

	s = db_prepare(g->db, "SELECT id FROM unit WHERE org_id = ? ORDER BY "
			      "id", "i", g->org_id);
	if (s == NULL)
		return db_error(g, e, "units");
	while ((r = db_step(s)) == DB_ROW && g->nunits < DEMO_UNITS_MAX) {
		g->units = xreallocarray(g->units, (size_t)g->nunits + 1,
		    sizeof(*g->units));
		g->units[g->nunits++] = db_col_int(s, 0);
	}
	db_finalize(s);
	return r == DB_FAIL ? db_error(g, e, "units") : 0;
}

static int
load_kind(struct gen *g, const char *kind, struct topic **out, int *n,
    struct err *e)
{
	struct fb_topic *t = NULL;
	int		 k, i;

	if ((k = fb_topic_list(g->db, g->org_id, kind, 1, &t, e)) < 0)
		return -1;
	*out = xcalloc((size_t)k + 1, sizeof(**out));
	for (i = 0; i < k; i++) {
		(*out)[i].id = t[i].id;
		(*out)[i].title = xstrdup(t[i].title);
	}
	*n = k;
	fb_topics_free(t, k);
	return 0;
}

/*
 * Topics and reasons of the dictionary; a small realistic set is added
 * (with the dictionary's own functions, each audited) when there are
 * none.  Topics are drawn by a Zipf-like weight: a few topics bring most
 * messages, as they do in life.
 */
static int
load_topics(struct gen *g, const char *actor, struct err *e)
{
	int64_t id;
	size_t	i;
	int	k;

	if (load_kind(g, "topic", &g->topics, &g->ntopics, e) != 0 ||
	    load_kind(g, "reason", &g->reasons, &g->nreasons, e) != 0)
		return -1;
	if (g->ntopics == 0) {
		for (i = 0; i < nitems(demo_topics); i++)
			if (fb_topic_add(g->db, actor, g->org_id, "topic",
			    demo_topics[i], "", &id, e) != 0)
				return -1;
		free(g->topics);
		if (load_kind(g, "topic", &g->topics, &g->ntopics, e) != 0)
			return -1;
	}
	if (g->nreasons == 0) {
		for (i = 0; i < nitems(demo_reasons); i++)
			if (fb_topic_add(g->db, actor, g->org_id, "reason",
			    demo_reasons[i], "", &id, e) != 0)
				return -1;
		free(g->reasons);
		if (load_kind(g, "reason", &g->reasons, &g->nreasons, e) != 0)
			return -1;
	}
	g->topic_w = xcalloc((size_t)g->ntopics + 1, sizeof(double));
	g->topic_total = 0;
	for (k = 0; k < g->ntopics; k++) {
		/* The order of the weights is shuffled by the seed. */
		g->topic_w[k] = 1.0 / (1 + (int)(hash_unit(g->seed + 2,
		    (uint64_t)g->topics[k].id) * g->ntopics));
		g->topic_total += g->topic_w[k];
	}
	return 0;
}

/* Codes: "U", two characters of the seed, then the running number. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
code_of(const struct gen *g, int64_t seq, char out[FB_CODE_LEN + 1])
{
	char d[7];
	int  i;

	for (i = 6; i >= 0; i--) {
		d[i] = b32[seq & 31];
		seq >>= 5;
	}
	snprintf(out, FB_CODE_LEN + 1, "%s%c-%.6s", g->prefix, d[0], d + 1);
}

static int
code_start(struct gen *g, struct err *e)
{
	struct db_stmt *s;
	char		hi[8];
	const char     *c, *p;
	int64_t		seq = 0;
	int		r, i;
	uint64_t	h = mix64(g->seed ^ 0x5bd1e995ULL);

	snprintf(g->prefix, sizeof(g->prefix), "U%c%c", b32[h & 31],
	    b32[(h >> 5) & 31]);
	snprintf(hi, sizeof(hi), "%s~", g->prefix);
	s = db_prepare(g->db, "SELECT max(code) FROM fb_message WHERE code >= ? "
			      "AND code < ?", "tt", g->prefix, hi);
	if (s == NULL || (r = db_step(s)) == DB_FAIL) {
		db_finalize(s);
		return db_error(g, e, "codes");
	}
	c = r == DB_ROW ? db_col_text(s, 0) : NULL;
	if (c != NULL && strlen(c) == FB_CODE_LEN) {
		for (i = 3; i < FB_CODE_LEN; i++) {
			if (i == 4)
				continue;
			if ((p = strchr(b32, c[i])) == NULL || *p == '\0')
				break;
			seq = seq * 32 + (p - b32);
		}
		seq++;
	}
	db_finalize(s);
	g->seq = seq;
	return 0;
}

/* ---- days ---- */

/*
 * The weight of a day: the season (more in spring and autumn, less in
 * summer, fewest in August and in the New Year holidays), and days off
 * bring a third of a working day's messages.
 */
static double
day_weight(struct gen *g, int32_t day, double offday)
{
	static const double month[13] = {0, 0.8, 0.95, 1.15, 1.2, 1.0, 0.9,
		0.8, 0.65, 1.15, 1.2, 1.15, 1.0};
	int    y, m, d;
	double w;

	date_to_ymd(day, &y, &m, &d);
	w = month[m];
	if (m == 1 && d <= 8)
		w *= 0.3;
	else if (m == 12 && d >= 28)
		w *= 0.8;
	if (!cal_is_working(g->conf->cal, day))
		w *= offday;
	return w;
}

/*
 * Splits n over the days by weight, exactly (largest remainder by
 * running sums): counts[i] for day from + i.
 */
static void
split_days(struct gen *g, int64_t n, double offday, int64_t *counts)
{
	int    nd = g->to - g->from + 1, i;
	double total = 0, run = 0, *w;
	int64_t prev = 0, cur;

	w = xcalloc((size_t)nd, sizeof(*w));
	for (i = 0; i < nd; i++) {
		w[i] = day_weight(g, g->from + i, offday);
		total += w[i];
	}
	for (i = 0; i < nd; i++) {
		run += w[i];
		cur = i == nd - 1 ? n : (int64_t)llround(n * (run / total));
		counts[i] = cur - prev;
		prev = cur;
	}
	free(w);
}

/* ---- times ---- */

static int
day_end(struct gen *g, int32_t day)
{
	return g->conf->hours.end - (cal_is_short(g->conf->cal, day) ? 60 : 0);
}

static int64_t
local_time(struct gen *g, int32_t day, int minute, int second)
{
	int64_t t = (int64_t)day * DAY + minute * 60 + second;

	return t - tz_offset(t, g->conf->tz);
}

/*
 * Staff work in working hours: a moment outside them moves to the next
 * opening, plus up to an hour and a half of getting to it.
 */
static int64_t
work_snap(struct gen *g, struct rng *r, int64_t t)
{
	int64_t local = t + tz_offset(t, g->conf->tz);
	int32_t day = (int32_t)(local / DAY);
	int	minute = (int)(local % DAY) / 60, k;

	if (cal_is_working(g->conf->cal, day) &&
	    minute >= g->conf->hours.start && minute < day_end(g, day))
		return t;
	if (!cal_is_working(g->conf->cal, day) || minute >= day_end(g, day))
		for (k = 0, day++; k < 30 &&
		    !cal_is_working(g->conf->cal, day); k++)
			day++;
	return local_time(g, day, g->conf->hours.start + rng_below(r, 90),
	    rng_below(r, 60));
}

/* A moment of the day a message arrives by a channel. */
static int64_t
arrival(struct gen *g, struct rng *r, int32_t day, int anytime)
{
	int64_t t, lo;
	int	start = g->conf->hours.start, end = day_end(g, day);

	if (day == date_local(g->now, g->conf->tz)) {
		/* Today: before now. */
		lo = local_time(g, day, 0, 0);
		return lo + (int64_t)(rng_unit(r) * (double)(g->now - lo));
	}
	if (cal_is_working(g->conf->cal, day) && end > start &&
	    (!anytime || rng_chance(r, 0.8))) {
		/* Busiest before noon and after lunch. */
		double x = rng_unit(r);

		x = x < 0.5 ? x * 0.8 : 0.4 + (x - 0.5) * 1.2;
		t = local_time(g, day, start + (int)(x * (end - start)),
		    rng_below(r, 60));
	} else if (anytime)
		t = local_time(g, day, 7 * 60 + rng_below(r, 17 * 60),
		    rng_below(r, 60));
	else if (cal_is_working(g->conf->cal, day))
		t = local_time(g, day, start + rng_below(r, end - start),
		    rng_below(r, 60));
	else	/* an office closed that day: the post box, a voice mail */
		t = local_time(g, day, 10 * 60 + rng_below(r, 6 * 60),
		    rng_below(r, 60));
	return t;
}

/* A log-normal fraction of a span: median m, spread sigma. */
static double
lognormal(struct rng *r, double m, double sigma)
{
	return m * exp(sigma * rng_normal(r));
}

/* ---- messages ---- */

struct msg {
	struct fb_msg m;
	char	      text[DEMO_TEXT_MAX];
	const char   *answer;
};

static int
pick_channel(struct gen *g, struct rng *r, int in)
{
	return rng_pick(r, g->chw[in], (int)NCHAN, g->chw_total[in]);
}

static void
msg_make(struct gen *g, struct rng *r, int32_t day, struct msg *x)
{
	struct fb_msg	       *m = &x->m;
	const struct chan_prof *cp;
	const struct tp	       *tp = NULL;
	int			in, ch, k, i, weak, onspot = 0;
	int64_t			span, t, ack = 0, ans = 0, work = 0, closed;
	double			med, sig, f;
	const char	       *topic = "общий вопрос";

	fb_msg_init(m);
	m->org_id = g->org_id;
	in = rng_chance(r, 0.15);
	ch = pick_channel(g, r, in);
	cp = &chan_profs[ch];
	snprintf(m->client, sizeof(m->client), "%s",
	    in ? "internal" : "external");
	snprintf(m->channel, sizeof(m->channel), "%s", cp->code);
	k = rng_pick(r, kind_mix[cp->mix], K__COUNT, 100);
	if (in && (k == K_MENTION || k == K_POST || k == K_COMMENT))
		k = K_REQUEST;
	snprintf(m->kind, sizeof(m->kind), "%s", kinds[k]);
	if (strcmp(cp->code, "pos") == 0)
		snprintf(m->source, sizeof(m->source), "pos");
	else if (k == K_MENTION || k == K_POST)
		snprintf(m->source, sizeof(m->source), "media");
	else
		snprintf(m->source, sizeof(m->source), "direct");
	if (in)
		snprintf(m->form, sizeof(m->form), "internal");
	else
		snprintf(m->form, sizeof(m->form), "%s",
		    ext_forms[rng_pick(r, ext_form_w, nitems(ext_form_w), 100)]);

	/* The touchpoint, and through it the unit. */
	{
		const struct tplist *l = &g->bych[in][ch];

		if (l->n == 0)
			l = &g->bych[!in][ch];
		if (l->n > 0) {
			tp = &g->tp[l->v[rng_below(r, l->n)]];
			m->touchpoint_id = tp->id;
			m->unit_id = tp->unit_id;
		} else
			m->touchpoint_id = g->chan_tp[ch];
	}
	if (m->unit_id == 0 && g->nunits > 0)
		m->unit_id = g->units[rng_below(r, g->nunits)];
	weak = tp != NULL && tp->weak;

	if (g->ntopics > 0) {
		i = rng_pick(r, g->topic_w, g->ntopics, g->topic_total);
		m->topic_id = g->topics[i].id;
		topic = g->topics[i].title;
	}
	if (g->nreasons > 0 && (k == K_COMPLAINT || rng_chance(r, 0.4)))
		m->reason_id = g->reasons[rng_below(r, g->nreasons)].id;
	snprintf(x->text, sizeof(x->text), "%s «%s»%s", kind_text[k][0],
	    topic, kind_text[k][1]);
	m->text = x->text;

	/* Arrival and registration. */
	m->received_at = arrival(g, r, day, cp->anytime);
	if (strcmp(cp->code, "post") == 0 || strcmp(cp->code, "edms") == 0 ||
	    strcmp(cp->code, "email") == 0)
		m->registered_at = work_snap(g, r, m->received_at +
		    rng_below(r, 40) * 60);
	else
		m->registered_at = m->received_at;
	if (m->registered_at > g->now)
		m->registered_at = m->received_at;
	fb_deadlines(g->conf, m);

	if (strcmp(cp->code, "phone") == 0 ||
	    strcmp(cp->code, "callcentre") == 0) {
		static const double tw[] = {60, 25, 10, 4, 1};

		m->transfers = rng_pick(r, tw, 5, 100);
	}
	if (strcmp(cp->code, "reception") == 0)
		m->wait_minutes = (int)lround(lognormal(r, weak ? 12 : 8,
		    0.55));

	/* The answer: on the spot for a call or a visit now and then, else
	 * a log-normal share of the time the standard allows. */
	if (m->answer_due != 0)
		span = m->answer_due - m->registered_at;
	else
		span = (cp->mix == MIX_VOICE ? 1 : 3) * (int64_t)DAY;
	if (span < 600)
		span = 600;
	if (cp->mix == MIX_SOCIAL) {
		med = 0.35;
		sig = 0.8;
	} else if (strcmp(m->source, "pos") == 0) {
		med = 0.45;
		sig = 0.5;
	} else if (m->answer_due != 0) {
		med = 0.38;
		sig = 0.55;
	} else {
		med = 0.3;
		sig = 0.7;
	}
	if (weak)
		med *= 1.6;
	if (cp->mix == MIX_VOICE && (k == K_APPEAL || k == K_REQUEST) &&
	    rng_chance(r, 0.55)) {
		onspot = 1;
		ans = m->registered_at + 60 + rng_below(r, 25 * 60);
	} else if (k != K_POST) {
		f = lognormal(r, med, sig);
		if (f > 4)
			f = 4;
		ans = m->registered_at + (int64_t)(f * (double)span);
		if (cp->mix != MIX_SOCIAL)
			ans = work_snap(g, r, ans);
	}
	if (!onspot && m->ack_due != 0) {
		f = lognormal(r, weak ? 0.45 : 0.25, 0.8);
		if (f > 3)
			f = 3;
		ack = work_snap(g, r, m->registered_at + (int64_t)(f *
		    (double)(m->ack_due - m->registered_at)));
		if (ans != 0 && ack > ans)
			ack = ans;
	}
	t = ack != 0 ? ack : m->registered_at;
	if (ans != 0)
		work = onspot ? m->registered_at : t + (ans - t) / 5;
	if (k == K_POST)
		closed = m->registered_at + DAY / 2 + rng_below(r, DAY);
	else if (k == K_COMPLAINT)
		closed = ans + (int64_t)(lognormal(r, 1.5, 1.0) * DAY);
	else
		closed = ans + (int64_t)(lognormal(r, 0.2, 1.2) * DAY);

	/* Where the case stands now. */
	if (closed <= g->now) {
		snprintf(m->state, sizeof(m->state), "closed");
		m->closed_at = closed;
	} else if (ans != 0 && ans <= g->now)
		snprintf(m->state, sizeof(m->state), "answered");
	else if (work != 0 && work <= g->now)
		snprintf(m->state, sizeof(m->state), "in_work");
	else if (ack != 0 && ack <= g->now)
		snprintf(m->state, sizeof(m->state), "acknowledged");
	else
		snprintf(m->state, sizeof(m->state), "registered");
	m->acknowledged_at = ack != 0 && ack <= g->now ? ack : 0;
	m->in_work_at = work != 0 && work <= g->now ? work : 0;
	m->answered_at = ans != 0 && ans <= g->now ? ans : 0;
	x->answer = m->answered_at != 0 ? ANSWER_TEXT : NULL;
	if (m->closed_at != 0 && k == K_COMPLAINT) {
		int sat = rng_chance(r, weak ? 0.5 : 0.72);

		snprintf(m->outcome, sizeof(m->outcome), "%s",
		    sat ? "satisfied" : "unsatisfied");
		if (rng_chance(r, 0.4))
			m->solved = sat;
		if (rng_chance(r, 0.3))
			m->rating = sat ? 3 + rng_below(r, 3) :
			    1 + rng_below(r, 2);
	} else if (rng_chance(r, 0.2)) {
		static const double rw[] = {6, 6, 13, 30, 45};

		m->rating = 1 + rng_pick(r, rw, 5, 100);
		if (weak && m->rating > 1 && rng_chance(r, 0.3))
			m->rating--;
	}
}

/*
 * Messages go through a temporary table without constraints and move
 * into fb_message a batch at a time: SQLite checks each "IN (…)" of
 * fb_message's CHECK constraints with a temporary index that it builds
 * once per statement, which for one row per statement costs more than
 * the row itself.
 */
#define MSG_COLS                                                          \
	"org_id, code, source, channel, kind, client, form, touchpoint_id, " \
	"topic_id, reason_id, text, rating, state, outcome, received_at, "  \
	"registered_at, acknowledged_at, in_work_at, answered_at, "         \
	"closed_at, ack_due, answer_due, unit_id, transfers, wait_minutes, " \
	"answer, solved"

static int
msg_flush(struct gen *g, struct err *e)
{
	if (db_exec(g->db, "INSERT INTO fb_message (" MSG_COLS ") SELECT "
			   MSG_COLS " FROM demo_msg ORDER BY code") != 0)
		return db_error(g, e, "storing messages");
	if (db_exec(g->db, "DELETE FROM demo_msg") != 0)
		return db_error(g, e, "storing messages");
	return 0;
}

static int
msg_store(struct gen *g, struct msg *x, struct err *e)
{
	struct fb_msg *m = &x->m;

	code_of(g, g->seq++, m->code);
	if (db_run(g->db, NULL,
		"INSERT INTO demo_msg (" MSG_COLS ") VALUES (?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"NULLIF(?, -1), ?, NULLIF(?, -1))",
		"itttttt" "III" "t" "I" "tt" "ii" "IIII" "II" "I" "ii" "ti",
		m->org_id, m->code, m->source, m->channel, m->kind, m->client,
		m->form[0] != '\0' ? m->form : NULL, m->touchpoint_id,
		m->topic_id, m->reason_id, m->text, (int64_t)m->rating,
		m->state, m->outcome[0] != '\0' ? m->outcome : NULL,
		m->received_at, m->registered_at, m->acknowledged_at,
		m->in_work_at, m->answered_at, m->closed_at, m->ack_due,
		m->answer_due, m->unit_id, (int64_t)m->transfers,
		(int64_t)m->wait_minutes, x->answer, (int64_t)m->solved) != 0)
		return db_error(g, e, "storing a message");
	g->messages++;
	return 0;
}

/* ---- survey answers ---- */

struct squest {
	const char *code;
	enum srv_qtype type;
	int	    nopt;
	int	    required;
	int	    show_if;	/* index of the question it depends on, -1 */
	uint32_t    show_mask;	/* its options that show this one */
	double	    mean;	/* ratings */
	double	   *opt_w;	/* choices */
	double	    opt_total;
};

struct sinstr {
	int64_t		id, version_id;
	int		internal;
	int		offline_ok;
	struct srv_def	def;
	struct squest  *q;
	int		nq;
	struct tplist	tps;		/* indices into g->tp */
	char	      **names;		/* services and situations targeted */
	int	       *situation;	/* names[i] is a life situation */
	int		nnames;
};

/* The parameters people are least happy with, where an instrument asks
 * about them: the booking, the speed, automation, career. */
static const char *const weak_codes[] = {"booking", "speed", "automation",
	"career"};

static void
sinstr_prepare(struct gen *g, struct sinstr *si)
{
	size_t	i, j, k;
	int	weak = 0, dep;

	si->nq = (int)si->def.nq;
	si->q = xcalloc(si->def.nq + 1, sizeof(*si->q));
	for (i = 0; i < si->def.nq; i++) {
		const struct srv_question *q = &si->def.q[i];
		struct squest		  *s = &si->q[i];

		s->code = q->code;
		s->type = q->type;
		s->nopt = (int)q->noptions;
		s->required = q->required;
		s->show_if = -1;
		if (q->show_if != NULL &&
		    (dep = srv_def_find(&si->def, q->show_if)) >= 0) {
			s->show_if = dep;
			for (j = 0; j < q->nshow_any; j++)
				for (k = 0; k < si->def.q[dep].noptions &&
				    k < 32; k++)
					if (strcmp(si->def.q[dep].options[k].code,
					    q->show_any[j]) == 0)
						s->show_mask |= 1u << k;
		}
		s->mean = 4.15 + 0.5 * hash_unit(g->seed + 3,
		    (uint64_t)si->id * 131 + i) - 0.25;
		for (j = 0; j < nitems(weak_codes) && weak < 2; j++)
			if (strcmp(q->code, weak_codes[j]) == 0) {
				s->mean -= 0.9;
				weak++;
			}
		if (s->nopt > 0) {
			s->opt_w = xcalloc((size_t)s->nopt, sizeof(double));
			for (k = 0; k < (size_t)s->nopt; k++) {
				s->opt_w[k] = pow(0.55, (double)k);
				s->opt_total += s->opt_w[k];
			}
		}
	}
}

static int
load_instruments(struct gen *g, struct sinstr **out, int *nout,
    double **wout, struct err *e)
{
	struct srv_instr *v = NULL;
	struct sinstr	 *si = NULL;
	struct db_stmt	 *s;
	size_t		  n = 0, i;
	int		  k = 0, ver, r, t, key;
	double		 *w = NULL;

	if (srv_instr_list(g->db, g->org_id, &v, &n, e) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].standard[0] == '\0' || v[i].current_id == 0)
			continue;
		si = xreallocarray(si, (size_t)k + 1, sizeof(*si));
		w = xreallocarray(w, (size_t)k + 1, sizeof(*w));
		memset(&si[k], 0, sizeof(si[k]));
		si[k].id = v[i].id;
		si[k].version_id = v[i].current_id;
		si[k].internal = strcmp(v[i].client, "internal") == 0;
		si[k].offline_ok = !si[k].internal;
		if (srv_version_load(g->db, g->org_id, v[i].current_id,
		    &si[k].def, &ver, e) != 0)
			goto fail;
		sinstr_prepare(g, &si[k]);
		w[k] = strcmp(v[i].standard, "services") == 0 ? 50 :
		    strcmp(v[i].standard, "appeals") == 0 ? 25 :
		    strcmp(v[i].standard, "information") == 0 ? 15 : 10;
		/* Where it is offered; else the touchpoints of its clients. */
		s = db_prepare(g->db, "SELECT kind, touchpoint_id, name FROM "
				      "srv_target WHERE instrument_id = ? "
				      "ORDER BY id", "i", si[k].id);
		if (s == NULL) {
			db_error(g, e, "survey targets");
			goto fail;
		}
		while ((r = db_step(s)) == DB_ROW) {
			if (strcmp(db_col_text(s, 0), "touchpoint") == 0) {
				for (t = 0; t < g->ntp; t++)
					if (g->tp[t].id == db_col_int(s, 1))
						tplist_add(&si[k].tps, t);
			} else if (si[k].nnames < 1000) {
				si[k].names = xreallocarray(si[k].names,
				    (size_t)si[k].nnames + 1, sizeof(char *));
				si[k].situation = xreallocarray(
				    si[k].situation, (size_t)si[k].nnames + 1,
				    sizeof(int));
				si[k].situation[si[k].nnames] = strcmp(
				    db_col_text(s, 0), "situation") == 0;
				si[k].names[si[k].nnames++] = db_col_dup(s, 2);
			}
		}
		db_finalize(s);
		/* Not attached anywhere: offered at the key touchpoints of its
		 * clients, as a survey usually is, else at any of theirs. */
		for (key = 1; key >= 0 && si[k].tps.n == 0; key--)
			for (t = 0; t < g->ntp; t++)
				if (g->tp[t].internal == si[k].internal &&
				    (g->tp[t].key || !key))
					tplist_add(&si[k].tps, t);
		k++;
	}
	for (i = 0; i < n; i++)
		srv_instr_clear(&v[i]);
	free(v);
	*out = si;
	*nout = k;
	*wout = w;
	return 0;
fail:
	for (i = 0; i < n; i++)
		srv_instr_clear(&v[i]);
	free(v);
	*out = si;
	*nout = k + 1;
	*wout = w;
	return -1;
}

static int
answer_store(struct gen *g, int64_t rid, const char *q, int rating,
    const char *choice, struct err *e)
{
	if (db_run(g->db, NULL, "INSERT INTO srv_answer (response_id, "
				"question, rating, choice) VALUES (?, ?, ?, ?)",
		"itIt", rid, q, (int64_t)rating, choice) != 0)
		return db_error(g, e, "storing an answer");
	g->answers++;
	return 0;
}

/*
 * One filled-in questionnaire: a touchpoint where the instrument is
 * offered, ratings around the question's mean shifted by the
 * touchpoint's, the options of choice questions with falling weights,
 * conditional questions only when shown, no free text.
 */
static int
resp_store(struct gen *g, struct rng *r, struct sinstr *si, int32_t day,
    struct err *e)
{
	uint32_t	 chosen[SRV_QUESTIONS_MAX];
	const struct tp *t = NULL;
	const char	*service = NULL, *situation = NULL;
	char		 dstr[11];
	int64_t		 rid;
	double		 x;
	int		 i, k, k2, rating, n;

	date_format(day, dstr);
	if (si->tps.n > 0)
		t = &g->tp[si->tps.v[rng_below(r, si->tps.n)]];
	if (si->nnames > 0 && rng_chance(r, 0.3)) {
		k = rng_below(r, si->nnames);
		if (si->situation[k])
			situation = si->names[k];
		else
			service = si->names[k];
	}
	/* The number is taken here (batch_point reads where they stand
	 * under the write lock): RETURNING would cost a temporary table
	 * per answer. */
	rid = ++g->last_response;
	if (db_run(g->db, NULL,
		"INSERT INTO srv_response (id, org_id, instrument_id, "
		"version_id, touchpoint_id, service, situation, day, offline) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iiiiIttti", rid, g->org_id, si->id, si->version_id,
		t != NULL ? t->id : (int64_t)0, service, situation, dstr,
		(int64_t)(si->offline_ok && rng_chance(r, 0.12))) != 0)
		return db_error(g, e, "storing a survey answer");
	n = si->nq < SRV_QUESTIONS_MAX ? si->nq : SRV_QUESTIONS_MAX;
	for (i = 0; i < n; i++) {
		struct squest *q = &si->q[i];

		chosen[i] = 0;
		if (q->show_if >= 0 && (chosen[q->show_if] & q->show_mask) == 0)
			continue;
		switch (q->type) {
		case SRV_RATING:
			if (!q->required && !rng_chance(r, 0.95))
				break;
			x = q->mean + (t != NULL ? t->offset : 0) +
			    0.85 * rng_normal(r);
			rating = (int)lround(x);
			rating = rating < 1 ? 1 : rating > 5 ? 5 : rating;
			if (answer_store(g, rid, q->code, rating, NULL, e) != 0)
				return -1;
			break;
		case SRV_SINGLE:
			if (q->nopt == 0 || (!q->required &&
			    !rng_chance(r, 0.85)))
				break;
			k = rng_pick(r, q->opt_w, q->nopt, q->opt_total);
			chosen[i] = k < 32 ? 1u << k : 0;
			if (answer_store(g, rid, q->code, 0,
			    si->def.q[i].options[k].code, e) != 0)
				return -1;
			break;
		case SRV_MULTI:
			if (q->nopt == 0 || (!q->required &&
			    !rng_chance(r, 0.7)))
				break;
			k = rng_pick(r, q->opt_w, q->nopt, q->opt_total);
			k2 = rng_chance(r, 0.3) ? rng_below(r, q->nopt) : k;
			chosen[i] = (k < 32 ? 1u << k : 0) |
			    (k2 < 32 ? 1u << k2 : 0);
			if (answer_store(g, rid, q->code, 0,
			    si->def.q[i].options[k].code, e) != 0)
				return -1;
			if (k2 != k && answer_store(g, rid, q->code, 0,
			    si->def.q[i].options[k2].code, e) != 0)
				return -1;
			break;
		case SRV_TEXT:
			break;
		}
	}
	g->responses++;
	return 0;
}

static void
sinstr_free(struct sinstr *si, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < si[i].nq; j++)
			free(si[i].q[j].opt_w);
		free(si[i].q);
		free(si[i].tps.v);
		for (j = 0; j < si[i].nnames; j++)
			free(si[i].names[j]);
		free(si[i].names);
		free(si[i].situation);
		srv_def_clear(&si[i].def);
	}
	free(si);
}

/* ---- the run ---- */

/* Opens a batch: the write lock, and the last response's number under
 * it (another writer may have added answers between two batches). */
static int
batch_begin(struct gen *g, struct err *e)
{
	struct db_stmt *s;
	int		r;

	if (db_begin(g->db) != 0)
		return db_error(g, e, "starting a batch");
	s = db_prepare(g->db, "SELECT coalesce(max(id), 0) FROM srv_response",
	    NULL);
	if (s == NULL || (r = db_step(s)) != DB_ROW) {
		db_finalize(s);
		db_error(g, e, "survey answers");
		db_rollback(g->db);
		return -1;
	}
	g->last_response = db_col_int(s, 0);
	db_finalize(s);
	return 0;
}

static int
batch_point(struct gen *g, int64_t *inbatch, struct err *e)
{
	g->done++;
	if (++*inbatch < DEMO_BATCH)
		return 0;
	*inbatch = 0;
	if (msg_flush(g, e) != 0) {
		db_rollback(g->db);
		return -1;
	}
	if (db_commit(g->db) != 0) {
		db_error(g, e, "committing");
		db_rollback(g->db);
		return -1;
	}
	progress(g, 0);
	return batch_begin(g, e);
}

/*
 * Day by day, the day's messages and then its answers, so that the
 * indexes on time and day grow at their ends.
 */
static int
generate(struct gen *g, int64_t nmsg, int64_t nans, struct sinstr *si,
    int nsi, const double *siw, struct err *e)
{
	struct rng rm = {mix64(g->seed ^ 0x6d657373ULL)};
	struct rng ra = {mix64(g->seed ^ 0x616e7377ULL)};
	struct msg x;
	int	   nd = g->to - g->from + 1, i, k;
	int64_t	  *mc, *ac, j, inbatch = 0;
	double	   wt = 0;

	mc = xcalloc((size_t)nd, sizeof(*mc));
	ac = xcalloc((size_t)nd, sizeof(*ac));
	split_days(g, nmsg, 0.3, mc);
	split_days(g, nans, 0.5, ac);
	for (k = 0; k < nsi; k++)
		wt += siw[k];
	/*
	 * A batch touches more pages than SQLite's default cache of 2 MB
	 * holds; spilled, they would be written to the log twice.  The
	 * setting lasts as long as this connection.
	 */
	if (strcmp(db_backend(g->db), "sqlite") == 0)
		(void)db_exec(g->db, "PRAGMA cache_size = -131072");
	if (db_exec(g->db, "CREATE TEMP TABLE IF NOT EXISTS demo_msg AS "
			   "SELECT " MSG_COLS " FROM fb_message LIMIT 0") != 0) {
		db_error(g, e, "a temporary table");
		goto fail;
	}
	if (batch_begin(g, e) != 0)
		goto fail;
	for (i = 0; i < nd; i++) {
		for (j = 0; j < mc[i]; j++) {
			msg_make(g, &rm, g->from + i, &x);
			if (msg_store(g, &x, e) != 0)
				goto rollback;
			if (batch_point(g, &inbatch, e) != 0)
				goto fail;
		}
		for (j = 0; j < ac[i] && nsi > 0; j++) {
			k = rng_pick(&ra, siw, nsi, wt);
			if (resp_store(g, &ra, &si[k], g->from + i, e) != 0)
				goto rollback;
			if (batch_point(g, &inbatch, e) != 0)
				goto fail;
		}
		progress(g, 0);
	}
	if (msg_flush(g, e) != 0)
		goto rollback;
	if (db_commit(g->db) != 0) {
		db_error(g, e, "committing");
		goto rollback;
	}
	free(mc);
	free(ac);
	return 0;
rollback:
	db_rollback(g->db);
fail:
	free(mc);
	free(ac);
	return -1;
}

static void
rollup_progress(void *arg, int64_t done, int64_t total)
{
	struct gen *g = arg;
	double	    now = mono();

	if (!g->tty || (now - g->shown < 0.25 && done < total))
		return;
	g->shown = now;
	fprintf(stderr, "\rdemo: rollups %3d%%  %lld of %lld rows       ",
	    total > 0 ? (int)(100 * done / total) : 100, (long long)done,
	    (long long)total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int
audit_run(struct gen *g, const char *actor, const char *slug, char *from,
    char *to, struct err *e)
{
	json_t *j;
	char   *after, obj[64];
	int	r;

	j = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s}",
	    "messages", (json_int_t)g->messages,
	    "answers", (json_int_t)g->responses,
	    "answer_rows", (json_int_t)g->answers,
	    "seed", (json_int_t)g->seed, "from", from, "to", to,
	    "codes", g->prefix);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	snprintf(obj, sizeof(obj), "org:%s", slug);
	if (db_begin(g->db) != 0) {
		free(after);
		return db_error(g, e, "audit");
	}
	r = audit_append(g->db, actor, g->org_id, "demo.generate", obj, NULL,
	    after, e);
	free(after);
	if (r != 0) {
		db_rollback(g->db);
		return -1;
	}
	if (db_commit(g->db) != 0)
		return db_error(g, e, "audit");
	return 0;
}

static int
parse_day(const char *opt, const char *s, int32_t *day)
{
	if (date_parse(s, day) != 0) {
		cmd_fail(EXIT_USAGE, "--%s: '%s' is not a date YYYY-MM-DD", opt,
		    s);
		return -1;
	}
	return 0;
}

static void
gen_free(struct gen *g)
{
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < (int)NCHAN; j++)
			free(g->bych[i][j].v);
	free(g->tp);
	free(g->units);
	for (i = 0; i < g->ntopics; i++)
		free(g->topics[i].title);
	for (i = 0; i < g->nreasons; i++)
		free(g->reasons[i].title);
	free(g->topics);
	free(g->reasons);
	free(g->topic_w);
	fb_conf_free(g->conf);
}

static int
cmd_demo_generate_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct gen	    g;
	struct err	    e;
	struct sinstr	   *si = NULL;
	struct rollup_stats st;
	double		   *siw = NULL, t1, t2;
	int64_t		    nmsg = 0, nans = 0, seed = 1;
	int32_t		    today;
	int		    nsi = 0, y, m, d, rc = EXIT_OK;
	char		    sfrom[11], sto[11];

	(void)argc;
	(void)argv;
	err_clear(&e);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	if (cmd_opt(c, O_MESSAGES) != NULL && cmd_parse_int("--messages",
	    cmd_opt(c, O_MESSAGES), 0, DEMO_MAX, &nmsg) != 0)
		return EXIT_USAGE;
	if (cmd_opt(c, O_ANSWERS) != NULL && cmd_parse_int("--answers",
	    cmd_opt(c, O_ANSWERS), 0, DEMO_MAX, &nans) != 0)
		return EXIT_USAGE;
	if (cmd_opt(c, O_SEED) != NULL && cmd_parse_int("--seed",
	    cmd_opt(c, O_SEED), 0, INT64_MAX, &seed) != 0)
		return EXIT_USAGE;
	if (cmd_opt(c, O_MESSAGES) == NULL && cmd_opt(c, O_ANSWERS) == NULL)
		return cmd_fail(EXIT_USAGE, "demo generate: give --messages N "
		    "and/or --answers N");
	g.db = c->db;
	g.org_id = c->org->id;
	g.seed = (uint64_t)seed;
	g.now = clock_now();
	if ((g.conf = fb_conf_load(c->db, g.org_id, &e)) == NULL)
		return cmd_error(&e);
	today = date_local(g.now, g.conf->tz);
	g.to = today;
	if (cmd_opt(c, O_TO) != NULL && parse_day("to", cmd_opt(c, O_TO),
	    &g.to) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	date_to_ymd(g.to, &y, &m, &d);
	g.from = date_from_ymd(y - 1, m, m == 2 && d == 29 ? 28 : d) + 1;
	if (cmd_opt(c, O_FROM) != NULL && parse_day("from",
	    cmd_opt(c, O_FROM), &g.from) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (g.to > today) {
		rc = cmd_fail(EXIT_USAGE, "--to: the period cannot end after "
		    "today");
		goto out;
	}
	if (g.from > g.to || g.to - g.from >= DEMO_DAYS_MAX) {
		rc = cmd_fail(EXIT_USAGE, "--from: the period must start on "
		    "or before --to and last at most %d days", DEMO_DAYS_MAX);
		goto out;
	}
	date_format(g.from, sfrom);
	date_format(g.to, sto);

	if (load_touchpoints(&g, &e) != 0 || load_channels(&g, &e) != 0 ||
	    load_units(&g, &e) != 0 ||
	    (nmsg > 0 && load_topics(&g, c->actor, &e) != 0) ||
	    code_start(&g, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	if (nans > 0) {
		if (load_instruments(&g, &si, &nsi, &siw, &e) != 0) {
			rc = cmd_error(&e);
			goto out;
		}
		if (nsi == 0) {
			rc = cmd_fail(EXIT_DATAERR, "--answers: %s has no "
			    "published standard survey to answer",
			    c->org->slug);
			goto out;
		}
	}

	g.total = nmsg + nans;
	g.tty = isatty(STDERR_FILENO);
	g.t0 = mono();
	if (generate(&g, nmsg, nans, si, nsi, siw, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	progress(&g, 1);
	t1 = mono();
	if (rollup_rebuild(c->db, g.org_id, &st, rollup_progress, &g,
	    &e) != 0 || audit_run(&g, c->actor, c->org->slug, sfrom, sto,
	    &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	t2 = mono();
	printf("demo: %lld messages and %lld survey answers (%lld answer "
	       "rows) for %s from %s to %s, seed %lld, codes %s...: %.1f s, "
	       "%.0f rows/s; rollups %lld rows in %.1f s\n",
	    (long long)g.messages, (long long)g.responses,
	    (long long)g.answers, c->org->slug, sfrom, sto, (long long)seed,
	    g.prefix, t1 - g.t0,
	    t1 > g.t0 ? (double)(g.messages + g.responses) / (t1 - g.t0) : 0,
	    (long long)st.rows, t2 - t1);
out:
	sinstr_free(si, nsi);
	free(siw);
	gen_free(&g);
	return rc;
}

const struct cmd_entry cmd_demo_generate_entry = {
	.name = "demo generate",
	.args = "",
	.summary = "fill an organization with realistic synthetic data",
	.help = "Makes N feedback messages and N survey answers over a period "
		"(by default the\ntwelve months up to today) for the "
		"organization: its registry's channels\nand touchpoints, its "
		"topics (a small set is added when it has none), its\n"
		"calendar, working hours and standards; then rebuilds its "
		"rollups and writes\none audit entry.  The same seed gives the "
		"same data.  No personal data.\nCodes of generated messages "
		"start with U, which real codes never do.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_demo_generate_exec,
};
