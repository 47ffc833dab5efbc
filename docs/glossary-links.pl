#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/glossary-links.pl HTMLDIR: link the first use of each glossary term on
# every page of the site to its entry in the glossary (glossary.html, from
# docs/pages/glossary.dox), with the entry's first sentence as a tooltip.
# Run by `make html` after Doxygen, so that a page added by anyone gets its
# links without writing them, and a term added to the glossary is linked
# everywhere.
#
# A term is the text of a glossary <dt> before any parenthesis; "A / B" gives
# two spellings. It matches as a whole word (a hyphen counts as part of a
# word, so ECDHE is not linked inside ECDHE-ECDSA), with an optional plural
# "s"; a term in lower case also matches with a capital first letter. Only
# the prose of a page's text block is linked: never code, transcripts,
# headings, the table of contents, or text that is a link already.
use strict;
use warnings;

my $dir = shift or die "usage: glossary-links.pl HTMLDIR\n";

sub slurp {
    my $file = shift;
    open(my $fh, "<:utf8", $file) or die "glossary-links.pl: $file: $!\n";
    local $/;
    my $text = <$fh>;
    close $fh;
    return $text;
}

sub text_of {
    my $t = shift;
    $t =~ s/<[^>]*>//g;
    $t =~ s/\s+/ /g;
    $t =~ s/^ | $//g;
    return $t;
}

# The terms: spelling -> [anchor, tooltip].
my $glossary = slurp("$dir/glossary.html");
my (%term, @forms);
while ($glossary =~ /<dt><a class="anchor" id="(glossary_\w+)"><\/a>(.*?)<\/dt>\s*<dd>(.*?)<\/dd>/gs) {
    my ($anchor, $dt, $dd) = ($1, text_of($2), text_of($3));
    (my $tip = $dd) =~ s/^(.*?\.)(?:\s.*)?$/$1/;
    $tip =~ s/&[a-z]+;|[<>"]//g;
    $dt =~ s/\s*\(.*//;
    for my $form (split /\s*\/\s*/, $dt) {
        next if $form eq "";
        $term{$form} = [$anchor, "$dt: $tip"];
        push @forms, $form;
    }
}
die "glossary-links.pl: no terms in $dir/glossary.html\n" unless @forms;
my $alternatives = join "|", map {
    my $f = quotemeta $_;
    $f =~ s/^([a-z])/"[" . $1 . uc($1) . "]"/e;
    $f;
} sort { length $b <=> length $a } @forms;
my $match = qr/(?<![\w-])($alternatives)(s?)(?![\w-])/;

# Elements whose text is never linked, and divs whose content is not.
my %skip_element = map { $_ => 1 } qw(a code pre h1 h2 h3 h4 h5 h6 script style dt th tt map);
my $skip_div = qr/\b(?:fragment|toc|mscgraph|dotgraph|image|lesson-nav|memproto)\b/;

my $linked_pages = 0;
my $links = 0;
opendir(my $dh, $dir) or die "glossary-links.pl: $dir: $!\n";
for my $page (sort grep { /\.html$/ && $_ ne "glossary.html" } readdir $dh) {
    my $html = slurp("$dir/$page");
    next unless $html =~ /<!-- PageDoc -->/ && $html !~ /class="el glossary-link"/;
    my ($before, $block) = $html =~ /\A(.*?<div class="textblock">)(.*)\z/s or next;
    my (%done, @divs, %inside);
    my $out = "";
    # Tags and the text between them, in order.
    while ($block =~ /\G(<[^>]*>|[^<]+)/gs) {
        my $piece = $1;
        if ($piece =~ /^<(\/?)([a-zA-Z0-9]+)/) {
            my ($close, $tag) = ($1, lc $2);
            if ($tag eq "div") {
                if ($close) { my $was = pop @divs; $inside{div}-- if $was; }
                elsif ($piece !~ /\/>$/) { my $no = $piece =~ $skip_div ? 1 : 0; push @divs, $no; $inside{div}++ if $no; }
            } elsif ($skip_element{$tag} && $piece !~ /\/>$/) {
                $inside{$tag} += $close ? -1 : 1;
            }
            $out .= $piece;
            next;
        }
        if (grep { $_ > 0 } values %inside) {
            $out .= $piece;
            next;
        }
        $piece =~ s{$match}{
            my ($form, $plural) = ($1, $2);
            my $key = exists $term{$form} ? $form : (grep { lc $_ eq lc $form } keys %term)[0];
            my ($anchor, $tip) = @{$term{$key}};
            if ($done{$anchor}++) {
                "$form$plural";
            } else {
                $links++;
                "<a class=\"el glossary-link\" href=\"glossary.html#$anchor\" title=\"$tip\">$form$plural</a>";
            }
        }ge;
        $out .= $piece;
    }
    next unless %done;
    open(my $fh, ">:utf8", "$dir/$page") or die "glossary-links.pl: $dir/$page: $!\n";
    print $fh $before . $out;
    close $fh;
    $linked_pages++;
}
closedir $dh;
print "glossary-links.pl: $links first uses linked on $linked_pages pages\n";
