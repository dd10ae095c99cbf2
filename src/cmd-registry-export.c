/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_export_entry = {.name = "registry export", .summary = "(placeholder)"};
