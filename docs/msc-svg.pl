#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# docs/msc-svg.pl --fix|--check FILE.svg...: the sequence diagrams (@msc)
# that Doxygen 1.9.4's built-in mscgen draws, made legible, then checked.
#
# --fix (run by `make html` after Doxygen) changes two things in each SVG:
#   - an arc's label sits one pixel above its arrow, so the underscores of
#     mbedtls_ names merge into the line ("mbedtls ssl setup"): labels of
#     arcs move up 3 px;
#   - each line of text is drawn right after its own white background, so
#     the background of a box's second line hides the underscores of its
#     first: inside boxes (white already) those backgrounds go.
# --check fails (exit 1, one line per finding) when a diagram has
#   - a label cut off at the left or right edge of the image;
#   - a label struck through by an arrow or a box's edge (a label on two
#     lines: mscgen puts the arrow between them);
#   - two labels on top of each other;
#   - an arrow's label wider than the arrow, or another label that
#     crosses a participant's lifeline;
#   - a message from a participant to itself (mscgen draws an ellipse).
# The labels of the separators (---) and of the participants are drawn on
# purpose over lines, so they only count for the edges and overlaps.
use strict;
use warnings;

my $mode = shift // "";
die "usage: msc-svg.pl --fix|--check FILE.svg...\n" unless $mode =~ /^--(fix|check)$/ && @ARGV;
my $found = 0;

for my $file (@ARGV) {
    open(my $fh, "<", $file) or die "msc-svg.pl: $file: $!\n";
    my $svg = do { local $/; <$fh> };
    close $fh;
    my $name = $file;
    $name =~ s{.*/}{};
    my ($width) = $svg =~ /viewBox="0 0 ([0-9.]+) [0-9.]+"/ or die "msc-svg.pl: $file: no viewBox\n";

    # Elements in drawing order. A text's box is the white polygon drawn
    # just before it (mscgen's own measure of the text).
    my (@lines, @texts, @boxes);
    my $last_white;
    while ($svg =~ /(<(text)\b[^>]*>.*?<\/text>|<(line|polygon|path)\b[^>]*>)/gs) {
        my ($el, $tag) = ($1, $2 // $3);
        my $at = pos($svg) - length $el;
        if ($tag eq "line") {
            my %a = $el =~ /([\w-]+)="([^"]*)"/g;
            push @lines, { %a, dashed => exists $a{"stroke-dasharray"} };
        } elsif ($tag eq "polygon") {
            next unless $el =~ /fill="white"/;
            my @p = $el =~ /points="([^"]*)"/ ? split /[ ,]+/, $1 : ();
            my @x = @p[grep { $_ % 2 == 0 } 0 .. $#p];
            my @y = @p[grep { $_ % 2 == 1 } 0 .. $#p];
            my ($x1, $x2) = (sort { $a <=> $b } @x)[0, -1];
            my ($y1, $y2) = (sort { $a <=> $b } @y)[0, -1];
            $last_white = { x1 => $x1, x2 => $x2, y1 => $y1, y2 => $y2, el => $el, at => $at };
            push @boxes, $last_white if $y2 - $y1 > 12;
        } elsif ($tag eq "text") {
            # Its box from mscgen's own measure of the text (textLength).
            my %a = $el =~ /([\w-]+)="([^"]*)"/g;
            my ($content) = $el =~ />\s*(.*?)\s*<\/text>/s;
            $content =~ s/\s+/ /g;
            my $w = $a{textLength} // 0;
            my $x1 = ($a{"text-anchor"} // "") eq "middle" ? $a{x} - $w / 2 : $a{x};
            my $t = { x1 => $x1, x2 => $x1 + $w, y1 => $a{y} - 9, y2 => $a{y}, y => $a{y},
                      el => $el, at => $at, label => $content };
            # The white background mscgen draws right before each text.
            $t->{bg} = $last_white if $last_white && $last_white->{y2} == $a{y};
            push @texts, $t;
            $last_white = undef;
        } elsif ($tag eq "path") {
            if ($mode eq "--check" && $el =~ /d="M\s*[-0-9.]+\s+[-0-9.]+\s+A/) {
                print "$name: a message from a participant to itself (drawn as an ellipse)\n";
                $found++;
            }
        }
    }
    my @vertical = grep { $_->{x1} == $_->{x2} } @lines;
    my @horizontal = grep { $_->{y1} == $_->{y2} } @lines;
    # Lifelines hang under the participants' names (centred, at the top);
    # the other vertical lines are the edges of boxes.
    my %column = map { (($_->{x1} + $_->{x2}) / 2 => 1) } grep { $_->{y} < 20 } @texts;
    my @lifelines = grep { !$_->{dashed} && $column{$_->{x1}} } @vertical;
    my ($first, $last) = (sort { $a <=> $b } keys %column)[0, -1];
    ($first, $last) = (0, $width) unless defined $first;
    for my $t (@texts) {
        # Participants' names are above the first lifeline segment.
        $t->{participant} = $t->{y} < 20;
        # A separator's label is drawn over its dashed line on purpose; the
        # line runs from the first lifeline to the last.
        $t->{separator} = grep {
            $_->{dashed} && $_->{y1} > $t->{y1} && $_->{y1} < $t->{y2} + 1
                && min($_->{x1}, $_->{x2}) <= $first && max($_->{x1}, $_->{x2}) >= $last
        } @horizontal;
        $t->{in_box} = grep {
            $t->{x1} >= $_->{x1} && $t->{x2} <= $_->{x2} && $t->{y1} >= $_->{y1} && $t->{y2} <= $_->{y2}
        } @boxes;
        # An arc's label: an arrow one pixel under it, across its width.
        # (4 px once --fix has raised it).
        my $gap = $svg =~ /<!-- msc-svg.pl -->/ ? 4 : 1;
        ($t->{arc}) = grep {
            $_->{y1} == $t->{y2} + $gap && min($_->{x1}, $_->{x2}) <= $t->{x2} && max($_->{x1}, $_->{x2}) >= $t->{x1}
        } @horizontal unless $t->{in_box};
    }

    if ($mode eq "--fix") {
        next if $svg =~ /<!-- msc-svg.pl -->/;
        my $out = $svg;
        # Backwards, so that earlier offsets stay valid.
        for my $t (sort { $b->{at} <=> $a->{at} } @texts) {
            my ($el, $bg) = ($t->{el}, $t->{bg});
            if ($t->{arc}) {
                (my $up = $el) =~ s/ y="([-0-9.]+)"/' y="' . ($1 - 3) . '"'/e;
                substr($out, $t->{at}, length $el) = $up;
                substr($out, $bg->{at}, length $bg->{el}) = raise($bg->{el}, 3) if $bg;
            } elsif ($t->{in_box} && $bg) {
                # Inside a box (white already) the background only hides
                # the underscores of the line above.
                substr($out, $bg->{at}, length $bg->{el}) = "";
            }
        }
        $out =~ s/<\/svg>\s*$/<!-- msc-svg.pl -->\n<\/svg>\n/;
        open(my $wr, ">", $file) or die "msc-svg.pl: $file: $!\n";
        print $wr $out;
        close $wr;
        next;
    }

    # --check. The glyphs of 12 px Helvetica fill mscgen's 9 px box and
    # reach ~3 px below the baseline (descenders, underscores).
    for my $t (@texts) {
        my ($l, $r) = ($t->{x1}, $t->{x2});
        my $what = "\"$t->{label}\"";
        if ($l < 0 || $r > $width) {
            print "$name: $what is cut off at the edge of the image ($l..$r of 0..$width)\n";
            $found++;
        }
        next if $t->{participant};
        for my $h (@horizontal) {
            next if $t->{separator} && $h->{dashed};
            my ($hl, $hr) = (min($h->{x1}, $h->{x2}), max($h->{x1}, $h->{x2}));
            next unless $hl < $r && $hr > $l;
            if ($h->{y1} > $t->{y1} && $h->{y1} <= $t->{y2} + 3) {
                print "$name: $what is struck through by a line at y=$h->{y1}\n";
                $found++;
                last;
            }
            if (!$t->{in_box} && $h->{y1} >= $t->{y1} - 2 && $h->{y1} <= $t->{y1}) {
                print "$name: $what hangs under an arrow (a label on two lines: the arrow runs between them)\n";
                $found++;
                last;
            }
        }
        next if $t->{in_box} || $t->{separator};
        if (my $arc = $t->{arc}) {
            # An arrow's label stays between the arrow's two ends (it may
            # cross the lifelines of the participants it passes over).
            my ($al, $ar) = (min($arc->{x1}, $arc->{x2}), max($arc->{x1}, $arc->{x2}));
            if ($l < $al - 1 || $r > $ar + 1) {
                print "$name: $what is wider than its arrow ($l..$r over $al..$ar)\n";
                $found++;
            }
            next;
        }
        for my $v (@lifelines) {
            my ($vt, $vb) = (min($v->{y1}, $v->{y2}), max($v->{y1}, $v->{y2}));
            if ($v->{x1} > $l + 1 && $v->{x1} < $r - 1 && $vt < $t->{y2} && $vb > $t->{y1}) {
                print "$name: $what crosses the lifeline at x=$v->{x1}\n";
                $found++;
                last;
            }
        }
    }
    for my $i (0 .. $#texts) {
        for my $j ($i + 1 .. $#texts) {
            my ($a, $b) = @texts[$i, $j];
            next if $a->{x1} == $a->{x2} || $b->{x1} == $b->{x2};
            if ($a->{x1} < $b->{x2} && $b->{x1} < $a->{x2} && $a->{y1} < $b->{y2} && $b->{y1} < $a->{y2}) {
                print "$name: \"$a->{label}\" and \"$b->{label}\" overlap\n";
                $found++;
            }
        }
    }
}
exit($found ? 1 : 0);

# raise POLYGON DY: the polygon element moved up by DY pixels.
sub raise {
    my ($el, $dy) = @_;
    $el =~ s{points="([^"]*)"}{
        my @p = split /[ ,]+/, $1;
        my @out;
        push @out, $p[$_] . "," . ($p[$_ + 1] - $dy) for grep { $_ % 2 == 0 } 0 .. $#p;
        'points="' . join(" ", @out) . '"'
    }e;
    return $el;
}

sub min { return $_[0] < $_[1] ? $_[0] : $_[1]; }
sub max { return $_[0] > $_[1] ? $_[0] : $_[1]; }
