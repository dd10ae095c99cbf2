/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_list_entry = {.name = "registry list", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_versions_entry = {.name = "registry versions", .summary = "(placeholder)"};
