/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_needs_list_entry = {.name = "needs list", .summary = "(placeholder)"};
