/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_changes_entry = {.name = "registry changes", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_submit_entry = {.name = "registry submit", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_verify_entry = {.name = "registry verify", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_include_entry = {.name = "registry include", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_return_entry = {.name = "registry return", .summary = "(placeholder)"};
