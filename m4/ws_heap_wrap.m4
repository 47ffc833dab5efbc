# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_HEAP_WRAP: the static mbedTLS libraries, which a program links with
# -Wl,--wrap=calloc,--wrap=free so that bench/heap.c sees every allocation
# mbedTLS makes (MBEDTLS_PLATFORM_MEMORY is off in Debian's builds, so
# mbedtls_platform_set_calloc_free() is not available). The benchmark and
# lesson 14 (what one connection costs) count heap this way.
#
# Substitutes HEAP_WRAP_LINK (how such a program links mbedTLS: the wrapped
# static libraries, or $(MBEDTLS_LIBS) when there are none) and
# HEAP_WRAP_CPPFLAGS (-DBENCH_HEAP_WRAP when the wrappers are in use); sets
# ws_heap_wrap to the libraries' directory or "no". Run after
# WS_CHECK_MBEDTLS, which sets mbedtls_libdir.
AC_DEFUN([WS_CHECK_HEAP_WRAP], [
  HEAP_WRAP_LINK='$(MBEDTLS_LIBS)'
  HEAP_WRAP_CPPFLAGS=
  ws_heap_wrap=no
  AC_MSG_CHECKING([for the static mbedTLS libraries (heap accounting)])
  ws_heap_static=
  # Only from the directory MBEDTLS_LIBS links (m4/ws_mbedtls.m4 found it):
  # static libraries from anywhere else could be another release.
  # 4.x's crypto is TF-PSA-Crypto's libtfpsacrypto.a (its libmbedcrypto.a
  # is only a copy kept for old build scripts).
  ws_heap_crypto=libmbedcrypto.a
  AS_IF([test -n "$mbedtls_libdir" && test -f "$mbedtls_libdir/libtfpsacrypto.a"], [ws_heap_crypto=libtfpsacrypto.a])
  AS_IF([test -n "$mbedtls_libdir" && test -f "$mbedtls_libdir/libmbedtls.a" &&
         test -f "$mbedtls_libdir/libmbedx509.a" && test -f "$mbedtls_libdir/$ws_heap_crypto"], [
    ws_heap_static="$mbedtls_libdir/libmbedtls.a $mbedtls_libdir/libmbedx509.a $mbedtls_libdir/$ws_heap_crypto"
    # mbedTLS 3.x may put optional ECC back ends in libraries of their own.
    for ws_heap_extra in libeverest.a libp256m.a; do
      AS_IF([test -f "$mbedtls_libdir/$ws_heap_extra"], [ws_heap_static="$ws_heap_static $mbedtls_libdir/$ws_heap_extra"])
    done
  ])
  AS_IF([test -n "$ws_heap_static"], [
    AC_MSG_RESULT([$mbedtls_libdir])
    HEAP_WRAP_LINK="-Wl,--wrap=calloc,--wrap=free $ws_heap_static"
    HEAP_WRAP_CPPFLAGS=-DBENCH_HEAP_WRAP
    ws_heap_wrap=$mbedtls_libdir
  ], [
    AC_MSG_RESULT([no, not in ${mbedtls_libdir:-the directory MBEDTLS_LIBS links} (heap figures will be zero)])
  ])
  AC_SUBST([HEAP_WRAP_LINK])
  AC_SUBST([HEAP_WRAP_CPPFLAGS])
])
