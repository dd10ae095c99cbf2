/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_diff_entry = {.name = "registry diff", .summary = "(placeholder)"};
