#include "stop_signals.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "fimbit.h"

/* How long the library may take to return after the first signal. */
#define STOP_DEADLINE_SECONDS 1

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static volatile sig_atomic_t caught_signal;

/* Ends the process by `signal_number` now: its default action, so that the
 * parent sees the signal, not an exit code. Async-signal-safe. */
static void end_by_signal(int signal_number)
{
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal_number, &default_action, NULL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal_number);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(signal_number);
    _exit(128 + signal_number); /* not reached: the default action ends the process */
}

static void on_stop_signal(int signal_number)
{
    if (caught_signal != 0)
        end_by_signal(caught_signal); /* asked twice: no more waiting */
    caught_signal = signal_number;
    fimbit_request_stop();
    alarm(STOP_DEADLINE_SECONDS);
}

static void on_deadline(int signal_number)
{
    (void)signal_number;
    end_by_signal(caught_signal);
}

void cli_stop_signals_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
        sigaddset(&action.sa_mask, stop_signals[i]);
    /* SA_RESTART: a stop is noticed at the library's checks, not by failing
     * whatever system call was under way. */
    action.sa_flags = SA_RESTART;
    action.sa_handler = on_stop_signal;
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) {
        struct sigaction previous;
        /* A signal ignored by whoever started us (nohup) stays ignored. */
        if (sigaction(stop_signals[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &action, NULL);
    }
    action.sa_handler = on_deadline;
    sigaction(SIGALRM, &action, NULL);
}

int cli_stop_signal(void) { return caught_signal; }

int cli_stop_signals_finish(int code)
{
    if (caught_signal != 0 && code != 0)
        end_by_signal(caught_signal);
    alarm(0);
    return code;
}
