/* PLACEHOLDER: being written. */
#include "otklik.h"
#include "cmd.h"
const struct cmd_entry cmd_registry_draft_entry = {.name = "registry draft", .summary = "(placeholder)"};
