# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_BENCH: Google Benchmark (optional) for bench/, and the static
# mbedTLS libraries the benchmark links with -Wl,--wrap=calloc,--wrap=free to
# count mbedTLS's own heap use per side (MBEDTLS_PLATFORM_MEMORY is off in
# Debian's build, so mbedtls_platform_set_calloc_free() is not available).
#
# Substitutes BENCHMARK_CFLAGS/BENCHMARK_LIBS, BENCH_MBEDTLS_LINK (what
# bench/tls_bench links mbedTLS with), BENCH_HEAP_CPPFLAGS (-DBENCH_HEAP_WRAP
# when the wrappers are in use), BENCH_BENCHMARK_VERSION; defines
# BENCH_BUILD_FLAGS and BENCH_BENCHMARK_VERSION in config.h for the JSON
# context; checks for valgrind/valgrind.h (massif snapshots in the heap probe).
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
    AC_MSG_CHECKING([for the static mbedTLS libraries (heap accounting)])
    ws_bench_static=
    ws_bench_dir=
    # Only from the directory MBEDTLS_LIBS links (m4/ws_mbedtls.m4 found it):
    # static libraries from anywhere else could be another release.
    AS_IF([test -n "$mbedtls_libdir" && test -f "$mbedtls_libdir/libmbedtls.a"],
      [ws_bench_dir=$mbedtls_libdir])
    # 4.x's crypto is TF-PSA-Crypto's libtfpsacrypto.a (its libmbedcrypto.a
    # is only a copy kept for old build scripts).
    ws_bench_crypto=libmbedcrypto.a
    AS_IF([test -n "$ws_bench_dir" && test -f "$ws_bench_dir/libtfpsacrypto.a"], [ws_bench_crypto=libtfpsacrypto.a])
    AS_IF([test -n "$ws_bench_dir" && test -f "$ws_bench_dir/libmbedx509.a" && test -f "$ws_bench_dir/$ws_bench_crypto"], [
      ws_bench_static="$ws_bench_dir/libmbedtls.a $ws_bench_dir/libmbedx509.a $ws_bench_dir/$ws_bench_crypto"
      # mbedTLS 3.x may put optional ECC back ends in libraries of their own.
      for ws_bench_extra in libeverest.a libp256m.a; do
        AS_IF([test -f "$ws_bench_dir/$ws_bench_extra"], [ws_bench_static="$ws_bench_static $ws_bench_dir/$ws_bench_extra"])
      done
    ])
    AS_IF([test -n "$ws_bench_static"], [
      AC_MSG_RESULT([$ws_bench_dir])
      BENCH_MBEDTLS_LINK="-Wl,--wrap=calloc,--wrap=free $ws_bench_static"
      BENCH_HEAP_CPPFLAGS=-DBENCH_HEAP_WRAP
    ], [
      AC_MSG_RESULT([no, not in ${mbedtls_libdir:-the directory MBEDTLS_LIBS links} (heap figures will be zero)])
    ])
    AC_CHECK_HEADERS([valgrind/valgrind.h])
  ])
  AC_DEFINE_UNQUOTED([BENCH_BUILD_FLAGS], ["$CC $CFLAGS / $CXX $CXXFLAGS"],
    [Compiler and flags, recorded in the benchmark JSON context])
  AC_DEFINE_UNQUOTED([BENCH_BENCHMARK_VERSION], ["$BENCH_BENCHMARK_VERSION"],
    [Google Benchmark version (1.7.1 has no version macro)])
  AC_SUBST([BENCH_MBEDTLS_LINK])
  AC_SUBST([BENCH_HEAP_CPPFLAGS])
  AC_SUBST([BENCH_BENCHMARK_VERSION])
])
