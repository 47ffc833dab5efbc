# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_MBEDTLS: find mbedTLS, make sure its headers and the libraries the
# build links are the same release, and that the release is supported.
#
# Where mbedTLS comes from, first match wins:
#   MBEDTLS_CFLAGS / MBEDTLS_LIBS   set by the user (either one);
#   --with-mbedtls=PREFIX           an installation prefix (PREFIX/include,
#                                   PREFIX/lib/<multiarch triplet>, lib64 or
#                                   lib, with or without .pc files) or the
#                                   root of unpacked Debian packages
#                                   (PREFIX/usr/include, PREFIX/usr/lib/<triplet>,
#                                   as scripts/fetch-mbedtls.sh makes);
#   --with-mbedtls=system           (the default) pkg-config when mbedtls.pc is
#                                   installed (3.x, 4.x), else the compiler's
#                                   default paths (Debian 12's 2.28 has no .pc).
# A library directory outside the linker's default ones gets an rpath, so the
# programs run with the libraries they were linked with.
#
# Supported: 2.28.x, 3.6.x and 4.0 or later (4.x: libmbedtls, libmbedx509 and
# TF-PSA-Crypto's libtfpsacrypto, found through the .pc files or in the
# prefix); 3.0-3.5 and anything older than 2.28 are refused.
#
# The headers come in with -isystem instead of -I: 4.x's own headers trip
# the workshop's -Wundef (pk.h tests MBEDTLS_ECDSA_MAX_LEN, which it may not
# define), and warnings about a library's headers are not ours to fix.
#
# A header of the system's mbedTLS that the chosen one lacks is stopped by a
# stand-in in mbedtls-guard/ (below), never silently taken instead.
#
# Substitutes MBEDTLS_CFLAGS, MBEDTLS_LIBS, MBEDTLS_VERSION, mbedtls_libdir
# (the directory the linker takes libmbedtls from: m4/ws_bench.m4 takes the
# static libraries from there) and MBEDTLS_DISTCHECK_FLAGS (the same choice
# for make distcheck); sets the MBEDTLS_HAS_TLS13 conditional and, for the
# summary, mbedtls_found, mbedtls_tls13, mbedtls_debug and mbedtls_guarded.
AC_DEFUN([WS_CHECK_MBEDTLS], [
AC_REQUIRE([PKG_PROG_PKG_CONFIG])
AC_ARG_VAR([MBEDTLS_CFLAGS], [C compiler flags for mbedTLS])
AC_ARG_VAR([MBEDTLS_LIBS], [linker flags for mbedTLS])
AC_ARG_WITH([mbedtls],
  [AS_HELP_STRING([--with-mbedtls=system|PREFIX],
    [mbedTLS to build with: the system's (default: pkg-config, else the compiler's paths) or the one
     installed or unpacked under PREFIX (PREFIX/include or PREFIX/usr/include; lib, lib64 or lib/<triplet>)])],
  [], [with_mbedtls=system])
AS_CASE([$with_mbedtls],
  [no], [AC_MSG_ERROR([mbedTLS is required: --without-mbedtls is not possible])],
  [yes|""], [with_mbedtls=system])

# Debian's multiarch library directory name (x86_64-linux-gnu,
# aarch64-linux-gnu, arm-linux-gnueabihf).
ws_triplet=`$CC -print-multiarch 2>/dev/null`
AS_IF([test -z "$ws_triplet"], [ws_triplet="$host_cpu-$host_os"])

mbedtls_found=
mbedtls_libdir=
MBEDTLS_DISTCHECK_FLAGS=
ws_mbedtls_where="the compiler's default paths"
AC_MSG_CHECKING([where mbedTLS comes from])
AS_IF([test -n "$MBEDTLS_CFLAGS$MBEDTLS_LIBS"], [
  mbedtls_found="MBEDTLS_CFLAGS/MBEDTLS_LIBS"
  AS_IF([test -n "$MBEDTLS_CFLAGS"], [ws_mbedtls_where="$MBEDTLS_CFLAGS"])
  AS_IF([test -z "$MBEDTLS_LIBS"], [MBEDTLS_LIBS="-lmbedtls -lmbedx509 -lmbedcrypto"])
], [test "x$with_mbedtls" != xsystem], [
  AS_CASE([$with_mbedtls], [/*], [],
    [with_mbedtls=`cd "$with_mbedtls" 2>/dev/null && pwd` ||
       AC_MSG_ERROR([--with-mbedtls=$withval: no such directory])])
  # An unpacked Debian package puts everything below usr/.
  ws_mbedtls_root=$with_mbedtls
  AS_IF([test ! -f "$ws_mbedtls_root/include/mbedtls/version.h" &&
         test -f "$ws_mbedtls_root/usr/include/mbedtls/version.h"],
    [ws_mbedtls_root=$with_mbedtls/usr])
  AS_IF([test ! -f "$ws_mbedtls_root/include/mbedtls/version.h"],
    [AC_MSG_ERROR([--with-mbedtls=$with_mbedtls: no mbedtls/version.h in $with_mbedtls/include or $with_mbedtls/usr/include])])
  for ws_dir in "$ws_mbedtls_root/lib/$ws_triplet" "$ws_mbedtls_root/lib64" "$ws_mbedtls_root/lib"; do
    AS_IF([test -f "$ws_dir/libmbedtls.so" || test -f "$ws_dir/libmbedtls.a" || test -f "$ws_dir/libmbedtls.dylib"],
      [mbedtls_libdir=$ws_dir; break])
  done
  AS_IF([test -z "$mbedtls_libdir"],
    [AC_MSG_ERROR([--with-mbedtls=$with_mbedtls: no libmbedtls in $ws_mbedtls_root/lib/$ws_triplet, lib64 or lib])])
  ws_mbedtls_where="$ws_mbedtls_root/include"
  MBEDTLS_DISTCHECK_FLAGS="--with-mbedtls=$with_mbedtls"
  # The .pc files know the library list (4.x: -ltfpsacrypto). Debian's say
  # prefix=/usr, so point their prefix at ours, and read only this
  # directory's .pc files. Files whose libdir then still lies elsewhere
  # (absolute paths from CMake, a moved installation) are not used.
  ws_pc=
  AS_IF([test -n "$PKG_CONFIG" && test -f "$mbedtls_libdir/pkgconfig/mbedtls.pc"], [
    ws_pc_libdir=`PKG_CONFIG_LIBDIR="$mbedtls_libdir/pkgconfig" $PKG_CONFIG --define-variable=prefix="$ws_mbedtls_root" --variable=libdir mbedtls 2>/dev/null`
    AS_IF([test "x$ws_pc_libdir" = "x$mbedtls_libdir"], [
      MBEDTLS_CFLAGS=`PKG_CONFIG_LIBDIR="$mbedtls_libdir/pkgconfig" $PKG_CONFIG --define-variable=prefix="$ws_mbedtls_root" --cflags mbedtls mbedx509 mbedcrypto` &&
      MBEDTLS_LIBS=`PKG_CONFIG_LIBDIR="$mbedtls_libdir/pkgconfig" $PKG_CONFIG --define-variable=prefix="$ws_mbedtls_root" --libs mbedtls mbedx509 mbedcrypto` &&
      ws_pc=yes
    ])
  ])
  AS_IF([test "x$ws_pc" = xyes], [
    mbedtls_found="--with-mbedtls: $mbedtls_libdir/pkgconfig/*.pc with prefix=$ws_mbedtls_root"
  ], [
    ws_crypto=-lmbedcrypto
    AS_IF([test -f "$mbedtls_libdir/libtfpsacrypto.so" || test -f "$mbedtls_libdir/libtfpsacrypto.a"],
      [ws_crypto=-ltfpsacrypto])
    MBEDTLS_CFLAGS="-I$ws_mbedtls_root/include"
    MBEDTLS_LIBS="-L$mbedtls_libdir -lmbedtls -lmbedx509 $ws_crypto"
    mbedtls_found="--with-mbedtls: $ws_mbedtls_root/include and $mbedtls_libdir"
  ])
  # Run-time: the same libraries the build linked, not the system's.
  MBEDTLS_LIBS="-Wl,--disable-new-dtags,-rpath,$mbedtls_libdir $MBEDTLS_LIBS"
], [test -n "$PKG_CONFIG" && $PKG_CONFIG --exists mbedtls mbedx509 mbedcrypto 2>/dev/null], [
  MBEDTLS_CFLAGS=`$PKG_CONFIG --cflags mbedtls mbedx509 mbedcrypto`
  MBEDTLS_LIBS=`$PKG_CONFIG --libs mbedtls mbedx509 mbedcrypto`
  mbedtls_libdir=`$PKG_CONFIG --variable=libdir mbedtls`
  ws_mbedtls_where=`$PKG_CONFIG --variable=includedir mbedtls`
  mbedtls_found="pkg-config (mbedtls.pc `$PKG_CONFIG --modversion mbedtls`)"
  # A .pc file from PKG_CONFIG_PATH (such as a 4.x built into /opt) names a
  # directory the dynamic linker does not search: run with what we linked.
  AS_CASE([$mbedtls_libdir],
    [""|/lib|/lib64|/usr/lib|/usr/lib64|/lib/$ws_triplet|/usr/lib/$ws_triplet], [],
    [MBEDTLS_LIBS="-Wl,--disable-new-dtags,-rpath,$mbedtls_libdir $MBEDTLS_LIBS"])
], [
  MBEDTLS_CFLAGS=
  MBEDTLS_LIBS="-lmbedtls -lmbedx509 -lmbedcrypto"
  mbedtls_found="the compiler's default paths (no mbedtls.pc, as with Debian 12's 2.28)"
])
AC_MSG_RESULT([$mbedtls_found])

# Library headers as system headers (see the top of this file).
ws_cflags=
for ws_word in $MBEDTLS_CFLAGS; do
  AS_CASE([$ws_word],
    [-I], [ws_word=-isystem],
    [-I*], [ws_word="-isystem `echo "$ws_word" | sed -e 's/^-I//'`"])
  ws_cflags="${ws_cflags:+$ws_cflags }$ws_word"
done
MBEDTLS_CFLAGS=$ws_cflags

# Headers of another release never fill in. With mbedTLS's headers outside
# the compiler's default paths, a header this release lacks (4.x made
# ecp.h, ctr_drbg.h, entropy.h, cipher.h private; 3.x dropped config.h,
# certs.h, net.h) would silently come from the system's copy in
# /usr/include (Debian 12's 2.28), mixing two releases' declarations and
# struct layouts. So each mbedtls/ or psa/ header that the default paths
# have and the library's include directories lack gets a stand-in in
# mbedtls-guard/ (in the build tree), searched after the library's own
# directories and before the default paths: including it stops the
# compile with a line naming the header.
ws_incdirs=
ws_next=
for ws_word in $MBEDTLS_CFLAGS; do
  AS_IF([test -n "$ws_next"], [ws_incdirs="${ws_incdirs:+$ws_incdirs }$ws_word"; ws_next=],
    [AS_CASE([$ws_word],
      [-isystem], [ws_next=1],
      [-isystem*], [ws_incdirs="${ws_incdirs:+$ws_incdirs }`echo "$ws_word" | sed -e 's/^-isystem//'`"])])
done
ws_guard_dir=`pwd`/mbedtls-guard
rm -rf "$ws_guard_dir"
mbedtls_guarded=0
AS_IF([test -n "$ws_incdirs"], [
  ws_default_dirs=`echo | $CC $CPPFLAGS -E -Wp,-v -x c - 2>&1 >/dev/null |
    sed -n -e '/^#include <\.\.\.> search starts here:/,/^End of search list/s/^ //p'`
  for ws_dir in $ws_default_dirs; do
    ws_real=`cd "$ws_dir" 2>/dev/null && pwd -P` || continue
    ws_own=no
    for ws_inc in $ws_incdirs; do
      AS_IF([test "x`cd "$ws_inc" 2>/dev/null && pwd -P`" = "x$ws_real"], [ws_own=yes])
    done
    AS_IF([test $ws_own = yes], [continue])
    for ws_header in "$ws_dir"/mbedtls/*.h "$ws_dir"/psa/*.h; do
      AS_IF([test -f "$ws_header"], [], [continue])
      ws_name=`echo "$ws_header" | sed -e 's|.*/\([[^/]]*/[[^/]]*\)$|\1|'`
      ws_have=no
      for ws_inc in $ws_incdirs; do
        AS_IF([test -f "$ws_inc/$ws_name"], [ws_have=yes])
      done
      AS_IF([test $ws_have = no && test ! -f "$ws_guard_dir/$ws_name"], [
        AS_MKDIR_P([`dirname "$ws_guard_dir/$ws_name"`])
        printf '#error "<%s> is not a header of this mbedTLS (%s): the compiler would take %s, another release (stand-in made by configure)"\n' \
          "$ws_name" "$ws_incdirs" "$ws_header" > "$ws_guard_dir/$ws_name"
        mbedtls_guarded=`expr $mbedtls_guarded + 1`])
    done
  done
])
AS_IF([test $mbedtls_guarded -gt 0],
  [MBEDTLS_CFLAGS="$MBEDTLS_CFLAGS -isystem $ws_guard_dir"])

# Where the linker takes libmbedtls from: the first -L directory that has
# it, a libmbedtls.a named directly, or the compiler's own search path.
AS_IF([test -z "$mbedtls_libdir"], [
  for ws_word in $MBEDTLS_LIBS; do
    AS_CASE([$ws_word],
      [-L*], [ws_dir=`echo "$ws_word" | sed -e 's/^-L//' -e 's/^"\(.*\)"$/\1/'`
              AS_IF([test -f "$ws_dir/libmbedtls.so" || test -f "$ws_dir/libmbedtls.a"],
                [mbedtls_libdir=$ws_dir; break])],
      [*/libmbedtls.a|*/libmbedtls.so], [mbedtls_libdir=`dirname "$ws_word"`; break])
  done
])
AS_IF([test -z "$mbedtls_libdir"], [
  for ws_file in libmbedtls.so libmbedtls.a; do
    ws_path=`$CC $CFLAGS $LDFLAGS -print-file-name=$ws_file 2>/dev/null`
    AS_IF([test -f "$ws_path"], [ws_dir=`dirname "$ws_path"`; mbedtls_libdir=`cd "$ws_dir" && pwd -P`; break])
  done
])

save_CPPFLAGS=$CPPFLAGS; save_LIBS=$LIBS
CPPFLAGS="$CPPFLAGS $MBEDTLS_CFLAGS"; LIBS="$MBEDTLS_LIBS $LIBS"
AC_CHECK_HEADER([mbedtls/version.h], [],
  [AC_MSG_ERROR([mbedTLS headers not found in $ws_mbedtls_where: install libmbedtls-dev, or use --with-mbedtls=PREFIX or MBEDTLS_CFLAGS])])

# The headers' release decides the API; refuse what the workshop does not
# support before anything fails to compile.
AC_MSG_CHECKING([which mbedTLS release the headers are])
AC_COMPUTE_INT([mbedtls_major], [MBEDTLS_VERSION_MAJOR], [#include <mbedtls/version.h>], [mbedtls_major=0])
AC_COMPUTE_INT([mbedtls_minor], [MBEDTLS_VERSION_MINOR], [#include <mbedtls/version.h>], [mbedtls_minor=0])
AC_COMPUTE_INT([mbedtls_patch], [MBEDTLS_VERSION_PATCH], [#include <mbedtls/version.h>], [mbedtls_patch=0])
MBEDTLS_VERSION="$mbedtls_major.$mbedtls_minor.$mbedtls_patch"
AC_MSG_RESULT([$MBEDTLS_VERSION])
AS_IF([test "$mbedtls_major" -eq 2 && test "$mbedtls_minor" -eq 28], [],
  [test "$mbedtls_major" -eq 3 && test "$mbedtls_minor" -ge 6], [],
  [test "$mbedtls_major" -ge 4], [],
  [AC_MSG_ERROR([mbedTLS $MBEDTLS_VERSION (headers in $ws_mbedtls_where) is not supported: the workshop supports 2.28.x, 3.6.x and 4.0 or later])])

# A link test with headers every release has (4.x made ctr_drbg.h private: a
# test including it would silently take an older copy from /usr/include).
AC_MSG_CHECKING([whether mbedTLS links])
AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>]],
  [[mbedtls_ssl_context s; mbedtls_x509_crt c;
    mbedtls_ssl_init(&s); mbedtls_x509_crt_init(&c);
    return (int) (mbedtls_version_get_number() >> 24);]])],
  [AC_MSG_RESULT([yes])],
  [AC_MSG_RESULT([no]); AC_MSG_ERROR([cannot link mbedTLS with: $MBEDTLS_LIBS (see config.log)])])

# Headers and libraries must be one release. A native build asks the
# library itself; a cross build cannot run it, so it reads the version
# string compiled into the libraries it found.
AC_MSG_CHECKING([whether the mbedTLS libraries are the headers' release])
ws_lib_version=
AC_RUN_IFELSE([AC_LANG_PROGRAM([[#include <stdio.h>
#include <mbedtls/version.h>]],
  [[unsigned int v = mbedtls_version_get_number();
    FILE *f = fopen("conftest.ver", "w");
    if (f == NULL)
        return 2;
    fprintf(f, "%u.%u.%u\n", v >> 24, (v >> 16) & 0xFFu, (v >> 8) & 0xFFu);
    return fclose(f) != 0;]])],
  [ws_lib_version=`cat conftest.ver`; ws_lib_how=run],
  [AC_MSG_RESULT([no]); AC_MSG_ERROR([a program linked with mbedTLS ($MBEDTLS_LIBS) does not run: see config.log])],
  [ws_lib_how=strings
   AS_IF([test -n "$mbedtls_libdir"], [
     ws_lib_version=`cat "$mbedtls_libdir"/libmbedtls.* "$mbedtls_libdir"/libmbedx509.* "$mbedtls_libdir"/libmbedcrypto.* 2>/dev/null |
       LC_ALL=C grep -a -o '@<:@Mm@:>@bed TLS @<:@0-9@:>@*\.@<:@0-9@:>@*\.@<:@0-9@:>@*' | sed 's/^.bed TLS //' | sort -u | tr '\n' ' ' | sed 's/ $//'`
   ])])
rm -f conftest.ver
AS_IF([test -z "$ws_lib_version"], [
  AC_MSG_RESULT([not checked (cross build, no version string found in ${mbedtls_libdir:-the libraries})])
], [test "x$ws_lib_version" = "x$MBEDTLS_VERSION"], [
  AS_IF([test "$ws_lib_how" = run], [AC_MSG_RESULT([yes ($ws_lib_version)])],
    [AC_MSG_RESULT([yes ($ws_lib_version, read from the libraries in $mbedtls_libdir)])])
], [
  AC_MSG_RESULT([no])
  AC_MSG_ERROR([mbedTLS headers are $MBEDTLS_VERSION ($ws_mbedtls_where) but the libraries are $ws_lib_version (${mbedtls_libdir:-$MBEDTLS_LIBS}): point --with-mbedtls or MBEDTLS_CFLAGS/MBEDTLS_LIBS at one installation])
])

AC_MSG_CHECKING([whether mbedTLS has TLS 1.3])
AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <mbedtls/ssl.h>]], [[
#if !defined(MBEDTLS_SSL_PROTO_TLS1_3)
#error no TLS 1.3
#endif
]])], [mbedtls_tls13=yes], [mbedtls_tls13=no])
AC_MSG_RESULT([$mbedtls_tls13])
AC_MSG_CHECKING([whether mbedTLS has debug logging (MBEDTLS_DEBUG_C)])
AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <mbedtls/ssl.h>]], [[
#if !defined(MBEDTLS_DEBUG_C)
#error no debug
#endif
]])], [mbedtls_debug=yes], [mbedtls_debug=no])
AC_MSG_RESULT([$mbedtls_debug])
CPPFLAGS=$save_CPPFLAGS; LIBS=$save_LIBS
AC_SUBST([MBEDTLS_VERSION])
AC_SUBST([mbedtls_libdir])
AC_SUBST([MBEDTLS_DISTCHECK_FLAGS])
AM_CONDITIONAL([MBEDTLS_HAS_TLS13], [test $mbedtls_tls13 = yes])
])
