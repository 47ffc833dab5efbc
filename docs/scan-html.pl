#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/scan-html.pl PAGE.html...: look for the marks Doxygen 1.9.4 leaves in a
# page when it did not understand the Markdown it was given. Prints one line
# per finding, "PAGE: SIGNATURE: excerpt", and exits 1 if there was any,
# 0 if none, 2 on a usage error. tests/docs_render.test runs it over the
# whole site and over planted bad pages.
#
# The signatures are those seen on this site's own pages:
#   literal **        bold around a code span (**`x`**) or a line that began
#                     with * inside a comment block: Doxygen prints the stars
#   stray *           the other half of the same: "Expected:*", "high-level*"
#   stray backtick    a code span Doxygen gave up on (one with a ' inside it
#                     is read as a quoted string, and its quotes turn curly)
#   raw markdownTable a table cell printed as text (&lt;td class=...)
#   \ilinebr          Doxygen's internal line-break marker printed as text
#   raw command       @ref, @snippet ... printed as text
#   en dash option    --name outside a code span becomes "–name"
#   ends inside list  the page's text stops in a list item that does not end
#                     a sentence: a */ in the page closed its comment early
#
# Only what a reader sees as prose is searched for stars, backticks and
# dashes: code fragments, inline code, transcripts and declarations are cut
# out first (char **argv is not a defect). The raw-markup signatures and
# en dashes are searched everywhere, code included.
use strict;
use warnings;
@ARGV or do { print STDERR "usage: scan-html.pl PAGE.html...\n"; exit 2; };
my $found = 0;
my %entity = (amp => "&", lt => "<", gt => ">", quot => "\"", apos => "'",
              nbsp => " ", ndash => "\x{2013}", mdash => "\x{2014}",
              lsquo => "\x{2018}", rsquo => "\x{2019}", ldquo => "\x{201C}",
              rdquo => "\x{201D}", hellip => "...", times => "x", rarr => "->",
              larr => "<-", middot => ".", copy => "(c)");
sub decode {
    my $t = shift;
    $t =~ s/&#x([0-9a-fA-F]+);/chr(hex $1)/ge;
    $t =~ s/&#([0-9]+);/chr($1)/ge;
    $t =~ s/&([a-z]+);/exists $entity{$1} ? $entity{$1} : "&$1;"/ge;
    return $t;
}
sub report {
    my ($page, $what, $text, $at) = @_;
    my $from = $at > 40 ? $at - 40 : 0;
    my $excerpt = substr($text, $from, 100);
    $excerpt =~ s/\s+/ /g;
    binmode STDOUT, ":utf8";
    print "$page: $what: ...$excerpt...\n";
    $found++;
}
binmode STDIN, ":utf8";
for my $page (@ARGV) {
    open(my $fh, "<:utf8", $page) or do { print STDERR "scan-html.pl: cannot read $page\n"; $found++; next; };
    local $/;
    my $html = <$fh>;
    close $fh;
    my $name = $page;
    $name =~ s{.*/}{};
    # The page itself: what follows the navigation, up to the footer.
    $html =~ s/.*?<div class="(?:header|contents)">/<div>/s;
    $html =~ s/<!-- start footer part -->.*//s;
    $html =~ s/<script\b.*?<\/script>//gs;
    # Raw markup shows as escaped text: search the decoded text for it.
    my $all = decode(join " ", split /<[^>]*>/, $html);
    while ($all =~ /markdownTable|\\ilinebr/g) {
        report($name, $& eq "markdownTable" ? "raw markdownTable markup" : "raw \\ilinebr", $all, pos($all));
    }
    # --name outside a code span, or inside an HTML <code>, loses a dash:
    # an en dash right before a letter is never prose ("01-07" has a digit).
    while ($all =~ /(?<![A-Za-z0-9])\x{2013}[A-Za-z]/g) {
        report($name, "en dash in an option name", $all, pos($all));
    }
    # Prose only: cut code, transcripts and declarations.
    my $prose = $html;
    $prose =~ s/<div class="fragment">.*?<\/div><!-- fragment -->//gs;
    $prose =~ s/<pre\b.*?<\/pre>//gs;
    $prose =~ s/<code\b.*?<\/code>//gs;
    $prose =~ s/<div class="memproto">.*?<\/div>//gs;
    $prose =~ s/<td class="(?:memItemLeft|memItemRight|memTemplItemLeft|memTemplItemRight|paramtype|paramname|memname)"[^>]*>.*?<\/td>//gs;
    $prose =~ s/<div class="ttc".*?<\/div><\/div>\s*(?=<div class="ttc"|<\/div>|$)//gs;
    # The end of a page's text (@page, @mainpage: not the generated index
    # pages, which are lists): a list whose last item ends no sentence.
    if ($prose =~ /<!-- PageDoc -->/ && $prose =~ /.*<li>(.*?)<\/li>\s*<\/[ou]l>\s*((?:<\/div>\s*)+<!-- (?:PageDoc|contents) -->)/s) {
        my $last = decode(join "", split /<[^>]*>/, $1);
        $last =~ s/\s+$//;
        report($name, "ends inside a list", $last, length $last)
            unless $last =~ /[.!?:)]$/;
    }
    my $text = decode(join " ", split /<[^>]*>/, $prose);
    while ($text =~ /\*\*/g) { report($name, "literal **", $text, pos($text)); }
    # A star that closes an emphasis never opened ("high-level* part"); a
    # star after "_" is a name pattern (MBEDTLS_X509_BADCERT_*).
    while ($text =~ /(?<=[^\s_*])\*(?=[\s.,;:)]|$)/g) { report($name, "stray *", $text, pos($text)); }
    while ($text =~ /`/g) { report($name, "stray backtick", $text, pos($text)); }
    while ($text =~ /(?:^|\s)[\@\\](?:ref|snippet|verbinclude|include|subpage|section|subsection|page|msc|endmsc|dot|enddot|image)\b/g) {
        report($name, "raw Doxygen command", $text, pos($text));
    }
}
exit($found ? 1 : 0);
