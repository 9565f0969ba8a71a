#ifndef HMMCHECK_CZ3_SHIM_H
#define HMMCHECK_CZ3_SHIM_H
#include <z3.h>
#endif
