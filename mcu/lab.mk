# SPDX-License-Identifier: Apache-2.0
# mcu/lab.mk: the microcontroller lab's builds, one GNU make run for every
# profile. mcu/lab.sh runs it (make -k, so that a profile that fails leaves
# the others alone) and then collects the figures; see mcu/lab.sh for the
# variables it passes.
#
# For each profile P ($(PROFILE_DIR)/P.h, by default mcu/profiles/) and target T (arm: the Cortex-M4,
# host: this machine), under $(LAB)/P/T/:
#
#   both/lib/*.o      all of mbedTLS, compiled with the profile (client and
#                     server); both/libmbed{tls,x509,crypto}.a
#   client/, server/  (arm) the TLS library again for one side alone
#                     (mcu/lab_config.h takes out the other side): only
#                     libmbedtls.a differs, the X.509 and crypto libraries
#                     are both/'s (they do not depend on the side)
#   V/app/*.o         the workshop's code, compiled with the same
#                     configuration: mcu/lab_main.c, bench/tls_pair.c, the
#                     lessons' stages, common/
#   V/image.elf       (arm) linked for mcu/mps2-an386.ld, with its link map,
#   V/sizes.txt       arm-none-eabi-size -A of it, and
#   V/parts.txt       what each library takes (mcu/mapsize.awk)
#   both/run.txt      (arm) what the image printed under qemu-system-arm
#   both/count.txt    (arm) the same, from both/count.elf: the same objects
#                     linked without the heap meter, for the instructions
#   both/lab, run.txt (host) the same program for this machine, and its output
#
# Before anything else, $(LAB)/P/check.ok: the profile passes mbedTLS's
# check_config.h for every variant. If not, $(LAB)/P/check.failed holds the
# first #error (the option that conflicts) and nothing else of P is built.

SRC ?= .
LAB ?= mcu-lab
MBEDTLS_SRC ?= $(error MBEDTLS_SRC: the unpacked mbedTLS source package is needed (mcu/lab.sh fetches it))
CERTS_DIR ?= $(error CERTS_DIR: the workshop PKI is needed (make in the build tree first))
# Where the profiles are (a directory of your own works too: see
# docs/pages/mcu.md), and which of them to build.
PROFILE_DIR ?= $(SRC)/mcu/profiles
PROFILES ?= $(basename $(notdir $(wildcard $(PROFILE_DIR)/*.h)))
# full: every target and side; quick: the Cortex-M4 handshake image only.
PARTS ?= full
# qemu's -icount shift: every instruction is 2^N ns of virtual time. The
# image is built for one value (MCU_ICOUNT_SHIFT) and checks it at run time.
ICOUNT_SHIFT ?= 6
# The instant the images' clocks stand still at (seconds since 1970).
LAB_TIME ?= $(shell date +%s)
ARM_PREFIX ?= arm-none-eabi-
HOST_CC ?= cc
HOST_AR ?= ar
QEMU ?= qemu-system-arm
RUN_TIMEOUT ?= 600

ARM_CC = $(ARM_PREFIX)gcc
ARM_AR = $(ARM_PREFIX)ar
ARM_ARCH = -mcpu=cortex-m4 -mthumb
ARM_CFLAGS = $(ARM_ARCH) -Os -ffunction-sections -fdata-sections
HOST_CFLAGS = -O2 -ffunction-sections -fdata-sections
APP_WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wcast-align -Wwrite-strings -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wundef -Wvla -Wno-missing-field-initializers

# The library's own source lists (src_crypto, src_x509, src_tls in
# library/CMakeLists.txt): which object goes into which archive.
src_list = $(shell awk '/^set\(src_$(1)$$/ { on = 1; next } on && /\)/ { on = 0 } on { gsub(/[ \t]/, ""); if ($$0 != "") print }' \
	$(MBEDTLS_SRC)/library/CMakeLists.txt)
LIB_crypto := $(basename $(call src_list,crypto))
LIB_x509 := $(basename $(call src_list,x509))
LIB_tls := $(basename $(call src_list,tls))

# The workshop's code in the image: the program, the pair, the stages it
# calls (not 05_handshake: the pair steps the handshake itself), the
# plumbing (stage 07 frees the --trace tap, which feeds the record decoder:
# the linker keeps what is called); and each target's own measuring code.
APP_SRC = mcu/lab_main.c mcu/test_entropy.c bench/tls_pair.c bench/stack.c bench/heap_ledger.c \
	lessons/01_init.c lessons/02_load_certs.c lessons/03_config.c lessons/04_connect.c \
	lessons/06_read_write.c lessons/07_cleanup.c \
	common/report.c common/tls_names.c common/debug_log.c common/keylog.c \
	common/trace_bio.c $(patsubst $(SRC)/%,%,$(wildcard $(SRC)/common/decoder/*.c)) common/mem_transport.c \
	common/dtls_record.c common/lossy.c lessons/15_dtls_watch.c
APP_SRC_arm = mcu/board_mps2.c mcu/board_meter.c
APP_SRC_host = mcu/board_host.c bench/heap.c common/clock.c
app_objs = $(addprefix $(LAB)/$(1)/$(2)/$(3)/app/,$(subst /,_,$(APP_SRC:.c=.o) $(APP_SRC_$(2):.c=.o)))

cc_for = $(if $(filter arm,$(1)),$(ARM_CC) $(ARM_CFLAGS),$(HOST_CC) $(HOST_CFLAGS))
ar_for = $(if $(filter arm,$(1)),$(ARM_AR),$(HOST_AR))
# $(call config_flags,PROFILE,TARGET,VARIANT)
config_flags = -I$(PROFILE_DIR) -I$(SRC)/mcu \
	-DMBEDTLS_CONFIG_FILE='"$(1).h"' -DMBEDTLS_USER_CONFIG_FILE='"lab_config.h"' \
	$(if $(filter arm,$(2)),-DMCU_LAB_BOARD -I$(SRC)/mcu/bare-include) \
	$(if $(filter client,$(3)),-DMCU_LAB_SIDE_CLIENT) $(if $(filter server,$(3)),-DMCU_LAB_SIDE_SERVER) \
	-I$(MBEDTLS_SRC)/include
# mbedTLS's headers as system headers for the workshop's code: its warnings
# (-Wundef) are not the workshop's. The lab measures TLS handshakes only:
# TLS_PAIR_DTLS=0 leaves the pair's DTLS code (lessons 15 and 16) out, even
# where a profile (the desktop one) has DTLS.
app_flags = $(APP_WARN) -std=c11 -isystem $(MBEDTLS_SRC)/include -I$(SRC)/common -I$(SRC)/lessons -I$(SRC)/bench \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DLESSON_LIBRARY -DTLS_PAIR_DTLS=0 \
	-DWORKSHOP_CERTS_DIR='"$(CERTS_DIR)"' -DMCU_LAB_TIME=$(LAB_TIME) -DMCU_ICOUNT_SHIFT=$(ICOUNT_SHIFT) \
	$(if $(filter host,$(1)),-DBENCH_HEAP_WRAP)

ARM_LDFLAGS = $(ARM_ARCH) -nostartfiles -T $(SRC)/mcu/mps2-an386.ld --specs=nano.specs --specs=rdimon.specs \
	-Wl,--gc-sections
# The heap meter (mcu/board_meter.c) sees every allocation through these
# wrappers. For the instruction count the same objects are linked once more
# without them: the meter's bookkeeping (about 100 instructions per block)
# would otherwise be counted as the handshake's.
ARM_METER = -Wl,--wrap=mbedtls_calloc,--wrap=mbedtls_free
ARM_NO_METER = -Wl,--defsym=__real_mbedtls_calloc=mbedtls_calloc,--defsym=__real_mbedtls_free=mbedtls_free
HOST_LDFLAGS = -Wl,--gc-sections -Wl,--wrap=calloc,--wrap=free
QEMU_RUN = $(QEMU) -M mps2-an386 -nographic -monitor none -serial none \
	-semihosting-config enable=on,target=native -icount shift=$(ICOUNT_SHIFT)

CONFIG_HEADERS = $(SRC)/mcu/lab_config.h

all:
.PHONY: all
.DELETE_ON_ERROR:
.SUFFIXES:

# --- The configuration check ------------------------------------------------------

# $(call check_one,PROFILE,TARGET,VARIANT): preprocess build_info.h, which
# includes check_config.h; on an error, keep its first #error text (or its
# first line) in check.failed.
check_one = echo '\#include <mbedtls/build_info.h>' | \
	$(call cc_for,$(2)) $(call config_flags,$(1),$(2),$(3)) -E -x c - -o /dev/null 2>$(LAB)/$(1)/check.log || \
	{ reason=$$$$(grep -m1 '\#error' $(LAB)/$(1)/check.log | sed 's/.*\#error *//; s/^"//; s/"$$$$//'); \
	  [ -n "$$$$reason" ] || reason=$$$$(sed -n 1p $(LAB)/$(1)/check.log); \
	  echo "$(2) $(3): $$$$reason" >$(LAB)/$(1)/check.failed; \
	  echo "mcu-lab: profile $(1) does not pass check_config.h ($(2) $(3)): $$$$reason" >&2; exit 1; }

define profile_rules
# ---- profile $(1) ----
$(LAB)/$(1)/check.ok: $(PROFILE_DIR)/$(1).h $(CONFIG_HEADERS)
	@mkdir -p $$(@D) && rm -f $$@ $(LAB)/$(1)/check.failed
	@$(call check_one,$(1),arm,both)
	@$(call check_one,$(1),arm,client)
	@$(call check_one,$(1),arm,server)
	@$(call check_one,$(1),host,both)
	@echo "mcu-lab: profile $(1) passes check_config.h" >$$@
endef

# --- One target and variant of a profile --------------------------------------------

# $(call variant_rules,PROFILE,TARGET,VARIANT)
define variant_rules
$(LAB)/$(1)/$(2)/$(3)/lib/%.o: $(MBEDTLS_SRC)/library/%.c $(LAB)/$(1)/check.ok $(PROFILE_DIR)/$(1).h $(CONFIG_HEADERS)
	@mkdir -p $$(@D)
	@$(call cc_for,$(2)) $(call config_flags,$(1),$(2),$(3)) -c $$< -o $$@

$(LAB)/$(1)/$(2)/$(3)/libmbedtls.a: $(addprefix $(LAB)/$(1)/$(2)/$(3)/lib/,$(addsuffix .o,$(LIB_tls)))
	@rm -f $$@ && $(call ar_for,$(2)) crs $$@ $$^

$(LAB)/$(1)/$(2)/$(3)/app/%.o: $(LAB)/$(1)/check.ok
	@mkdir -p $$(@D)
	@$(call cc_for,$(2)) $(call config_flags,$(1),$(2),$(3)) $(call app_flags,$(2)) -MMD -MP \
		-c $$(filter %.c,$$^) -o $$@

-include $(wildcard $(LAB)/$(1)/$(2)/$(3)/app/*.d)
endef

# App objects are named DIR_FILE.o (mcu_lab_main.o for mcu/lab_main.c);
# each depends on its source, listed here, which the recipe above compiles.
define app_sources
$(foreach f,$(APP_SRC) $(APP_SRC_$(2)),$(LAB)/$(1)/$(2)/$(3)/app/$(subst /,_,$(f:.c=.o)): $(SRC)/$(f)
)
endef

# The X.509 and crypto libraries, once per profile and target.
define shared_libs
$(LAB)/$(1)/$(2)/both/libmbedx509.a: $(addprefix $(LAB)/$(1)/$(2)/both/lib/,$(addsuffix .o,$(LIB_x509)))
	@rm -f $$@ && $(call ar_for,$(2)) crs $$@ $$^

$(LAB)/$(1)/$(2)/both/libmbedcrypto.a: $(addprefix $(LAB)/$(1)/$(2)/both/lib/,$(addsuffix .o,$(LIB_crypto)))
	@rm -f $$@ && $(call ar_for,$(2)) crs $$@ $$^
endef

# $(call image_rules,PROFILE,VARIANT): the Cortex-M4 image, its sizes.
define image_rules
$(LAB)/$(1)/arm/$(2)/image.elf: $(call app_objs,$(1),arm,$(2)) $(LAB)/$(1)/arm/$(2)/libmbedtls.a \
		$(LAB)/$(1)/arm/both/libmbedx509.a $(LAB)/$(1)/arm/both/libmbedcrypto.a $(SRC)/mcu/mps2-an386.ld
	@$(ARM_CC) $(ARM_LDFLAGS) $(ARM_METER) -Wl,-Map=$(LAB)/$(1)/arm/$(2)/image.map -o $$@ \
		$(call app_objs,$(1),arm,$(2)) $(LAB)/$(1)/arm/$(2)/libmbedtls.a \
		$(LAB)/$(1)/arm/both/libmbedx509.a $(LAB)/$(1)/arm/both/libmbedcrypto.a
	@echo "mcu-lab: linked $$@"

$(LAB)/$(1)/arm/$(2)/sizes.txt: $(LAB)/$(1)/arm/$(2)/image.elf
	@$(ARM_PREFIX)size -A $$< >$$@

$(LAB)/$(1)/arm/$(2)/parts.txt: $(LAB)/$(1)/arm/$(2)/image.elf $(SRC)/mcu/mapsize.awk
	@awk -f $(SRC)/mcu/mapsize.awk $(LAB)/$(1)/arm/$(2)/image.map >$$@
endef

# $(call qemu_run,PROFILE), in a recipe: run the image $< under qemu, its
# output to $@ (to $@.out, and a message, when it fails).
qemu_run = echo "mcu-lab: $(1): running $(notdir $<) under qemu"; \
	if timeout $(RUN_TIMEOUT) $(QEMU_RUN) -kernel $< >$@.out 2>&1; then mv $@.out $@; \
	else status=$$?; echo "mcu-lab: $(1): $(notdir $<) failed under qemu (exit $$status):" >&2; \
	  tail -5 $@.out >&2; exit 1; fi

# $(call run_rules,PROFILE): the handshake, on the emulated board and on the host.
define run_rules
$(LAB)/$(1)/arm/both/count.elf: $(call app_objs,$(1),arm,both) $(LAB)/$(1)/arm/both/libmbedtls.a \
		$(LAB)/$(1)/arm/both/libmbedx509.a $(LAB)/$(1)/arm/both/libmbedcrypto.a $(SRC)/mcu/mps2-an386.ld
	@$(ARM_CC) $(ARM_LDFLAGS) $(ARM_NO_METER) -o $$@ $(call app_objs,$(1),arm,both) \
		$(LAB)/$(1)/arm/both/libmbedtls.a $(LAB)/$(1)/arm/both/libmbedx509.a $(LAB)/$(1)/arm/both/libmbedcrypto.a

$(LAB)/$(1)/arm/both/run.txt: $(LAB)/$(1)/arm/both/image.elf
	@$$(call qemu_run,$(1))

$(LAB)/$(1)/arm/both/count.txt: $(LAB)/$(1)/arm/both/count.elf
	@$$(call qemu_run,$(1))

$(LAB)/$(1)/host/both/lab: $(call app_objs,$(1),host,both) $(LAB)/$(1)/host/both/libmbedtls.a \
		$(LAB)/$(1)/host/both/libmbedx509.a $(LAB)/$(1)/host/both/libmbedcrypto.a
	@$(HOST_CC) -o $$@ $$^ $(HOST_LDFLAGS) -lpthread

$(LAB)/$(1)/host/both/run.txt: $(LAB)/$(1)/host/both/lab
	@echo "mcu-lab: $(1): running on the host"
	@if timeout $(RUN_TIMEOUT) $$< >$$@.out 2>&1; then mv $$@.out $$@; \
	else status=$$$$?; echo "mcu-lab: $(1): the host program failed (exit $$$$status):" >&2; \
	  tail -5 $$@.out >&2; exit 1; fi
endef

ifeq ($(PARTS),quick)
VARIANTS_arm = both
profile_goal = $(LAB)/$(1)/arm/both/run.txt $(LAB)/$(1)/arm/both/count.txt $(LAB)/$(1)/arm/both/sizes.txt \
	$(LAB)/$(1)/arm/both/parts.txt
else
VARIANTS_arm = both client server
profile_goal = $(LAB)/$(1)/arm/both/run.txt $(LAB)/$(1)/arm/both/count.txt $(LAB)/$(1)/host/both/run.txt \
	$(foreach v,both client server,$(LAB)/$(1)/arm/$(v)/sizes.txt $(LAB)/$(1)/arm/$(v)/parts.txt)
endif
VARIANTS_host = both

# Every rule, for every profile, target and variant.
$(foreach p,$(PROFILES),$(eval $(call profile_rules,$(p))))
$(foreach p,$(PROFILES),$(foreach t,arm host,$(eval $(call shared_libs,$(p),$(t)))))
$(foreach p,$(PROFILES),$(foreach t,arm host,$(foreach v,$(VARIANTS_$(t)),\
	$(eval $(call variant_rules,$(p),$(t),$(v))) $(eval $(call app_sources,$(p),$(t),$(v))))))
$(foreach p,$(PROFILES),$(foreach v,$(VARIANTS_arm),$(eval $(call image_rules,$(p),$(v)))))
$(foreach p,$(PROFILES),$(eval $(call run_rules,$(p))))

all: $(foreach p,$(PROFILES),$(call profile_goal,$(p)))
