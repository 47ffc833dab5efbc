# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_FUZZ: clang with libFuzzer (optional) for `make fuzz`.
AC_DEFUN([WS_CHECK_FUZZ], [
  AC_PATH_PROG([CLANG], [clang])
  ws_have_libfuzzer=no
  AS_IF([test -n "$CLANG"], [
    AC_MSG_CHECKING([whether $CLANG can build libFuzzer targets])
    ws_fuzz_dir=`mktemp -d`
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
      'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
      'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
      > "$ws_fuzz_dir/t.c"
    AS_IF([$CLANG -fsanitize=fuzzer,address,undefined "$ws_fuzz_dir/t.c" -o "$ws_fuzz_dir/t" >/dev/null 2>&1],
      [ws_have_libfuzzer=yes])
    rm -rf "$ws_fuzz_dir"
    AC_MSG_RESULT([$ws_have_libfuzzer])
  ])
  AM_CONDITIONAL([HAVE_LIBFUZZER], [test $ws_have_libfuzzer = yes])
])
