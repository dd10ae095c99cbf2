/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_import_entry = {.name = "registry import", .summary = "(placeholder)"};
