# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_TIME_BITS: on 32-bit targets (armhf: Raspberry Pi OS, Debian's
# armhf), build with large-file support and with the same time_t as the
# mbedTLS libraries we link.
#
# - Large files: without _FILE_OFFSET_BITS=64, readdir() and stat() fail with
#   EOVERFLOW on a 64-bit file system's inode numbers and directory offsets
#   (seen under qemu-arm on an x86_64 host: the corpus-replay unit tests).
# - time_t: mbedTLS puts time_t (mbedtls_time_t) into structures we embed,
#   such as the ticket context, so program and library must agree on its
#   size. Distributions moved 32-bit targets to a 64-bit time_t in 2024
#   (Debian 13's armhf packages, "t64"): such a library calls __time64,
#   __gmtime64_r or __clock_gettime64. Debian 12's armhf 2.28 uses a 32-bit
#   time_t, which ends in January 2038; the lessons then work until that
#   date, and certificate dates after it are still compared correctly
#   (mbedTLS compares the parsed fields, not time_t values).
#
# Substitutes TIME_BITS_CPPFLAGS (in AM_CPPFLAGS). Needs mbedtls_libdir from
# WS_CHECK_MBEDTLS.
AC_DEFUN([WS_CHECK_TIME_BITS], [
AC_REQUIRE([AC_SYS_LARGEFILE])
AC_CHECK_TOOL([NM], [nm], [:])
AC_CHECK_SIZEOF([time_t], [], [[#include <time.h>]])
TIME_BITS_CPPFLAGS=
AS_CASE([$ac_cv_sys_file_offset_bits],
  [no|unknown|""], [],
  [TIME_BITS_CPPFLAGS="-D_FILE_OFFSET_BITS=$ac_cv_sys_file_offset_bits"])
AC_MSG_CHECKING([which time_t the mbedTLS libraries use])
AS_IF([test "$ac_cv_sizeof_time_t" -ge 8], [
  AC_MSG_RESULT([64-bit, like every program on this target])
], [
  ws_time64=no
  for ws_lib in "$mbedtls_libdir"/libmbedcrypto.a "$mbedtls_libdir"/libtfpsacrypto.a \
      "$mbedtls_libdir"/libmbedcrypto.so "$mbedtls_libdir"/libtfpsacrypto.so; do
    test -f "$ws_lib" || continue
    AS_IF([$NM -D "$ws_lib" 2>/dev/null | grep -q '__time64\|__gmtime64_r\|__clock_gettime64' ||
           $NM "$ws_lib" 2>/dev/null | grep -q '__time64\|__gmtime64_r\|__clock_gettime64'],
      [ws_time64=yes])
    break
  done
  AS_IF([test $ws_time64 = yes], [
    TIME_BITS_CPPFLAGS="-D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64"
    AC_MSG_RESULT([64-bit: building with $TIME_BITS_CPPFLAGS])
  ], [
    AC_MSG_RESULT([32-bit (or not found in ${mbedtls_libdir:-the libraries}): time_t ends in 2038 here])
  ])
])
AC_SUBST([TIME_BITS_CPPFLAGS])
])
