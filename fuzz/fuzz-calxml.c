/*
 * libFuzzer target for the calendar XML reader (cal_parse_xml, R-CAL-3):
 * whatever the input, it is refused with a message or read into days that
 * the format allows, without a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "otklik.h"
#include "cal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cal_xml x;
	struct err     e;
	int32_t	       first, last;
	int	       i;

	err_clear(&e);
	if (cal_parse_xml((const char *)data, size, "fuzz.xml", &x, &e) != 0) {
		if (e.code != EXIT_DATAERR || e.msg[0] == '\0')
			abort();
		cal_xml_free(&x);
		return 0;
	}
	if (x.year < 1900 || x.year > 2200 || x.ndays < 0 || x.ndays > 366)
		abort();
	first = date_from_ymd(x.year, 1, 1);
	last = date_from_ymd(x.year, 12, 31);
	for (i = 0; i < x.ndays; i++) {
		if (x.days[i].day < first || x.days[i].day > last ||
		    x.days[i].kind < CAL_WORK || x.days[i].kind > CAL_OFF)
			abort();
		if (i > 0 && x.days[i].line < 1)
			abort();
	}
	cal_xml_free(&x);
	return 0;
}
