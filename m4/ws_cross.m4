# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_CROSS: how `make check` runs the programs it built.
#
# A native build runs them directly. A cross build (--host=aarch64-linux-gnu,
# arm-linux-gnueabihf, ...) needs an emulator unless the kernel already runs
# foreign binaries through binfmt_misc. TARGET_RUN is the command prefix the
# tests put in front of every target program, for example "qemu-aarch64 -cpu
# cortex-a72" (with "-L /usr/aarch64-linux-gnu" without multiarch
# libraries); it stays empty when no prefix is
# needed. Users can set it themselves: ./configure TARGET_RUN="...".
AC_DEFUN([WS_CHECK_CROSS], [
AC_ARG_VAR([TARGET_RUN], [command prefix that runs the built programs in tests (cross builds, e.g. "qemu-aarch64")])
AC_MSG_CHECKING([how to run the programs this build makes])
AS_IF([test -n "$TARGET_RUN"], [
  AC_MSG_RESULT([$TARGET_RUN (given)])
], [test "x$cross_compiling" != xyes], [
  AC_MSG_RESULT([directly])
], [
  # A program the kernel can start by itself (binfmt_misc with qemu-user-binfmt)
  # needs no prefix.
  ws_runs_directly=no
  AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
    [AS_IF([./conftest$ac_exeext >/dev/null 2>&1], [ws_runs_directly=yes])])
  AS_IF([test $ws_runs_directly = yes], [
    AC_MSG_RESULT([directly (binfmt_misc)])
  ], [
    AC_MSG_RESULT([through an emulator])
    # Debian's qemu-user names its emulators after the CPU. The programs
    # need the target's C library: multiarch (libc6:arm64, which
    # libbenchmark-dev:arm64 brings) puts it where the emulated loader looks
    # by itself; otherwise point qemu at the cross toolchain's copy in
    # /usr/HOST. (With both present, -L makes glibc 2.36 threads hang.)
    #
    # For aarch64 the emulated CPU is a Cortex-A72 (ARMv8.0, the Raspberry
    # Pi 4's core), not qemu's default "max": that one has pointer
    # authentication, whose QARMA cipher qemu computes in software at every
    # function entry and return of Debian's arm64 binaries (built with
    # -mbranch-protection=standard), which made a handshake 5 to 9 times
    # slower here. On an ARMv8.0 core those instructions are NOPs, as on the Pi.
    ws_qemu_cpu=
    AS_CASE([$host_cpu],
      [aarch64*], [ws_qemu=qemu-aarch64 ws_qemu_cpu=" -cpu cortex-a72"],
      [arm*], [ws_qemu=qemu-arm],
      [i?86], [ws_qemu=qemu-i386],
      [powerpc64le], [ws_qemu=qemu-ppc64le],
      [ws_qemu=qemu-$host_cpu])
    AC_PATH_PROG([WS_QEMU], [$ws_qemu])
    AS_IF([test -n "$WS_QEMU"], [
      TARGET_RUN=$WS_QEMU$ws_qemu_cpu
      AS_IF([test -e "/lib/$host_alias/libc.so.6" || test -e "/usr/lib/$host_alias/libc.so.6"], [],
        [test -d "/usr/$host_alias"], [TARGET_RUN="$TARGET_RUN -L /usr/$host_alias"])
      AC_MSG_NOTICE([make check runs the programs with: $TARGET_RUN])
    ], [
      AC_MSG_WARN([cross build without $ws_qemu: make check cannot run the programs (install qemu-user, or set TARGET_RUN)])
    ])
  ])
])
AC_SUBST([TARGET_RUN])
])
