/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file board_mps2.c
 * @brief The emulated board: an ARM MPS2 with the AN386 image (Cortex-M4)
 *        under qemu-system-arm, with semihosting for the console and files.
 *
 * A bare-metal program starts at the reset vector with nothing set up: this
 * file copies the initial values of RAM variables from flash, zeroes the
 * rest, sets up thread-local storage, and calls main(). Output goes through
 * newlib's semihosting library (librdimon): every printf() ends in a
 * breakpoint instruction that qemu answers by writing to its own stdout,
 * and fopen() opens host files the same way (stage 02 reads the PKI so).
 *
 * The clock: qemu runs with -icount shift=N (mcu/lab.mk), so that virtual
 * time advances by exactly 2^N ns per executed instruction. The board's
 * timer 0 (a CMSDK APB timer at 25 MHz) reads that virtual time, and clock.h's
 * thread_cpu_ns() returns it: a difference of readings divided by 2^N is the
 * number of instructions executed in between. Instructions, not cycles:
 * qemu models no pipeline, no flash wait states, no bus. With N = 6 one
 * instruction is 1.6 timer ticks, so a count is exact to one instruction.
 */
#include <pthread.h> /* bare-include/pthread.h */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "board_meter.h"
#include "clock.h"

#if !defined(MCU_ICOUNT_SHIFT)
#error "MCU_ICOUNT_SHIFT must match qemu's -icount shift= (mcu/lab.mk passes both)"
#endif

/* ---- Reset ------------------------------------------------------------ */

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __tls_start[], __tdata_end[], __tdata_load[], __tbss_start[], __tls_end[];
extern uint32_t __bss_start[], __bss_end[], __stack_top[];

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void initialise_monitor_handles(void); /* newlib's semihosting stdio (librdimon) */
void *__aeabi_read_tp(void);

/* A semihosting call: qemu reads the operation and its argument from r0 and
 * r1 when the program stops at "bkpt 0xAB". */
static uint32_t semihosting(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;

    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* Any fault: say so and stop qemu with an error, rather than hang. */
void Fault_Handler(void)
{
    static const uint32_t run_time_error = 0x20023; /* ADP_Stopped_RunTimeErrorUnknown */

    semihosting(0x04, "mcu: the board took a fault (hard fault, bus fault or the like): stopping\n");
    for (;;)
        semihosting(0x18, (const void *) run_time_error); /* SYS_EXIT */
}

/* The vector table: the initial stack pointer, then the handlers. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void)) __stack_top, /* initial SP */
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0,
    0,
    0,
    0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
};

/* Bytes between two linker symbols. */
static size_t span(const uint32_t *start, const uint32_t *end)
{
    return (size_t) ((const char *) end - (const char *) start);
}

void Reset_Handler(void)
{
    /* The initial values of RAM variables from flash, zeroes for the rest
     * (newlib's memcpy() and memset() need no initialised RAM). */
    memcpy(__data_start, __data_load, span(__data_start, __data_end));
    memcpy(__tls_start, __tdata_load, span(__tls_start, __tdata_end));
    memset(__tbss_start, 0, span(__tbss_start, __tls_end));
    memset(__bss_start, 0, span(__bss_start, __bss_end));
    exit(main()); /* newlib's exit(): semihosting tells qemu the status */
}

/* ARM EABI thread-local storage, one thread: the thread pointer sits 8
 * bytes (the thread control block) before the block of thread-locals. */
void *__aeabi_read_tp(void)
{
    return (void *) ((uintptr_t) __tls_start - 8);
}

/* ---- Clock ------------------------------------------------------------ */

/* CMSDK APB timer 0 of the MPS2 (AN386): a 32-bit down counter at 25 MHz. */
#define TIMER0_CTRL (*(volatile uint32_t *) 0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *) 0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *) 0x40000008u)
#define TIMER_HZ 25000000u

static uint64_t ticks_total; /* ticks since board_init(), wraps unwound */
static uint32_t last_value;

/* Ticks since board_init(). The counter wraps every 2^32 ticks (2.7 * 10^9
 * instructions at shift 6): readings come far more often than that. */
static uint64_t ticks(void)
{
    uint32_t value = TIMER0_VALUE;

    ticks_total += (uint32_t) (last_value - value); /* counts down; unsigned wrap is right */
    last_value = value;
    return ticks_total;
}

/* Virtual nanoseconds (1 tick = 40 ns). */
static uint64_t virtual_ns(void)
{
    return ticks() * (1000000000u / TIMER_HZ);
}

double thread_cpu_ns(void)
{
    return (double) virtual_ns();
}

double now_ms(void)
{
    return (double) virtual_ns() / 1e6;
}

/* A loop of exactly 2 * n instructions (subs, bne), measured with the
 * clock: checks that qemu runs with the -icount shift this image was built
 * for. */
static double measure_loop(uint32_t n)
{
    double start = thread_cpu_ns();

    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
    return (thread_cpu_ns() - start) / (double) (1u << MCU_ICOUNT_SHIFT);
}

/* ---- One thread ---------------------------------------------------------- */

/* The mutexes of bare-include/pthread.h: with one thread, nothing to do. */
int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
    (void) mutex;
    (void) attr;
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
    (void) mutex;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    (void) mutex;
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    (void) mutex;
    return 0;
}

/* newlib declares the stdio locks but has none for bare metal
 * (common/trace_bio.c keeps its lines whole with them). */
void flockfile(FILE *file)
{
    (void) file;
}

void funlockfile(FILE *file)
{
    (void) file;
}

/* ---- The board interface ------------------------------------------------ */

void board_init(void)
{
    initialise_monitor_handles();
    TIMER0_RELOAD = 0xFFFFFFFFu;
    TIMER0_VALUE = 0xFFFFFFFFu;
    TIMER0_CTRL = 1u; /* enable */
    last_value = TIMER0_VALUE;
    meter_init();
}

const char *board_name(void)
{
    return "Cortex-M4 (qemu-system-arm -M mps2-an386, bare metal, newlib-nano)";
}

int board_handshakes(void)
{
    return 1; /* instruction counts repeat exactly */
}

void board_print_figures(double *const cpu_ns[2], double *wall_ms, int count)
{
    static const char *const instructions[2] = {"client_instructions", "server_instructions"};
    static const char *const stack[2] = {"client_stack", "server_stack"};
    const uint32_t loop = 100000;

    (void) wall_ms; /* virtual time: the instructions say it better */
    (void) count;
    /* The clock's check: a loop of 2 * loop instructions, measured (plus
     * the one or two of the reading itself). */
    lab_figure("icount_check_expected", 2.0 * loop);
    lab_figure("icount_check_measured", measure_loop(loop));
    for (int s = 0; s < 2; s++) {
        lab_figure(instructions[s], cpu_ns[s][0] / (double) (1u << MCU_ICOUNT_SHIFT));
        lab_figure(stack[s], (double) meter_stack_peak(s));
    }
    lab_figure("program_stack", (double) meter_program_stack_peak());
    lab_figure("stack_region", (double) meter_stack_size());
    lab_figure("arena_high_water", (double) meter_arena_high_water());
    lab_figure("arena_size", (double) meter_arena_size());
    lab_figure("allocations", (double) meter_allocations());
}
