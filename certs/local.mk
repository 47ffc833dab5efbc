# certs/local.mk - the workshop's test PKI (included from the top Makefile.am).
#
# certs/mkpki.sh writes the certificates and keys into the build tree's certs/
# directory; they are never distributed or committed. The stamp records that a
# complete set exists. See certs/README.

EXTRA_DIST += certs/mkpki.sh certs/README tests/pki.test

noinst_DATA += certs/pki.stamp
certs/pki.stamp: $(srcdir)/certs/mkpki.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/certs/mkpki.sh certs && touch $@

# Everything mkpki.sh makes has a name ending in .pem or .key, or lives in
# bad/; the sources beside them in an in-tree build (mkpki.sh, README,
# local.mk) match none of these. .mkpki-tmp.* is left only by an interrupted run.
CLEANFILES += certs/pki.stamp certs/*.pem certs/*.key
CLEAN_LOCAL_DIRS += certs/bad certs/.mkpki-tmp.*

TESTS += tests/pki.test
