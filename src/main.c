/*
 * otklik: the client-centricity office of a public body, from the
 * command line.  Everything happens in cmd.c and the cmd-*.c files.
 */
#include <locale.h>
#include <stdio.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "otklik.h"
#include "cmd.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (sodium_init() < 0) {
		fputs("otklik: libsodium cannot start\n", stderr);
		return EXIT_SOFTWARE;
	}
	/* libxml2 2.9 initializes itself lazily, which is not thread-safe;
	 * do it once here, before any reader runs. */
	xmlInitParser();
	return cmd_main(argc, argv);
}
