#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/search-externals.pl HTMLDIR: let the site's search box find the
# mbedTLS functions, macros and types the pages use.
#
# With the mbedTLS tag file (docs/mbedtls-tag.sh) every mbedtls_* name on a
# page links to upstream's API reference, but Doxygen 1.9.4 puts into its
# search index only the external names that belong to a struct or a group:
# functions and macros of a header (mbedtls_ssl_handshake, ssl.h) are left
# out. This adds to the "All" index every external name the pages link to,
# with its API reference and every page that uses it, so that searching for
# mbedtls_ssl_handshake offers its documentation and the lessons that call
# it. Run by `make html` after Doxygen. Names whose first letter has no index
# file of its own yet are reported and left out.
use strict;
use warnings;

my $dir = shift or die "usage: search-externals.pl HTMLDIR\n";
my $search = "$dir/search";

sub slurp {
    my $file = shift;
    open(my $fh, "<:utf8", $file) or die "search-externals.pl: $file: $!\n";
    local $/;
    my $text = <$fh>;
    close $fh;
    return $text;
}

sub spit {
    my ($file, $text) = @_;
    open(my $fh, ">:utf8", $file) or die "search-externals.pl: $file: $!\n";
    print $fh $text;
    close $fh;
}

# search.js's convertToId, for the ids of the entries.
sub to_id {
    my $id = "";
    for my $c (split //, lc shift) {
        if ($c =~ /[a-z0-9\x{80}-\x{FFFF}]/) { $id .= $c; }
        else { $id .= sprintf(ord($c) < 16 ? "_0%x" : "_%x", ord $c); }
    }
    return $id;
}

sub js { my $s = shift; $s =~ s/\\/\\\\/g; $s =~ s/'/\\'/g; return $s; }

# Every external link on the pages: name -> API address, and the pages.
my (%api, %used, %title);
opendir(my $dh, $dir) or die "search-externals.pl: $dir: $!\n";
for my $page (sort grep { /\.html$/ } readdir $dh) {
    my $html = slurp("$dir/$page");
    my ($t) = $html =~ /<title>(?:[^<:]*:\s*)?([^<]*)<\/title>/;
    $title{$page} = $t // $page;
    # Links into another project's documentation: class elRef in text,
    # hl_...Ref in code.
    while ($html =~ /<a class="(?:elRef|code hl_\w+Ref)"[^>]* href="(https?:[^"]+)"[^>]*>([A-Za-z_][A-Za-z0-9_]*)(?:\(\))?<\/a>/g) {
        $api{$2} //= $1;
        $used{$2}{$page} = 1;
    }
}
closedir $dh;

my $data = slurp("$search/searchdata.js");
if ($data =~ m{/\* search-externals\.pl \*/}) {
    print "search-externals.pl: $search already has the mbedTLS names\n";
    exit 0;
}
my ($letters) = $data =~ /indexSectionsWithContent\s*=\s*\{\s*0:\s*"([^"]*)"/
    or die "search-externals.pl: no index sections in $search/searchdata.js\n";

my (%by_file, @missing);
for my $name (sort keys %api) {
    my $at = index($letters, lc substr($name, 0, 1));
    if ($at < 0) { push @missing, $name; next; }
    push @{$by_file{sprintf("all_%x.js", $at)}}, $name;
}

my $added = 0;
for my $file (sort keys %by_file) {
    my $js = slurp("$search/$file");
    my ($head, $body, $tail) = $js =~ /\A(.*?\[\n)(.*?)\n?(\];\s*)\z/s
        or die "search-externals.pl: $search/$file is not a search index\n";
    my @entries = grep { /\S/ } split /,\n/, $body;
    my %index;
    for my $i (0 .. $#entries) {
        $index{$1} = $i if $entries[$i] =~ /^\s*\['[^']*',\['((?:[^'\\]|\\.)*)'/;
    }
    for my $name (@{$by_file{$file}}) {
        my @pages = map { "['../" . js($_) . "',1,'" . js($title{$_}) . "']" } sort keys %{$used{$name}};
        if (defined(my $i = $index{$name})) {
            # Doxygen's own entry (a struct): name the reference, add pages.
            $entries[$i] =~ s/(\['https?:[^']*',1,)''\]/$1'mbedTLS API reference']/g;
            $entries[$i] =~ s/\]\]\s*$/"," . join(",", @pages) . "]]"/e;
        } else {
            push @entries, "  ['" . to_id($name) . "_0',['" . js($name) . "',['" . js($api{$name})
                . "',1,'mbedTLS API reference']," . join(",", @pages) . "]]";
        }
        $added++;
    }
    # Sorted the way Doxygen sorts them, then numbered again.
    my $n = 0;
    my @sorted = map { $_->[1] } sort { $a->[0] cmp $b->[0] }
        map { [lc((/^\s*\['[^']*',\['((?:[^'\\]|\\.)*)'/)[0] // ""), $_] } @entries;
    for (@sorted) {
        s/^(\s*\[')([^']*?)_[0-9]+(',)/$1 . $2 . "_" . $n++ . $3/e;
    }
    spit("$search/$file", $head . join(",\n", @sorted) . "\n" . $tail);
}
spit("$search/searchdata.js", $data . "/* search-externals.pl */\n");
print STDERR "search-externals.pl: not searchable (no index for their first letter): @missing\n" if @missing;
print "search-externals.pl: $added mbedTLS names searchable\n";
