// PRESCIENT_CHECK: aborts with file and line when the program itself is broken. Never
// for outside input: that gets a Status.
#pragma once

#include <cstdio>
#include <cstdlib>

#define PRESCIENT_CHECK(cond)                                                       \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
