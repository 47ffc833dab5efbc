#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/pages-index.pl HTMLDIR: fill in HTMLDIR/pages.html ("Related Pages").
#
# Doxygen 1.9.4 lists there only the pages that are nobody's subpage, and
# every page of this site is a subpage of the main page (that is what gives
# the sidebar its reading order), so the list it writes is empty. This puts
# the pages in, in the sidebar's order, from the tree Doxygen itself wrote
# (navtreedata.js): each entry whose address is a page, not a section of one.
# Run by `make html` right after Doxygen.
use strict;
use warnings;

my $dir = shift or die "usage: pages-index.pl HTMLDIR\n";

# is_page FILE: Doxygen wrote FILE from a @page (or @mainpage).
sub is_page {
    my $file = shift;
    open(my $fh, "<", "$dir/$file") or return 0;
    local $/;
    my $html = <$fh>;
    return $html =~ /<!-- PageDoc -->/;
}
open(my $in, "<:utf8", "$dir/navtreedata.js") or die "pages-index.pl: $dir/navtreedata.js: $!\n";
my $tree = do { local $/; <$in> };
close $in;
$tree =~ s/.*?var NAVTREE =//s;
$tree =~ s/\];\s*var NAVTREEINDEX.*//s;

# Entries look like [ "Title", "page.html", [ children ] ] or [ ..., null ].
# Depth counts the open brackets: the main page's entry is at 2, its
# subpages at 4, theirs at 6. The tree also holds the API indexes (files,
# data structures): only what Doxygen wrote as a page counts.
my ($depth, @rows) = (0);
while ($tree =~ /\G.*?(\[|\]|"((?:[^"\\]|\\.)*)",\s*"([^"#]*)(#[^"]*)?")/gs) {
    if (defined $3) {
        push @rows, [($depth - 4) / 2, $2, $3] if $depth >= 4 && !defined $4 && is_page($3);
    } elsif ($1 eq "[") {
        $depth++;
    } else {
        $depth--;
    }
}
die "pages-index.pl: no pages found in $dir/navtreedata.js\n" unless @rows;

my $list = "<table class=\"directory\">\n";
my $n = 0;
for my $row (@rows) {
    my ($level, $title, $href) = @$row;
    $title =~ s/\\(.)/$1/g;
    my $indent = 16 * ($level + 1);
    $list .= sprintf("<tr id=\"row_%d_\" class=\"%s\"><td class=\"entry\">"
                     . "<span style=\"width:%dpx;display:inline-block;\">&#160;</span>"
                     . "<a class=\"el\" href=\"%s\" target=\"_self\">%s</a></td><td class=\"desc\"></td></tr>\n",
                     $n, $n % 2 ? "odd" : "even", $indent, $href, $title);
    $n++;
}
$list .= "</table>\n";

open(my $page, "<:utf8", "$dir/pages.html") or die "pages-index.pl: $dir/pages.html: $!\n";
my $html = do { local $/; <$page> };
close $page;
$html =~ s/(<div class="directory">)\s*(<\/div><!-- directory -->)/$1\n$list$2/
    or die "pages-index.pl: $dir/pages.html has no empty page list to fill\n";
open($page, ">:utf8", "$dir/pages.html") or die "pages-index.pl: $dir/pages.html: $!\n";
print $page $html;
close $page;
