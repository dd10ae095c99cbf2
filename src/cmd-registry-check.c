/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_check_entry = {.name = "registry check", .summary = "(placeholder)"};
