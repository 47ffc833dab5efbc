# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_BENCH: Google Benchmark (optional) for bench/.
AC_DEFUN([WS_CHECK_BENCH], [
  AC_ARG_ENABLE([bench],
    [AS_HELP_STRING([--disable-bench], [do not build the benchmarks even if Google Benchmark is found])],
    [], [enable_bench=auto])
  ws_have_bench=no
  AS_IF([test "x$enable_bench" != xno], [
    PKG_CHECK_MODULES([BENCHMARK], [benchmark], [ws_have_bench=yes], [ws_have_bench=no])
    AS_IF([test "x$enable_bench" = xyes && test $ws_have_bench = no],
      [AC_MSG_ERROR([--enable-bench: Google Benchmark not found (install libbenchmark-dev)])])
  ])
  AM_CONDITIONAL([HAVE_BENCHMARK], [test $ws_have_bench = yes])
])
