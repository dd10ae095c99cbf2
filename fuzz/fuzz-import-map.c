/*
 * libFuzzer target for the mapping files of "otklik feedback import --map"
 * (fb_map_parse, R-FB-10): whatever the input, it is refused with a message
 * that names a line, or read into a mapping, without a crash, a leak or
 * undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "feedback_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fb_map *m;
	struct err     e;
	const char    *src;

	err_clear(&e);
	m = fb_map_parse((const char *)data, size, "fuzz.map", &e);
	if (m == NULL) {
		/* Refused: with a message, as a data error. */
		if (e.msg[0] == '\0' || e.code != EXIT_DATAERR)
			abort();
		return 0;
	}
	src = fb_map_source(m);
	if (src != NULL && strlen(src) > FB_MAP_MAX_FILE)
		abort();
	fb_map_free(m);
	return 0;
}
