# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_BENCH: Google Benchmark (optional) for bench/. The benchmark links
# the static mbedTLS libraries with -Wl,--wrap=calloc,--wrap=free to count
# mbedTLS's own heap use per side, when WS_CHECK_HEAP_WRAP (m4/ws_heap_wrap.m4,
# run first) found them.
#
# Substitutes BENCHMARK_CFLAGS/BENCHMARK_LIBS, BENCH_MBEDTLS_LINK (what
# bench/tls_bench links mbedTLS with), BENCH_HEAP_CPPFLAGS (-DBENCH_HEAP_WRAP
# when the wrappers are in use), BENCH_BENCHMARK_VERSION; defines
# BENCH_BUILD_FLAGS and BENCH_BENCHMARK_VERSION in config.h for the JSON
# context; checks for valgrind/valgrind.h (massif snapshots in the heap probe)
# and for makecontext()/swapcontext() (each side's painted stack region,
# bench/stack.c).
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

  BENCH_MBEDTLS_LINK='$(MBEDTLS_LIBS)'
  BENCH_HEAP_CPPFLAGS=
  BENCH_BENCHMARK_VERSION=none
  AS_IF([test $ws_have_bench = yes], [
    BENCH_BENCHMARK_VERSION=`$PKG_CONFIG --modversion benchmark 2>/dev/null`
    # The static libraries, wrapped, when WS_CHECK_HEAP_WRAP found them.
    BENCH_MBEDTLS_LINK=$HEAP_WRAP_LINK
    BENCH_HEAP_CPPFLAGS=$HEAP_WRAP_CPPFLAGS
    AC_CHECK_HEADERS([valgrind/valgrind.h])
  ])
  AC_CHECK_FUNCS([makecontext swapcontext])

  # The reference family (bench/ref_pair.h): the same handshake through
  # OpenSSL and wolfSSL, each where its development package is installed.
  AC_ARG_ENABLE([reference],
    [AS_HELP_STRING([--disable-reference], [no OpenSSL/wolfSSL reference family in the benchmarks])],
    [], [enable_reference=auto])
  ws_ref_openssl=no
  ws_ref_wolfssl=no
  # A cross build leaves it out unless asked for: without a pkg-config for
  # the target, the build machine's .pc files would name its own libraries.
  ws_ref_reason=
  AS_IF([test "x$enable_reference" = xauto && test "x$cross_compiling" = xyes],
    [enable_reference=no ws_ref_reason="left out of a cross build (configure --enable-reference to try)"])
  AS_IF([test "x$enable_reference" = xno && test -z "$ws_ref_reason"],
    [ws_ref_reason="configure was given --disable-reference"])
  AS_IF([test $ws_have_bench = yes && test "x$enable_reference" != xno], [
    PKG_CHECK_MODULES([REF_OPENSSL], [libssl libcrypto], [ws_ref_openssl=yes], [ws_ref_openssl=no])
    PKG_CHECK_MODULES([REF_WOLFSSL], [wolfssl], [ws_ref_wolfssl=yes], [ws_ref_wolfssl=no])
  ])
  AS_IF([test $ws_ref_openssl = yes],
    [AC_DEFINE([REF_HAVE_OPENSSL], [1], [The benchmarks' reference family has OpenSSL])])
  AS_IF([test $ws_ref_wolfssl = yes],
    [AC_DEFINE([REF_HAVE_WOLFSSL], [1], [The benchmarks' reference family has wolfSSL])])
  AS_IF([test -z "$ws_ref_reason" && test $ws_ref_openssl = no && test $ws_ref_wolfssl = no],
    [ws_ref_reason="configure found neither OpenSSL (libssl-dev) nor wolfSSL (libwolfssl-dev)"],
    [test -z "$ws_ref_reason" && test $ws_ref_openssl = no],
    [ws_ref_reason="configure did not find OpenSSL (libssl-dev)"],
    [test -z "$ws_ref_reason" && test $ws_ref_wolfssl = no],
    [ws_ref_reason="configure did not find wolfSSL (libwolfssl-dev)"])
  AC_DEFINE_UNQUOTED([REF_ABSENT_REASON], ["$ws_ref_reason"],
    [Why a library of the benchmarks' reference family is missing (empty: none is)])
  AM_CONDITIONAL([REF_OPENSSL], [test $ws_ref_openssl = yes])
  AM_CONDITIONAL([REF_WOLFSSL], [test $ws_ref_wolfssl = yes])
  AC_DEFINE_UNQUOTED([BENCH_BUILD_FLAGS], ["$CC $CFLAGS / $CXX $CXXFLAGS"],
    [Compiler and flags, recorded in the benchmark JSON context])
  AC_DEFINE_UNQUOTED([BENCH_BENCHMARK_VERSION], ["$BENCH_BENCHMARK_VERSION"],
    [Google Benchmark version (1.7.1 has no version macro)])
  AC_SUBST([BENCH_MBEDTLS_LINK])
  AC_SUBST([BENCH_HEAP_CPPFLAGS])
  AC_SUBST([BENCH_BENCHMARK_VERSION])
])
