# SPDX-License-Identifier: Apache-2.0
# mapsize.awk IMAGE.map: what each part of an image takes, from GNU ld's
# link map (-Wl,-Map=FILE), one line per part:
#     PART FLASH RAM
# in bytes, for PART = mbedtls, x509, crypto (the three mbedTLS libraries),
# newlib (the C library, libgcc, the semihosting library), lab (the
# workshop's and the lab's own objects) and fill (the linker's alignment
# padding). The parts add up to the image. FLASH counts .vectors, .text,
# .rodata, .ARM.exidx and the initial values of .data and .tdata (stored in
# flash, copied to RAM at reset); RAM counts .data, .tdata, .tbss and .bss.
#
# Each input section is measured from its address to the next one's, not
# by the size the map prints next to it: for merged string sections
# (.rodata.*.str1.1) ld prints the size of the whole merged block against
# several inputs, while the addresses say where each input's share really
# went (strings that two files share count once, for the first).

# A hexadecimal number such as 0x1c8 (plain awk has no strtonum()).
function hex(s,   i, n) {
    n = 0
    s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); i++)
        n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
}
function part(file) {
    if (file == "fill") return "fill"
    if (file ~ /libmbedtls\.a\(/) return "mbedtls"
    if (file ~ /libmbedx509\.a\(/) return "x509"
    if (file ~ /libmbedcrypto\.a\(/) return "crypto"
    if (file ~ /lib(c|c_nano|g|g_nano|gcc|rdimon|rdimon_nano|nosys|m)\.a\(/ || file ~ /crt[^\/]*\.o$/) return "newlib"
    return "lab"
}
function charge(size, file,   p) {
    p = part(file)
    if (out == ".vectors" || out == ".text" || out == ".rodata" || out == ".ARM.exidx") flash[p] += size
    else if (out == ".data" || out == ".tdata") { flash[p] += size; ram[p] += size }
    else if (out == ".tbss" || out == ".bss") ram[p] += size
}
# An input section starts at ADDR: the previous one ends there.
function entry(addr, file) {
    if (have && addr >= last_addr) charge(addr - last_addr, last_file)
    have = 1; last_addr = addr; last_file = file
}
# The output section ends: so does its last input section.
function close_section() {
    if (have && out_end >= last_addr) charge(out_end - last_addr, last_file)
    have = 0
}
/^Linker script and memory map/ { inmap = 1; next }
!inmap { next }
# An output section: its name in the first column, then (on the same line
# or the next) its address and size.
/^[^ ]/ {
    close_section()
    out = $1; out_pending = 1
    if (NF >= 3 && $2 ~ /^0x/) { out_end = hex($2) + hex($3); out_pending = 0 }
    next
}
out_pending && /^ +0x/ { out_end = hex($1) + hex($2); out_pending = 0; next }
/^ \*fill\*/ { entry(hex($2), "fill"); next }
# An input section whose name is too long: address, size and file follow on
# the next line.
/^ [^ *]/ && NF == 1 { pending = 1; next }
pending && /^ +0x/ { pending = 0; if (NF >= 3) entry(hex($1), $3); next }
/^ [^ *]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { pending = 0; entry(hex($2), $4); next }
{ pending = 0 }
END {
    close_section()
    n = split("mbedtls x509 crypto newlib lab fill", parts, " ")
    for (i = 1; i <= n; i++)
        printf "%s %d %d\n", parts[i], flash[parts[i]], ram[parts[i]]
}
