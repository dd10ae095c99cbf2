/* PLACEHOLDER: being written. */
#include "otklik.h"
