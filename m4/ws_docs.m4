# SPDX-License-Identifier: Apache-2.0
# WS_CHECK_DOCS: what the documentation site needs (all of it optional).
#
# - Doxygen builds the site (`make html`); without it the docs targets only
#   print a note and `make check` skips the docs tests.
# - doxygen-awesome-css themes it (--with-awesome-css-dir, default Debian's
#   path); without it the site is built with Doxygen's plain style.
# - Graphviz `dot` draws the @dot diagrams; Doxygen's built-in mscgen draws
#   the @msc sequence diagrams and needs nothing installed.
# - Chromium renders screenshots of the site and checks its layout
#   (`make docs-screenshot`, tests/docs_browser.test).
AC_DEFUN([WS_CHECK_DOCS], [
  AC_ARG_ENABLE([docs],
    [AS_HELP_STRING([--disable-docs], [do not build the documentation site even if Doxygen is found])],
    [], [enable_docs=auto])
  # Building the docs runs the lessons to capture their output: a cross
  # build's programs cannot run here, so leave the docs out unless asked.
  AS_IF([test "x$enable_docs" = xauto && test "x$cross_compiling" = xyes], [enable_docs=no])
  ws_have_docs=no
  AS_IF([test "x$enable_docs" != xno], [
    AC_PATH_PROG([DOXYGEN], [doxygen])
    # Perl (there wherever Autotools are) fills in the page index after
    # Doxygen and scans the pages (docs/pages-index.pl, docs/scan-html.pl).
    AC_PATH_PROG([PERL], [perl])
    AS_IF([test -n "$DOXYGEN" && test -n "$PERL"], [ws_have_docs=yes])
    AS_IF([test "x$enable_docs" = xyes && test $ws_have_docs = no],
      [AC_MSG_ERROR([--enable-docs: Doxygen or Perl not found (install doxygen, perl)])])
  ])
  AM_CONDITIONAL([HAVE_DOXYGEN], [test $ws_have_docs = yes])

  # Where mbedTLS 2.28 behaves differently (TLS 1.2 only, IP addresses in
  # certificates), the pages show its run next to this build's: the lessons
  # built again against the system's 2.28 in BUILD/docs/compare-2.28
  # (docs/local.mk), when there is one and this build uses another release.
  AC_ARG_ENABLE([docs-compare],
    [AS_HELP_STRING([--disable-docs-compare],
      [do not build the lessons against the system's mbedTLS 2.28 to show its runs in the docs])],
    [], [enable_docs_compare=auto])
  ws_docs_compare=no
  AS_IF([test $ws_have_docs = yes && test "x$enable_docs_compare" != xno], [
    AC_MSG_CHECKING([for the system's mbedTLS 2.28 to compare the docs' runs with])
    AS_CASE([$MBEDTLS_VERSION],
      [2.28.*], [ws_docs_compare="no (this build is $MBEDTLS_VERSION)"],
      [AS_IF([grep 'define MBEDTLS_VERSION_STRING *"2\.28\.' /usr/include/mbedtls/version.h >/dev/null 2>&1],
        [ws_docs_compare=yes])])
    AC_MSG_RESULT([$ws_docs_compare])
  ])
  AM_CONDITIONAL([DOCS_COMPARE_228], [test "x$ws_docs_compare" = xyes])

  AC_ARG_WITH([awesome-css-dir],
    [AS_HELP_STRING([--with-awesome-css-dir=DIR],
      [directory holding doxygen-awesome.css (default: /usr/share/doxygen-awesome-css); --without-awesome-css-dir for a plain site])],
    [], [with_awesome_css_dir=/usr/share/doxygen-awesome-css])
  AC_MSG_CHECKING([for doxygen-awesome-css])
  DOCS_EXTRA_STYLESHEET=
  AS_IF([test "x$with_awesome_css_dir" != xno && test -f "$with_awesome_css_dir/doxygen-awesome.css"], [
    DOCS_EXTRA_STYLESHEET="$with_awesome_css_dir/doxygen-awesome.css"
    AS_IF([test -f "$with_awesome_css_dir/doxygen-awesome-sidebar-only.css"],
      [DOCS_EXTRA_STYLESHEET="$DOCS_EXTRA_STYLESHEET $with_awesome_css_dir/doxygen-awesome-sidebar-only.css"])
    AC_MSG_RESULT([$with_awesome_css_dir])
  ], [
    AS_IF([test "x$with_awesome_css_dir" != xno && test "x$with_awesome_css_dir" != x/usr/share/doxygen-awesome-css],
      [AC_MSG_ERROR([--with-awesome-css-dir=$with_awesome_css_dir: no doxygen-awesome.css there])])
    AC_MSG_RESULT([no (plain Doxygen style)])
  ])
  AC_SUBST([DOCS_EXTRA_STYLESHEET])

  AC_PATH_PROG([DOT], [dot])
  AS_IF([test -n "$DOT"], [DOCS_HAVE_DOT=YES], [DOCS_HAVE_DOT=NO])
  AC_SUBST([DOCS_HAVE_DOT])

  AC_PATH_PROGS([CHROMIUM], [chromium chromium-browser google-chrome])

  AC_CONFIG_FILES([docs/Doxyfile])
])
