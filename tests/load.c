/*
 * A load generator for the write path: POSTs a JSON body over a number
 * of keep-alive HTTP/1.1 connections, one request in flight on each,
 * either as fast as the server answers (closed loop) or at a fixed rate
 * (each connection sends on a schedule, and latency is counted from the
 * scheduled moment, so that a slow answer is not hidden by the requests
 * it delayed).  The tracking code of every 201 is written to a file as it
 * arrives, which lets the kill test compare what was acknowledged with
 * what is on disk.  Used by tests/t0044, tests/t0045 and bench/ingest.sh.
 *
 *   load [-c CONNS] [-n REQUESTS] [-d SECONDS] [-r PER_SECOND]
 *	  [-b BODY_FILE] [-o CODES_FILE] URL
 *
 * "{n}" in the body (the first one) becomes the request's number.  -t
 * sets the body's content type (application/json by default).  -g makes
 * each request a respondent's flow: GET the page at URL, then POST the
 * body to it; the flow counts as done when the POST is answered 2xx or
 * 3xx (a form answered "303 See Other"), and its latency is that of both.
 * Prints one line of key=value figures.  A connection that cannot reconnect (the
 * server is gone) ends; the run ends when all have.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS   1024
#define MAX_BODY    (64 * 1024)
#define MAX_ANSWER  (256 * 1024)
#define MAX_SAMPLES (16 * 1024 * 1024)

struct opts {
	int	    conns;
	long	    requests;	/* 0: until the time is up */
	double	    seconds;	/* 0: until the requests are done */
	double	    rate;	/* 0: closed loop */
	char	   *body;
	const char *host;
	int	    port;
	const char *path;
	int	    codes_fd;	/* -1: none */
	const char *ctype;	/* of the POST body */
	int	    flow;	/* GET, then POST */
};

struct worker {
	pthread_t  thread;
	int	   idx;
	long	   sent, ok, s2xx, s4xx, s5xx, errors;
	int64_t	  *lat;		/* microseconds */
	size_t	   nlat, caplat;
};

static struct opts	o;
static atomic_long	next_req;
static int64_t		t_start, t_end;
static pthread_mutex_t	codes_lock = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "load: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(64);
}

static int64_t
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void
sleep_until(int64_t when)
{
	int64_t		d = when - now_us();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = d / 1000000;
	ts.tv_nsec = (long)(d % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
dial(void)
{
	struct sockaddr_in sa;
	int		   fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o.port);
	if (inet_pton(AF_INET, o.host, &sa.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Reads one answer: the status, and the body into buf (NUL-terminated).
 * Returns the status, or -1 when the connection broke.
 */
static int
read_answer(int fd, char *buf, size_t cap, int *closes)
{
	size_t	    have = 0, need;
	ssize_t	    r;
	char	   *end, *p;
	long	    clen = 0;
	int	    status;

	for (;;) {
		if (have + 1 >= cap)
			return -1;
		if ((r = recv(fd, buf + have, cap - have - 1, 0)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			return -1;
		}
		have += (size_t)r;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*end = '\0';
	for (p = buf; (p = strchr(p, '\n')) != NULL; p++) {
		if (strncasecmp(p + 1, "Content-Length:", 15) == 0)
			clen = strtol(p + 16, NULL, 10);
		if (strncasecmp(p + 1, "Connection: close", 17) == 0)
			*closes = 1;
	}
	need = (size_t)(end + 4 - buf) + (size_t)clen;
	if (clen < 0 || need >= cap)
		return -1;
	while (have < need) {
		if ((r = recv(fd, buf + have, need - have, 0)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			return -1;
		}
		have += (size_t)r;
	}
	memmove(buf, end + 4, (size_t)clen);
	buf[clen] = '\0';
	return status;
}

/* The tracking code of a 201, written at once (the server may die). */
static void
keep_code(const char *body)
{
	const char *p = strstr(body, "\"code\":\"");
	char	    line[64];
	size_t	    n;

	if (o.codes_fd < 0 || p == NULL)
		return;
	p += 8;
	n = strcspn(p, "\"");
	if (n == 0 || n > 40)
		return;
	memcpy(line, p, n);
	line[n] = '\n';
	pthread_mutex_lock(&codes_lock);
	if (write(o.codes_fd, line, n + 1) != (ssize_t)(n + 1))
		perror("load: codes file");
	pthread_mutex_unlock(&codes_lock);
}

static void
sample(struct worker *w, int64_t us)
{
	if (w->nlat == w->caplat) {
		if (w->caplat >= MAX_SAMPLES)
			return;
		w->caplat = w->caplat ? w->caplat * 2 : 4096;
		if ((w->lat = realloc(w->lat, w->caplat * sizeof(*w->lat))) ==
		    NULL)
			die("out of memory");
	}
	w->lat[w->nlat++] = us;
}

/* The request with its number in the body. */
static size_t
build(char *out, size_t cap, long n)
{
	char	    body[MAX_BODY + 32];
	const char *mark = strstr(o.body, "{n}");
	int	    blen, len;

	if (mark != NULL)
		blen = snprintf(body, sizeof(body), "%.*s%ld%s",
		    (int)(mark - o.body), o.body, n, mark + 3);
	else
		blen = snprintf(body, sizeof(body), "%s", o.body);
	len = snprintf(out, cap, "POST %s HTTP/1.1\r\nHost: %s:%d\r\n"
	    "Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
	    o.path, o.host, o.port, o.ctype, blen, body);
	return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

/*
 * The GET of a flow.  Returns 0 when the page came (fd still open), -1
 * when the flow failed and was counted (fd closed when it broke).
 */
static int
get_page(struct worker *w, int *fd, char *ans)
{
	char get[512];
	int  len, st, closes = 0;

	len = snprintf(get, sizeof(get), "GET %s HTTP/1.1\r\nHost: %s:%d\r\n"
	    "\r\n", o.path, o.host, o.port);
	if (len <= 0 || (size_t)len >= sizeof(get))
		die("the path is too long");
	if (write_all(*fd, get, (size_t)len) != 0 ||
	    (st = read_answer(*fd, ans, MAX_ANSWER, &closes)) < 0) {
		w->errors++;
		close(*fd);
		*fd = -1;
		return -1;
	}
	if (closes) {
		close(*fd);
		if ((*fd = dial()) < 0) {
			w->errors++;
			return -1;
		}
	}
	if (st != 200) {
		if (st >= 500)
			w->s5xx++;
		else
			w->s4xx++;
		return -1;
	}
	return 0;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	char	      *req, *ans;
	size_t	       len;
	int64_t	       t0, due = 0, gap = 0;
	long	       n;
	int	       fd = -1, st, closes;

	req = malloc(MAX_BODY + 1024);
	ans = malloc(MAX_ANSWER);
	if (req == NULL || ans == NULL)
		die("out of memory");
	if (o.rate > 0) {
		/* Each connection its share of the rate, evenly spread. */
		gap = (int64_t)(1e6 * o.conns / o.rate);
		due = t_start + gap * w->idx / o.conns;
	}
	for (;;) {
		if (o.seconds > 0 && now_us() >= t_end)
			break;
		n = atomic_fetch_add(&next_req, 1);
		if (o.requests > 0 && n >= o.requests)
			break;
		if (o.rate > 0 && o.seconds > 0 && due >= t_end)
			break;
		if (o.rate > 0) {
			sleep_until(due);
			t0 = due;
			due += gap;
		} else
			t0 = now_us();
		if (fd < 0 && (fd = dial()) < 0) {
			w->errors++;
			break;	/* the server is gone */
		}
		if ((len = build(req, MAX_BODY + 1024, n)) == 0)
			die("the body is too large");
		closes = 0;
		w->sent++;
		if (o.flow && get_page(w, &fd, ans) != 0)
			continue;
		if (write_all(fd, req, len) != 0 ||
		    (st = read_answer(fd, ans, MAX_ANSWER, &closes)) < 0) {
			w->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		sample(w, now_us() - t0);
		if (st == 201) {
			w->ok++;
			keep_code(ans);
		}
		if (st >= 200 && st < (o.flow ? 400 : 300))
			w->s2xx++;
		else if (st >= 400 && st < 500)
			w->s4xx++;
		else
			w->s5xx++;
		if (closes) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	free(req);
	free(ans);
	return NULL;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static char *
read_file(const char *path)
{
	FILE  *f = fopen(path, "rb");
	char  *b;
	size_t n;

	if (f == NULL)
		die("cannot open %s", path);
	if ((b = malloc(MAX_BODY + 1)) == NULL)
		die("out of memory");
	n = fread(b, 1, MAX_BODY + 1, f);
	fclose(f);
	if (n > MAX_BODY)
		die("%s: larger than 64 KiB", path);
	b[n] = '\0';
	while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r'))
		b[--n] = '\0';
	return b;
}

static void
parse_url(char *url)
{
	char *p, *colon, *slash;

	if (strncmp(url, "http://", 7) != 0)
		die("%s: expected http://ADDRESS:PORT/PATH", url);
	p = url + 7;
	if ((slash = strchr(p, '/')) == NULL)
		die("%s: no path", url);
	o.path = strdup(slash);
	*slash = '\0';
	if ((colon = strchr(p, ':')) == NULL)
		die("%s: no port", url);
	*colon = '\0';
	o.host = p;
	o.port = (int)strtol(colon + 1, NULL, 10);
	if (o.port <= 0 || o.port > 65535)
		die("%s: bad port", colon + 1);
}

int
main(int argc, char **argv)
{
	struct worker *w;
	int64_t	      *all;
	size_t	       nall = 0, k;
	long	       sent = 0, ok = 0, s2 = 0, s4 = 0, s5 = 0, errs = 0;
	double	       secs;
	int	       ch, i;

	o.conns = 16;
	o.codes_fd = -1;
	o.ctype = "application/json";
	o.body = "{\"kind\":\"comment\",\"channel\":\"site\",\"text\":"
		 "\"Сообщение нагрузочного теста номер {n}: очередь в "
		 "окне приёма двигалась медленно.\"}";
	while ((ch = getopt(argc, argv, "c:n:d:r:b:o:t:g")) != -1) {
		switch (ch) {
		case 'c':
			o.conns = (int)strtol(optarg, NULL, 10);
			break;
		case 'n':
			o.requests = strtol(optarg, NULL, 10);
			break;
		case 'd':
			o.seconds = strtod(optarg, NULL);
			break;
		case 'r':
			o.rate = strtod(optarg, NULL);
			break;
		case 'b':
			o.body = read_file(optarg);
			break;
		case 't':
			o.ctype = optarg;
			break;
		case 'g':
			o.flow = 1;
			break;
		case 'o':
			o.codes_fd = open(optarg, O_WRONLY | O_CREAT | O_APPEND |
			    O_CLOEXEC, 0644);
			if (o.codes_fd < 0)
				die("cannot open %s", optarg);
			break;
		default:
			die("usage: load [-c CONNS] [-n REQUESTS] "
			    "[-d SECONDS] [-r PER_SECOND] [-b BODY_FILE] "
			    "[-o CODES_FILE] [-t CONTENT_TYPE] [-g] URL");
		}
	}
	if (optind + 1 != argc)
		die("one URL expected");
	if (o.conns < 1 || o.conns > MAX_CONNS)
		die("-c: 1 to 1024 connections");
	if (o.requests <= 0 && o.seconds <= 0)
		die("give -n or -d");
	parse_url(argv[optind]);
	signal(SIGPIPE, SIG_IGN);

	if ((w = calloc((size_t)o.conns, sizeof(*w))) == NULL)
		die("out of memory");
	t_start = now_us() + 1000;
	t_end = t_start + (int64_t)(o.seconds * 1e6);
	for (i = 0; i < o.conns; i++) {
		w[i].idx = i;
		if (pthread_create(&w[i].thread, NULL, run, &w[i]) != 0)
			die("cannot start a thread");
	}
	for (i = 0; i < o.conns; i++)
		pthread_join(w[i].thread, NULL);
	secs = (double)(now_us() - t_start) / 1e6;
	for (i = 0; i < o.conns; i++)
		nall += w[i].nlat;
	if ((all = malloc((nall + 1) * sizeof(*all))) == NULL)
		die("out of memory");
	for (nall = 0, i = 0; i < o.conns; i++) {
		for (k = 0; k < w[i].nlat; k++)
			all[nall++] = w[i].lat[k];
		free(w[i].lat);
		sent += w[i].sent;
		ok += w[i].ok;
		s2 += w[i].s2xx;
		s4 += w[i].s4xx;
		s5 += w[i].s5xx;
		errs += w[i].errors;
	}
	qsort(all, nall, sizeof(*all), cmp64);
#define PCT(p) (nall ? (double)all[(size_t)((double)(nall - 1) * (p))] / 1000 : 0)
	printf("sent=%ld created=%ld ok2xx=%ld client4xx=%ld server5xx=%ld "
	       "errors=%ld seconds=%.3f rate=%.1f p50_ms=%.2f p90_ms=%.2f "
	       "p99_ms=%.2f max_ms=%.2f\n",
	    sent, ok, s2, s4, s5, errs, secs, secs > 0 ? (double)s2 / secs : 0,
	    PCT(0.5), PCT(0.9), PCT(0.99), nall ? (double)all[nall - 1] / 1000
						: 0);
	free(all);
	free(w);
	if (o.codes_fd >= 0)
		close(o.codes_fd);
	return 0;
}
