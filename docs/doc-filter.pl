#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/doc-filter.pl FILE.h: what Doxygen reads of a header (FILTER_PATTERNS
# in docs/Doxyfile.in); the file itself is not changed, and the source view
# of the site shows it as it is.
#
# Header comments name command-line options as a reader types them,
# "--timeout", and Doxygen's Markdown turns every "--" into an en dash
# ("–timeout"). This writes "\--" (Doxygen's own escape for two dashes)
# before an option name in a comment, outside `code spans`, where no
# dash would be wanted. Everything else passes through unchanged, line for
# line, so Doxygen's line numbers stay right.
use strict;
use warnings;

my $file = shift or die "usage: doc-filter.pl FILE\n";
open(my $in, "<", $file) or die "doc-filter.pl: $file: $!\n";
local $/;
my $text = <$in>;
close $in;

# fix COMMENT: the option names of one comment, outside its code spans.
sub fix {
    my $comment = shift;
    my @parts = split /(`[^`\n]*`)/, $comment;
    for my $i (0 .. $#parts) {
        next if $parts[$i] =~ /^`/;
        $parts[$i] =~ s/(?<![\w\\-])--(?=[a-z])/\\--/g;
    }
    return join "", @parts;
}

$text =~ s{(/\*.*?\*/)}{fix($1)}gse;
print $text;
