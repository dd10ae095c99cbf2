/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_status_entry = {.name = "registry status", .summary = "(placeholder)"};
const struct cmd_entry cmd_registry_publish_entry = {.name = "registry publish", .summary = "(placeholder)"};
