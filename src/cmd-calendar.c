/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_calendar_add_entry = {.name = "calendar add", .summary = "(placeholder)"};
const struct cmd_entry cmd_calendar_between_entry = {.name = "calendar between", .summary = "(placeholder)"};
const struct cmd_entry cmd_calendar_load_entry = {.name = "calendar load", .summary = "(placeholder)"};
const struct cmd_entry cmd_calendar_show_entry = {.name = "calendar show", .summary = "(placeholder)"};
